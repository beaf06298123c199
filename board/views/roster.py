"""The roster as a file: ``GET /bodies/{id}/roster.csv`` exports it, and
``POST /api/bodies/{id}/roster[?confirm=1]`` takes the file as it is (UTF-8, with or without
a BOM, or Shift_JIS), previews the import row by row or, confirmed, runs ``roster.import``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from board import roster
from board.actions.errors import ActionError, BadRequest, Invalid, TooLarge
from board.store import people
from board.views.base import (
    board_of,
    csv_download,
    flash_later,
    gettext_of,
    html_error,
    json_error,
    page,
    read_bytes,
    wants_bom,
)
from board.views.body import secretariat_of
from board.views.confirm import message_for

_TRUE = ("1", "true", "yes")


async def export_csv(request: Request) -> Response:
    try:
        body, _person = await secretariat_of(request, request.path_params["body_id"])
    except ActionError as error:
        return html_error(request, error)
    async with board_of(request).db.read() as conn:
        entries = await people.roster_entries(conn, body.id)
    text = roster.export(body, entries, bom=wants_bom(request))
    return csv_download(text, f"{body.name}_名簿.csv")


async def api_import(request: Request) -> Response:
    """The body is the file's bytes. Without ``confirm=1`` nothing changes."""
    board = board_of(request)
    try:
        body, person = await secretariat_of(request, request.path_params["body_id"])
        text = roster.decode(await read_bytes(request, roster.FILE_MAX_BYTES))
        confirm = request.query_params.get("confirm") in _TRUE
        result = await board.act(
            person, "roster.import", {"csv": text, "confirm": confirm}, body_id=body.id
        )
    except ActionError as error:
        return json_error(error, request)
    return JSONResponse({"seq": result.seq, **result.data})


async def _upload(request: Request) -> tuple[str, bool]:
    """The file (or, from the preview page, its text) and whether the import is confirmed."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        raise BadRequest("send the file with its length")
    if int(declared) > roster.FILE_MAX_BYTES + 64 * 1024:
        raise TooLarge(
            "the request is too large (limit {limit} bytes)", limit=roster.FILE_MAX_BYTES
        )
    async with request.form(max_files=1, max_fields=8, max_part_size=roster.FILE_MAX_BYTES) as form:
        confirm = form.get("confirm") in _TRUE
        text = form.get("csv")
        if isinstance(text, str) and text:
            return text, confirm
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise Invalid("choose a file to import")
        return roster.decode(await upload.read()), confirm


async def form_import(request: Request) -> Response:
    """``POST /bodies/{id}/roster`` from the roster page: the preview, then the import."""
    board = board_of(request)
    _ = gettext_of(request)
    try:
        body, person = await secretariat_of(request, request.path_params["body_id"])
    except ActionError as error:
        return html_error(request, error)
    try:
        text, confirm = await _upload(request)
        result = await board.act(
            person, "roster.import", {"csv": text, "confirm": confirm}, body_id=body.id
        )
    except ActionError as error:
        return page(
            request,
            "roster_import.html",
            status=error.status,
            body=body,
            error=error.localized(_),
            rows=[],
            csv="",
        )
    if result.data["confirmed"]:
        flash_later(request, _(message_for("roster.import")))
        return RedirectResponse(f"/bodies/{body.id}", status_code=303)
    # The same plan, read again for the page: its refusals in the reader's language.
    async with board.db.read() as conn:
        current = await people.roster_entries(conn, body.id)
    rows, _columns = roster.plan(text, body, current, person.id)
    return page(
        request,
        "roster_import.html",
        body=body,
        rows=[(row, row.reason.localized(_) if row.reason else "") for row in rows],
        counts=result.data["counts"],
        csv=text,
    )
