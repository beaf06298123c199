"""Materials: the upload (streamed to the content-addressed store, then ``material.add`` or
``material.replace``), the files themselves (with ranges, for large PDFs on tablets), the
page that shows a material, and the read-ahead for the secretariat."""

from __future__ import annotations

import asyncio
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from board import markdown, upload
from board.actions.dispatch import Result
from board.actions.errors import ActionError, Forbidden, NotFound
from board.actions.permissions import Permission, allowed
from board.blobs import BlobStore
from board.models import Material, MaterialKind, MaterialVersion, ReadAhead
from board.store import materials, meetings
from board.store.materials import Blob
from board.timeutil import now_iso
from board.views.base import (
    board_of,
    content_disposition,
    flash_later,
    gettext_of,
    html_error,
    json_error,
    page,
)
from board.views.confirm import message_for
from board.views.meeting import meeting_and_person

TEXT_SHOWN_MAX = 2 * 1024 * 1024  # longer text files are offered as a file, not in the page
# An oversized form upload is read to its end (and thrown away) up to this size, so the
# browser gets the explanation instead of a reset connection.
DRAIN_MAX = 256 * 1024 * 1024


def store_of(request: Request) -> BlobStore:
    return BlobStore(board_of(request).settings.files_dir)


def file_url(meeting_id: int, version: MaterialVersion) -> str:
    return f"/meetings/{meeting_id}/files/{version.id}"


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


# Putting bytes at their address, recording them and attaching them, or forgetting them when
# the attach is refused, happen one upload at a time: a refused upload then never deletes
# the same bytes another upload has just put there. (Streaming the bytes is not serialized.)
_ATTACHING = asyncio.Lock()


async def _receive(request: Request, drain: int = 0) -> tuple[Result, str]:
    """Stream the upload and run the action; return what it did and its name. A refused
    action leaves no file behind that nothing refers to."""
    board = board_of(request)
    meeting, person = await meeting_and_person(request, request.path_params["meeting_id"])
    if not allowed(person.role, Permission.PREPARE_MEETING):
        raise Forbidden("{role} may not attach materials", role=person.role.value)
    limit = board.settings.max_upload_bytes
    store = store_of(request)
    received = await upload.receive(request, store, limit, drain=drain)
    assert received.temporary is not None
    blob = Blob(received.sha256, received.size, received.media_type)
    form = received.fields
    payload: dict[str, Any] = {"sha256": received.sha256, "filename": received.filename}
    payload["title"] = form.get("title", "")
    if form.get("material_id"):
        name = "material.replace"
        payload["material_id"] = form["material_id"]
    else:
        name = "material.add"
        payload["item_id"] = form.get("item_id", "")
    async with _ATTACHING:
        try:
            await anyio.to_thread.run_sync(store.put, received.temporary, received.sha256)
        finally:
            received.temporary.unlink(missing_ok=True)
        try:
            async with board.db.write() as conn:
                await materials.register_blob(conn, meeting.body_id, blob, now_iso())
            result = await board.act(person, name, payload, meeting_id=meeting.id)
        except ActionError:
            # Refused: nothing was attached. (Only then: a cancelled request's action may
            # still commit, so its bytes stay.)
            async with board.db.write() as conn:
                if await materials.forget_unused_blob(conn, received.sha256):
                    await anyio.to_thread.run_sync(store.forget, received.sha256)
            raise
    return result, name


async def api_list_or_upload(request: Request) -> Response:
    if request.method == "POST":
        return await api_upload(request)
    return await api_list(request)


async def api_upload(request: Request) -> Response:
    """``POST /api/meetings/{id}/materials`` (multipart: ``file``, and ``item_id`` to attach
    or ``material_id`` to replace, optional ``title``)."""
    try:
        result, _ = await _receive(request)
    except ActionError as error:
        return json_error(error, request)
    return JSONResponse({"seq": result.seq, **result.data})


async def form_upload(request: Request) -> Response:
    """The secretariat's form on the meeting page: back to the item with a message."""
    meeting_id = request.path_params["meeting_id"]
    _ = gettext_of(request)
    try:
        result, name = await _receive(request, drain=DRAIN_MAX)
    except ActionError as error:
        if error.status in (401, 404):
            return html_error(request, error)
        flash_later(request, error.localized(_), "error")
        return RedirectResponse(f"/meetings/{meeting_id}#items", status_code=303)
    flash_later(request, _(message_for(name)))
    anchor = f"#material-{result.data['material_id']}"
    return RedirectResponse(f"/meetings/{meeting_id}{anchor}", status_code=303)


def error_response(request: Request, error: ActionError) -> Response:
    """A page for a browser, JSON for a program: for resources both open directly."""
    return html_error(request, error) if wants_html(request) else json_error(error, request)


async def file(request: Request) -> Response:
    """The bytes of one version, to people of the meeting's body who may see the meeting.
    Opening it records the read (once per person and version)."""
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    version_id = request.path_params["version_id"]
    try:
        meeting, person = await meeting_and_person(request, meeting_id)
        async with board.db.read() as conn:
            found = await materials.get_version(conn, version_id)
            opened = await materials.has_opened(conn, version_id, person.id)
        if found is None or found[0].meeting_id != meeting.id:
            raise NotFound("this material does not exist or has been removed")
    except ActionError as error:
        return error_response(request, error)
    _material, version = found
    if request.method == "GET" and not opened:
        await board.act(person, "material.open", {"version_id": version.id}, meeting_id=meeting.id)
    path = store_of(request).path(version.sha256)
    if not await anyio.to_thread.run_sync(path.is_file):
        missing = NotFound("the file of this material is missing from the store")
        return error_response(request, missing)
    return FileResponse(
        path,
        media_type=version.media_type,
        headers={
            "content-disposition": content_disposition(version.filename),
            "cache-control": "private, max-age=300",
            "x-content-type-options": "nosniff",
        },
    )


async def show(request: Request) -> Response:
    """A material in the page: images and text are shown here; a PDF opens in the
    browser's own viewer from the link. Every version is listed."""
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    material_id = request.path_params["material_id"]
    try:
        meeting, person = await meeting_and_person(request, meeting_id)
        async with board.db.read() as conn:
            material = await materials.get_material(conn, material_id)
            item = (
                None if material is None else await meetings.numbered_item(conn, material.item_id)
            )
        if material is None or material.meeting_id != meeting.id:
            raise NotFound("this material does not exist or has been removed")
    except ActionError as error:
        return html_error(request, error)
    current = material.current
    content = None
    if current.kind in (MaterialKind.TEXT, MaterialKind.MARKDOWN):
        text = await store_of(request).read_text(current.sha256, TEXT_SHOWN_MAX)
        if text is not None:
            render = (
                markdown.render if current.kind is MaterialKind.MARKDOWN else markdown.render_plain
            )
            content = render(text)
            # The text is read here, in the page: that is opening it.
            await board.act(
                person, "material.open", {"version_id": current.id}, meeting_id=meeting.id
            )
    return page(
        request,
        "material.html",
        meeting=meeting,
        item=item,
        material=material,
        content=content,
        me=person,
        file_url=file_url,
    )


def material_json(meeting_id: int, material: Material) -> dict[str, Any]:
    return {
        "id": material.id,
        "item_id": material.item_id,
        "title": material.title,
        "version": material.current.version,
        "versions": [
            {
                "id": version.id,
                "version": version.version,
                "filename": version.filename,
                "media_type": version.media_type,
                "size": version.size,
                "sha256": version.sha256,
                "uploaded_at": version.uploaded_at,
                "url": file_url(meeting_id, version),
            }
            for version in material.versions
        ],
    }


async def api_list(request: Request) -> Response:
    """``GET /api/meetings/{id}/materials``: every attached material with all its versions."""
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    try:
        meeting, _person = await meeting_and_person(request, meeting_id)
    except ActionError as error:
        return json_error(error, request)
    async with board.db.read() as conn:
        found = await materials.materials(conn, meeting.id)
    return JSONResponse({"materials": [material_json(meeting.id, m) for m in found]})


def read_ahead_json(summary: ReadAhead) -> dict[str, Any]:
    return {
        "members": len(summary.members),
        "materials": len(summary.materials),
        "complete": summary.complete_count,
        "complete_percent": summary.share_percent,
        "before": summary.before,
        "per_material": [
            {
                "material_id": material.id,
                "item_id": material.item_id,
                "title": material.title,
                "version": material.current.version,
                "opened": summary.opened_count(material.id),
                "opened_current_version": sum(
                    1 for p in summary.members if (p.id, material.id) in summary.latest
                ),
            }
            for material in summary.materials
        ],
        "per_member": [
            {
                "person_id": person.id,
                "name": person.name,
                "complete": summary.complete(person.id),
                "opened": {
                    str(material.id): summary.opened_at(person.id, material.id)
                    for material in summary.materials
                    if summary.opened_at(person.id, material.id) is not None
                },
            }
            for person in summary.members
        ],
    }


async def api_read_ahead(request: Request) -> Response:
    """``GET /api/meetings/{id}/read-ahead`` (secretariat): who opened which material."""
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    try:
        meeting, person = await meeting_and_person(request, meeting_id)
        if not allowed(person.role, Permission.PREPARE_MEETING):
            raise Forbidden("only the secretariat may see who has read the materials")
    except ActionError as error:
        return json_error(error, request)
    async with board.db.read() as conn:
        summary = await materials.read_ahead(conn, meeting.id)
    assert summary is not None
    return JSONResponse(read_ahead_json(summary))
