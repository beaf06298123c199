"""Home, sign-in by personal link, first-run setup, language choice, health."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from board import auth, i18n
from board.actions.errors import ActionError, Invalid
from board.actions.fields import NAME_MAX, text
from board.models import Meeting, MeetingStatus, Person, Role
from board.store import meetings, people, sessions
from board.views.base import (
    PREFERENCE_MAX_AGE,
    TEXT_SIZES,
    THEMES,
    board_of,
    gettext_of,
    html_error,
    page,
    read_form,
)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def home(request: Request) -> Response:
    board = board_of(request)
    async with board.db.read() as conn:
        key = auth.session_key(request)
        signed_in = [] if key is None else await sessions.people_for_key(conn, key)
        entries = []
        for person in signed_in:
            body = await people.get_body(conn, person.body_id)
            listed = await meetings.meetings_of_body(conn, person.body_id)
            if person.role in (Role.MEMBER, Role.OBSERVER):
                listed = [m for m in listed if m.status is not MeetingStatus.DRAFT]
            entries.append({"person": person, "body": body, "meetings": listed})
    return page(request, "home.html", entries=entries)


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else ""


def _too_many_attempts(request: Request) -> Response | None:
    """429 for an address with too many failed sign-ins lately (board.limits)."""
    wait = board_of(request).sign_ins.retry_after(_address(request))
    if wait is None:
        return None
    _ = gettext_of(request)
    message = _(
        "Too many sign-in attempts with links that are not valid came from this network. "
        "Try again in {minutes} minutes, or ask the secretariat for help."
    ).format(minutes=(wait + 59) // 60)
    response = page(request, "error.html", status=429, message=message, status_code=429)
    response.headers["Retry-After"] = str(wait)
    return response


async def join(request: Request) -> Response:
    """Open a personal link: sign this device in and land on the body's meeting."""
    board = board_of(request)
    token = request.path_params["token"]
    refused = _too_many_attempts(request)
    if refused is not None:
        return refused
    async with board.db.read() as conn:
        found = await people.link_for_token(conn, token)
        if found is None:
            board.sign_ins.failed(_address(request))
            _ = gettext_of(request)
            message = _(
                "This sign-in link is not valid. It may have been revoked: "
                "ask the secretariat for a new one."
            )
            return page(request, "error.html", status=404, message=message, status_code=404)
        person, link_id = found
        listed = await meetings.meetings_of_body(conn, person.body_id)
    await auth.remember(board.db, request, person, link_id)
    target = _landing(listed, person)
    if person.role is Role.SECRETARIAT and target is None:
        return RedirectResponse(f"/bodies/{person.body_id}", status_code=303)
    return RedirectResponse(target or "/", status_code=303)


def _landing(listed: list[Meeting], person: Person) -> str | None:
    visible = [
        m
        for m in listed
        if person.role in (Role.CHAIR, Role.SECRETARIAT) or m.status is not MeetingStatus.DRAFT
    ]
    # A meeting in session first, then the next one to come, then the latest.
    for status in (MeetingStatus.LIVE, MeetingStatus.PUBLISHED, MeetingStatus.DRAFT):
        candidates = [m for m in visible if m.status is status]
        if candidates:
            return f"/meetings/{min(candidates, key=lambda m: (m.date, m.start_time)).id}"
    return f"/meetings/{visible[0].id}" if visible else None


async def setup(request: Request) -> Response:
    """First run: the one-time link printed by run.py creates the first body and its
    first secretariat member, then signs that device in."""
    board = board_of(request)
    token = request.path_params["token"]
    refused = _too_many_attempts(request)
    if refused is not None:
        return refused
    async with board.db.read() as conn:
        valid = await people.setup_token_valid(conn, token)
    _ = gettext_of(request)
    if not valid:
        board.sign_ins.failed(_address(request))
        message = _("This setup link has already been used or is not valid.")
        return page(request, "error.html", status=404, message=message, status_code=404)
    if request.method == "GET":
        return page(request, "setup.html", token=token, values={}, error=None)
    form = await read_form(request)
    try:
        body_name = text(form, "body_name")
        name = text(form, "name", max_len=NAME_MAX)
        affiliation = text(form, "affiliation", required=False)
    except ActionError as error:
        return page(
            request, "setup.html", status=422, token=token, values=form, error=error.localized(_)
        )
    async with board.db.write() as conn:
        if not await people.use_setup_token(conn, token):
            return html_error(request, Invalid("This setup link has already been used."))
        body_id = await people.create_body(conn, body_name)
        person_id = await people.add_person(conn, body_id, name, affiliation, Role.SECRETARIAT)
        person = await people.get_person(conn, person_id)
    assert person is not None
    await auth.remember(board.db, request, person, None)
    return RedirectResponse(f"/bodies/{body_id}", status_code=303)


async def set_language(request: Request) -> Response:
    form = await read_form(request)
    lang = form.get("lang", "")
    response = RedirectResponse(_local(form.get("next", "/")), status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE, lang, max_age=PREFERENCE_MAX_AGE, httponly=True, samesite="lax"
        )
    return response


async def set_preferences(request: Request) -> Response:
    """Text size and high contrast for this device; kept across visits."""
    form = await read_form(request)
    response = RedirectResponse(_local(form.get("next", "/")), status_code=303)
    for name, allowed in (("text_size", TEXT_SIZES), ("theme", THEMES)):
        value = form.get(name, "")
        if value in allowed:
            response.set_cookie(
                name, value, max_age=PREFERENCE_MAX_AGE, httponly=True, samesite="lax"
            )
    return response


def _local(target: str) -> str:
    """Only redirect within the board."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


async def sign_out(request: Request) -> Response:
    await auth.forget(board_of(request).db, request)
    return RedirectResponse("/", status_code=303)
