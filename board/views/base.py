"""Shared plumbing for views: the board, the language, rendering, input and errors."""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.convertors import Convertor
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from board import i18n
from board.actions.errors import ActionError, BadRequest, Invalid, NotFound, TooLarge
from board.actions.fields import ID_MAX
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


class IdConvertor(Convertor[int]):
    """``{name:id}`` in a route: a whole number no id of the board exceeds. A larger one
    (which SQLite could not even bind) is a clear 404, not a 500."""

    regex = "[0-9]+"

    def convert(self, value: str) -> int:
        number = int(value) if len(value) <= len(str(ID_MAX)) else ID_MAX + 1
        if not 0 < number <= ID_MAX:
            raise NotFound("there is nothing with the id {id}", id=value[:20])
        return number

    def to_string(self, value: int) -> str:
        return str(int(value))


def query_int(connection: HTTPConnection, name: str, *, minimum: int = 0) -> int | None:
    """A whole-number query parameter within the ids' range; None when absent or empty."""
    value = connection.query_params.get(name, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(ID_MAX)):
        raise Invalid("{name} must be a whole number", name=name)
    number = int(value)
    if not minimum <= number <= ID_MAX:
        raise Invalid("{name} must be a whole number", name=name)
    return number


def _refuse_constant(name: str) -> Any:
    raise BadRequest("malformed JSON: {value} is not a number JSON allows", value=name)


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise BadRequest("malformed JSON: {value} is too large a number", value=text[:40])
    return number


async def read_json(request: Request) -> Any:
    """The request body as JSON: strict (no NaN or Infinity, no number beyond a double) and
    of modest depth (the size limit bounds it; the parser's recursion limit is caught)."""
    raw = await _body(request, MAX_JSON_BYTES)
    if not raw.strip():
        return {}
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequest("malformed JSON: {detail}", detail=str(error)) from None
    except RecursionError:
        raise BadRequest("malformed JSON: nested too deeply") from None


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


def wants_json(connection: HTTPConnection) -> bool:
    """The API and the machine-readable exports answer in JSON; pages in HTML."""
    path = connection.url.path
    return path.startswith("/api/") or path.rsplit("/", 1)[-1].count(".") > 0


async def handle_error(connection: HTTPConnection, error: Exception) -> Response:
    """The one mapper for a typed error no view caught (e.g. an id out of range in a path):
    JSON for the API, the error page for a browser."""
    assert isinstance(error, ActionError)
    if wants_json(connection) or not isinstance(connection, Request):
        return json_error(error, connection)
    return html_error(connection, error)


# Fields a page's form sends for its own navigation (where to land after the action), not
# to the action: every other field is the action's, and an action refuses one it does not
# declare.
NAVIGATION_FIELDS = frozenset({"anchor"})


def action_payload(form: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in form.items() if name not in NAVIGATION_FIELDS}


def api_language(connection: HTTPConnection | None) -> str:
    """The language of a JSON error's message: the language switch or ``Accept-Language``
    as for pages, but English when the caller states neither (a script's default), so the
    messages a script already reads do not change under it."""
    if connection is None:
        return "en"
    if i18n.LANG_COOKIE not in connection.cookies and "accept-language" not in connection.headers:
        return "en"
    return lang_of(connection)


def json_error(error: ActionError, connection: HTTPConnection | None) -> JSONResponse:
    """The error as JSON: the ``error`` code is stable, the message in the caller's language."""
    gettext = i18n.gettext_for(api_language(connection)).gettext
    return JSONResponse(
        {"error": error.code, "message": error.localized(gettext)}, status_code=error.status
    )


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


async def read_bytes(request: Request, limit: int) -> bytes:
    """The raw request body (an uploaded file sent as it is), refused past ``limit``."""
    return await _body(request, limit)


def content_disposition(filename: str, kind: str = "inline") -> str:
    """The original name (any script) as RFC 6266 ``filename*``, with a plain fallback."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%' else "_" for ch in filename)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def wants_bom(request: Request) -> bool:
    """``?bom=1`` (or true, yes): a CSV for spreadsheet software that needs the BOM."""
    return request.query_params.get("bom") in ("1", "true", "yes")


def csv_download(text: str, filename: str, *, language: str | None = None) -> Response:
    """A CSV file to save (never cached: it may hold what only its reader may see)."""
    headers = {
        "content-disposition": content_disposition(filename, "attachment"),
        "cache-control": "no-store",
    }
    if language is not None:
        headers["content-language"] = language
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)
