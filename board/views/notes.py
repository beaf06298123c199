"""A person's own private notes: ``GET /api/meetings/{id}/notes`` (JSON) and
``GET /meetings/{id}/notes.csv`` (their export). Only ever the caller's own: there is no
parameter naming another person, for any role."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.actions.errors import ActionError, Forbidden
from board.actions.permissions import Permission, allowed
from board.i18n import N_
from board.models import Note, Person
from board.spreadsheet import Breaks, to_csv
from board.store import notes
from board.views.base import board_of, csv_download, gettext_of, json_error, lang_of, wants_bom
from board.views.materials import error_response
from board.views.meeting import meeting_and_person

COLUMNS = (
    N_("Agenda item"),
    N_("Material"),
    N_("Page"),
    N_("Note"),
    N_("Written on version"),
    N_("Page may have changed"),
    N_("Updated"),
)


def note_json(note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "material_id": note.material_id,
        "material_title": note.material_title,
        "item_position": note.item_position,
        "page": note.page,
        "text": note.text,
        "version_id": note.version_id,
        "written_on_version": note.written_on_version,
        "page_may_have_changed": note.page_may_have_changed,
        "updated_at": note.updated_at,
    }


async def _own(request: Request) -> tuple[Any, Person, list[Note]]:
    board = board_of(request)
    meeting, person = await meeting_and_person(request, request.path_params["meeting_id"])
    if not allowed(person.role, Permission.NOTE):
        raise Forbidden("{role} keeps no notes", role=person.role.value)
    async with board.db.read() as conn:
        found = await notes.of_owner(conn, person.id, meeting.id)
    return meeting, person, found


async def api_list(request: Request) -> Response:
    try:
        _meeting, _person, found = await _own(request)
    except ActionError as error:
        return json_error(error, request)
    return JSONResponse(
        {"notes": [note_json(note) for note in found]}, headers={"cache-control": "no-store"}
    )


async def export_csv(request: Request) -> Response:
    try:
        meeting, _person, found = await _own(request)
    except ActionError as error:
        return error_response(request, error)
    _ = gettext_of(request)
    rows = [
        [
            note.item_position,
            note.material_title,
            note.page,
            note.text,
            note.written_on_version,
            _("yes") if note.page_may_have_changed else "",
            note.updated_at,
        ]
        for note in found
    ]
    columns = [_(column) for column in COLUMNS]
    text = to_csv(columns, rows, breaks=Breaks.ESCAPE, bom=wants_bom(request))
    filename = f"{meeting.date}_{meeting.title}_{_('my notes')}.csv"
    return csv_download(text, filename, language=lang_of(request))
