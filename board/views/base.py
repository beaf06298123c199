"""Shared plumbing for views: the board, the language, rendering, input and errors."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from board import i18n
from board.actions.errors import ActionError, BadRequest, TooLarge
from board.config import MAX_FORM_BYTES, MAX_JSON_BYTES
from board.services import Board


def board_of(connection: HTTPConnection) -> Board:
    found: Board = connection.app.state.board
    return found


def lang_of(connection: HTTPConnection) -> str:
    return i18n.negotiate(
        connection.cookies.get(i18n.LANG_COOKIE), connection.headers.get("accept-language")
    )


def gettext_of(connection: HTTPConnection) -> Any:
    return i18n.gettext_for(lang_of(connection)).gettext


TEXT_SIZES = ("normal", "large", "xlarge")
THEMES = ("default", "contrast")
PREFERENCE_MAX_AGE = 400 * 86400


def preferences(connection: HTTPConnection) -> dict[str, str]:
    """The device's display choices (text size, theme), kept in cookies."""
    size = connection.cookies.get("text_size", "normal")
    theme = connection.cookies.get("theme", "default")
    return {
        "text_size": size if size in TEXT_SIZES else "normal",
        "theme": theme if theme in THEMES else "default",
    }


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    board = board_of(request)
    flash = request.session.pop("flash", None) if "session" in request.scope else None
    html = board.renderer.page(
        template,
        lang_of(request),
        request=request,
        flash=flash,
        prefs=preferences(request),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def flash_later(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = {"message": message, "kind": kind}


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge("the request is too large (limit {limit} bytes)", limit=limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge("the request is too large (limit {limit} bytes)", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request) -> Any:
    raw = await _body(request, MAX_JSON_BYTES)
    if not raw.strip():
        return {}
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequest("malformed JSON: {detail}", detail=str(error)) from None


async def read_form(request: Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind not in ("", "application/x-www-form-urlencoded"):
        raise BadRequest("this form must be sent as application/x-www-form-urlencoded")
    raw = await _body(request, MAX_FORM_BYTES)
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise BadRequest("the form is not valid UTF-8") from None
    return {key: value for key, value in pairs}


def json_error(error: ActionError) -> JSONResponse:
    return JSONResponse({"error": error.code, "message": error.message}, status_code=error.status)


def html_error(request: Request, error: ActionError) -> Response:
    message = error.localized(gettext_of(request))
    if is_htmx(request):
        return flash_fragment(request, message, "error", status=error.status)
    return page(
        request, "error.html", status=error.status, message=message, status_code=error.status
    )


def flash_fragment(request: Request, message: str, kind: str, status: int = 200) -> HTMLResponse:
    board = board_of(request)
    html = board.renderer.page(
        "partials/_flash.html", lang_of(request), flash={"message": message, "kind": kind}, oob=True
    )
    return HTMLResponse(html, status_code=status)
