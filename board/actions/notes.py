"""Private notes on material pages: ``note.write`` keeps a person's own note on a page (an
empty text removes it).

A note is its owner's alone. The action goes through the one dispatcher for its permission
and its checks, but changes nothing anyone else sees: it is neither logged in the meeting's
event log (which participants read) nor pushed to any device (``record=False``), and no
export, search or other person's view reads the notes table (``board.store.notes`` only
answers its owner)."""

from __future__ import annotations

from typing import Any

from board.actions import fields
from board.actions.errors import Conflict, NotFound
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Serial, action
from board.models import MeetingStatus
from board.store import materials, notes
from board.store.db import Conn

NOTE_MAX = 5000
PAGE_MAX = 10_000


def _parse_write(payload: Payload) -> dict[str, Any]:
    return {
        "version_id": fields.identifier(payload, "version_id"),
        "page": fields.integer(payload, "page", minimum=1, maximum=PAGE_MAX),
        "text": fields.text(payload, "text", max_len=NOTE_MAX, required=False, multiline=True),
    }


@action(
    "note.write",
    Permission.NOTE,
    parse=_parse_write,
    fields=fields.declare(
        version_id=fields.Kind.ID, page=fields.Kind.INTEGER, text=fields.Kind.MULTILINE
    ),
    serial=Serial.ACTOR,
)
async def write(conn: Conn, ctx: Context, params: dict[str, Any]) -> Outcome:
    """One's own note on a page of the version one reads (kept for the material and page
    number when a new version comes); an empty text removes it. Private: see the module."""
    meeting = ctx.meeting
    assert meeting is not None
    if meeting.status is MeetingStatus.DRAFT:
        raise Conflict("notes can be written once the meeting is published")
    found = await materials.get_version(conn, params["version_id"])
    if found is None or found[0].meeting_id != ctx.meeting_id:
        raise NotFound(
            "version {version_id} does not exist in this meeting", version_id=params["version_id"]
        )
    material, version = found
    if params["text"]:
        await notes.write(
            conn,
            ctx.actor.id,
            ctx.meeting_id,
            material.id,
            version.id,
            params["page"],
            params["text"],
            ctx.at,
        )
        saved = True
    else:
        await notes.remove(conn, ctx.actor.id, material.id, params["page"])
        saved = False
    # Not logged, not pushed: the note is its owner's alone.
    result = {"material_id": material.id, "page": params["page"], "saved": saved}
    return Outcome(record=False, result=result)
