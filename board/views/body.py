"""The secretariat's page for a body: roster, role titles, sign-in links, meetings."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from board import auth
from board.actions.errors import ActionError, Forbidden, NotFound
from board.minutes import style as minutes_style
from board.models import Body, Person, Role
from board.store import meetings, people, votes
from board.views.base import (
    action_payload,
    board_of,
    flash_later,
    gettext_of,
    html_error,
    page,
    read_form,
)
from board.views.confirm import message_for


def public_url(request: Request, path: str) -> str:
    base = board_of(request).settings.base_url or str(request.base_url).rstrip("/")
    return base.rstrip("/") + path


async def secretariat_of(request: Request, body_id: int) -> tuple[Body, Person]:
    """The body and its secretariat member asking, or the error to answer with (404 for no
    such body, 401/403 for anyone else): every page and API of the body's management."""
    async with board_of(request).db.read() as conn:
        body = await people.get_body(conn, body_id)
        if body is None:
            raise NotFound("body {body_id} does not exist", body_id=body_id)
        person = await auth.person_in_body(conn, request, body_id)
    if person.role is not Role.SECRETARIAT:
        raise Forbidden("only the secretariat may manage this body")
    return body, person


async def _render(request: Request, body_id: int, status: int = 200, **extra: Any) -> Response:
    board = board_of(request)
    async with board.db.read() as conn:
        body = await people.get_body(conn, body_id)
        roster = await people.roster(conn, body_id)
        links = await people.link_counts(conn, body_id)
        listed = await meetings.meetings_of_body(conn, body_id)
        vote_rules = await votes.rules_of(conn, body_id)
    assert body is not None
    return page(
        request,
        "body.html",
        status=status,
        body=body,
        roster=roster,
        links=links,
        meetings=listed,
        vote_rules=vote_rules,
        minutes_style=minutes_style.of_body(body.minutes_style),
        minutes_styles=list(minutes_style.BUILT_IN),
        **extra,
    )


async def show(request: Request) -> Response:
    body_id = request.path_params["body_id"]
    try:
        await secretariat_of(request, body_id)
    except ActionError as error:
        return html_error(request, error)
    return await _render(request, body_id)


async def act(request: Request) -> Response:
    board = board_of(request)
    body_id = request.path_params["body_id"]
    name = request.path_params["name"]
    _ = gettext_of(request)
    form: dict[str, str] = {}
    try:
        form = await read_form(request)
        _body, person = await secretariat_of(request, body_id)
        result = await board.act(person, name, action_payload(form), body_id=body_id)
    except ActionError as error:
        if isinstance(error, Forbidden) or error.status in (401, 404):
            return html_error(request, error)
        return await _render(
            request, body_id, status=error.status, error=error.localized(_), form=form
        )
    if name == "link.issue":
        # Shown once, on this response only: the token is not stored anywhere readable.
        link = {
            "person_id": result.data["person_id"],
            "url": public_url(request, result.data["path"]),
        }
        return await _render(request, body_id, notice=_(message_for(name)), issued=link)
    if name == "meeting.create":
        flash_later(request, _(message_for(name)))
        return RedirectResponse(f"/meetings/{result.data['meeting_id']}", status_code=303)
    flash_later(request, _(message_for(name)))
    return RedirectResponse(f"/bodies/{body_id}", status_code=303)


async def create(request: Request) -> Response:
    """A secretariat member opens a new body (and becomes its secretariat)."""
    board = board_of(request)
    _ = gettext_of(request)
    try:
        form = await read_form(request)
        async with board.db.read() as conn:
            person = await auth.any_secretariat(conn, request)
            link_id = await auth.device_link(conn, request, person.id)
        result = await board.act(person, "body.create", form)
        async with board.db.read() as conn:
            created = await people.get_person(conn, result.data["person_id"])
    except ActionError as error:
        return html_error(request, error)
    assert created is not None
    # The new body's person is signed in through the link this device opened: revoking
    # that link signs the device out of both.
    await auth.remember(board.db, request, created, link_id)
    flash_later(request, _(message_for("body.create")))
    return RedirectResponse(f"/bodies/{result.data['body_id']}", status_code=303)
