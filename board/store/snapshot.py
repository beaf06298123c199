"""Read the whole live-room state of a meeting at one sequence number."""

from __future__ import annotations

from board.models import MeetingState
from board.store import floor, materials, meetings, minutes, opinions, people
from board.store.db import Conn


async def load(
    conn: Conn, meeting_id: int, previous: MeetingState | None = None
) -> MeetingState | None:
    """Call inside ``Database.read()`` so every part comes from one committed state.

    ``previous``, the last state read for this meeting, lends its roster when the body's
    log has not moved since: every roster change is a body action, so an assembly of
    thousands is not re-read (and re-allocated) on every push."""
    meeting = await meetings.get_meeting(conn, meeting_id)
    if meeting is None:
        return None
    body = await people.get_body(conn, meeting.body_id)
    assert body is not None
    if previous is not None and previous.body.id == body.id and previous.body.seq == body.seq:
        roster = previous.roster
    else:
        roster = await people.roster(conn, meeting.body_id)
    items = await meetings.items(conn, meeting_id)
    current = meeting.current_item_id
    return MeetingState(
        body=body,
        meeting=meeting,
        items=items,
        queue=await floor.queue(conn, current) if current else [],
        speaking=await floor.speaking(conn, meeting_id),
        roster=roster,
        present_ids=await meetings.present_ids(conn, meeting_id),
        spoken_ids=await floor.spoken_ids(conn, current) if current else frozenset(),
        speaking_seconds=await floor.speaking_seconds(conn, current) if current else {},
        minutes=await minutes.panel(conn, meeting_id),
        materials=await materials.materials(conn, meeting_id),
        opinions=await opinions.of_meeting(conn, meeting_id),
        comments=await opinions.window(conn, meeting_id),
        reads=await materials.reads(conn, meeting_id),
    )
