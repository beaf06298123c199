"""Read the whole live-room state of a meeting at one sequence number."""

from __future__ import annotations

from board.live.parts import ALL_PARTS, Part
from board.models import MeetingState, MeetingStatus, Mine, Opinion, opinion_order
from board.store import floor, materials, meetings, minutes, opinions, people, presenting, votes
from board.store.db import Conn

# The heavy fields of a room's state and the parts whose change can change them. Every
# action marks the parts it changes, so a push that marks none of a field's parts reuses
# that field from the last state read: an opinion re-reads its own item's opinions, not the
# minutes panel, the materials and every opinion of the meeting. (Every material action
# marks READING: the read-ahead table lists the materials.) tests/store/test_snapshot.py
# checks the reuse against a fresh read after each kind of change.
OPINIONS = frozenset({Part.ITEMS, Part.ITEM})
MATERIALS = frozenset({Part.ITEMS, Part.READING})
MINUTES = frozenset({Part.MINUTES, Part.AGENDA})
VOTES = frozenset({Part.VOTES, Part.VOTE_PROGRESS})
PRESENTING = frozenset({Part.PRESENTING})
PRESENTED_WHILE = (MeetingStatus.PUBLISHED, MeetingStatus.LIVE)


async def load(
    conn: Conn,
    meeting_id: int,
    previous: MeetingState | None = None,
    changed: frozenset[Part] = ALL_PARTS,
    items: frozenset[int] = frozenset(),
) -> MeetingState | None:
    """Call inside one read transaction so every part comes from one committed state.

    ``previous``, the last state read for this meeting, lends what ``changed`` (the parts
    marked since it was read; for ``Part.ITEM`` alone, the agenda ``items`` named) cannot
    have changed. While the body's log has not moved its roster is reused too: every roster
    change is a body action, so an assembly of thousands is not re-read on every push. When
    it has moved (a name changed, say), everything is read again."""
    found = await meetings.get_meeting_and_body(conn, meeting_id)
    if found is None:
        return None
    meeting, body = found
    if previous is None or previous.body.id != body.id or previous.body.seq != body.seq:
        previous, changed = None, ALL_PARTS
    current = meeting.current_item_id
    return MeetingState(
        body=body,
        meeting=meeting,
        items=await meetings.items(conn, meeting_id),
        queue=await floor.queue(conn, current) if current else [],
        speaking=await floor.speaking(conn, meeting_id),
        roster=previous.roster if previous else await people.roster(conn, meeting.body_id),
        present_ids=await meetings.present_ids(conn, meeting_id),
        online_ids=await meetings.online_ids(conn, meeting_id),
        spoken_ids=await floor.spoken_ids(conn, current) if current else frozenset(),
        speaking_seconds=await floor.speaking_seconds(conn, current) if current else {},
        minutes=(
            previous.minutes
            if previous and not changed & MINUTES
            else await minutes.panel(conn, meeting_id)
        ),
        materials=(
            previous.materials
            if previous and not changed & MATERIALS
            else await materials.materials(conn, meeting_id)
        ),
        opinions=await _opinions(conn, meeting_id, previous, changed, items),
        comments=await opinions.window(conn, meeting_id),
        reads=(
            previous.reads
            if previous and Part.READING not in changed
            else await materials.reads(conn, meeting_id)
        ),
        votes=(
            previous.votes
            if previous and not changed & VOTES
            else await votes.of_meeting(conn, meeting_id)
        ),
        presenting=(
            None  # nothing is presented in a meeting that is over (or not yet shown)
            if meeting.status not in PRESENTED_WHILE
            else previous.presenting
            if previous and not changed & PRESENTING
            else await presenting.current(conn, meeting_id)
        ),
    )


async def _opinions(
    conn: Conn,
    meeting_id: int,
    previous: MeetingState | None,
    changed: frozenset[Part],
    items: frozenset[int],
) -> dict[int, tuple[Opinion, ...]]:
    if previous is not None and not changed & OPINIONS:
        return previous.opinions
    if previous is not None and Part.ITEMS not in changed:
        found = dict(previous.opinions)
        for item_id in items:
            found.pop(item_id, None)
        fresh = await opinions.of_meeting(conn, meeting_id, items=items)
    else:
        found = {}
        fresh = await opinions.of_meeting(conn, meeting_id)
    by_item: dict[int, list[Opinion]] = {}
    for opinion in fresh:
        by_item.setdefault(opinion.item_id, []).append(opinion)
    for item_id, listed in by_item.items():
        found[item_id] = tuple(sorted(listed, key=opinion_order))
    return found


async def mine(conn: Conn, meeting_id: int, people: frozenset[int]) -> dict[int, Mine]:
    """What only each of these people sees (the opinions they agree with, their choices in
    open named votes), in one read."""
    agreed = await opinions.agreed_by_each(conn, meeting_id, people)
    ballots = await votes.ballots_of_each(conn, meeting_id, people)
    return {
        person_id: Mine(
            agreed=agreed.get(person_id, frozenset()), ballots=ballots.get(person_id, {})
        )
        for person_id in people
    }
