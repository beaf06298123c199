"""The presenter's page, live (画面同期): ``material.present`` shows a page of a PDF to the
room, every following device and the projector open it; ``material.present_stop`` ends it.

A page turn is its own small change (``Aspect.PRESENTING``): it re-renders only the
presenting part, never the room."""

from __future__ import annotations

from typing import Any

from board.actions import fields
from board.actions.errors import Conflict, Invalid, NotFound
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, action
from board.changes import Aspect
from board.models import MaterialKind, MeetingStatus
from board.store import materials, presenting
from board.store.db import Conn

PRESENTING = {Aspect.PRESENTING}
PAGE_MAX = 10_000  # far beyond any material; the viewer keeps pages within the document
SHOWN = (MeetingStatus.PUBLISHED, MeetingStatus.LIVE)


def _parse_present(payload: Payload) -> dict[str, Any]:
    return {
        "version_id": fields.identifier(payload, "version_id"),
        "page": fields.integer(
            payload, "page", minimum=1, maximum=PAGE_MAX, default=1, required=False
        ),
    }


def _open_for_presenting(ctx: Context) -> None:
    meeting = ctx.meeting
    assert meeting is not None
    if meeting.status not in SHOWN:
        raise Conflict("materials are presented only while the meeting is published or in session")


@action(
    "material.present",
    Permission.PRESENT,
    parse=_parse_present,
    changes=PRESENTING,
    fields=fields.declare(version_id=fields.Kind.ID, page=fields.Kind.INTEGER),
)
async def present(conn: Conn, ctx: Context, params: dict[str, Any]) -> Outcome:
    """Show a page of a PDF version; every following device opens it."""
    _open_for_presenting(ctx)
    found = await materials.get_version(conn, params["version_id"])
    if found is None or found[0].meeting_id != ctx.meeting_id:
        raise NotFound(
            "version {version_id} does not exist in this meeting", version_id=params["version_id"]
        )
    material, version = found
    if version.kind is not MaterialKind.PDF:
        raise Invalid("only a PDF can be presented page by page")
    shown = await presenting.current(conn, ctx.meeting_id)
    if (
        shown is not None
        and shown.version_id == version.id
        and shown.page == params["page"]
        and shown.presenter_id == ctx.actor.id
    ):
        return Outcome(record=False, result={"page": shown.page})  # already on that page
    await presenting.present(conn, ctx.meeting_id, version.id, params["page"], ctx.actor.id, ctx.at)
    log = {
        "material_id": material.id,
        "version_id": version.id,
        "version": version.version,
        "page": params["page"],
    }
    return Outcome(log=log, result={"material_id": material.id, "page": params["page"]})


@action("material.present_stop", Permission.PRESENT, changes=PRESENTING)
async def present_stop(conn: Conn, ctx: Context, params: None) -> Outcome:
    """Nothing is presented any more; devices stay where they are."""
    if not await presenting.stop(conn, ctx.meeting_id):
        return Outcome(record=False)
    return Outcome()
