"""The live room page for each role, the projector, and the forms that act on a meeting."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from board import auth
from board.actions.errors import ActionError, Forbidden, NotFound
from board.models import Meeting, MeetingStatus, Person, Role
from board.render import live_context
from board.store import meetings
from board.views.base import (
    board_of,
    flash_fragment,
    flash_later,
    gettext_of,
    html_error,
    is_htmx,
    page,
    read_form,
)
from board.views.confirm import message_for

ANCHOR = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
VIEW_OF_ROLE = {
    Role.CHAIR: "chair",
    Role.SECRETARIAT: "secretariat",
    Role.MEMBER: "member",
    Role.OBSERVER: "projector",
}


def may_see(person: Person, meeting: Meeting) -> bool:
    """Drafts are for the chair and the secretariat; the rest see published meetings."""
    return meeting.status is not MeetingStatus.DRAFT or person.role in (
        Role.CHAIR,
        Role.SECRETARIAT,
    )


async def meeting_and_person(request: Request, meeting_id: int) -> tuple[Meeting, Person]:
    board = board_of(request)
    async with board.db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
        if meeting is None:
            raise NotFound("meeting {meeting_id} does not exist", meeting_id=meeting_id)
        person = await auth.person_in_body(conn, request, meeting.body_id)
    if not may_see(person, meeting):
        raise Forbidden("this meeting has not been published yet")
    return meeting, person


async def room(request: Request) -> Response:
    return await _show(request, projector=False)


async def projector(request: Request) -> Response:
    return await _show(request, projector=True)


async def _show(request: Request, *, projector: bool) -> Response:
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    try:
        _meeting, person = await meeting_and_person(request, meeting_id)
    except ActionError as error:
        return html_error(request, error)
    if person.role is not Role.OBSERVER and not projector:
        await board.act(person, "attendance.mark", {}, meeting_id=meeting_id)
    state = await board.state(meeting_id)
    assert state is not None
    view = "projector" if projector else VIEW_OF_ROLE[person.role]
    template = "projector.html" if view == "projector" else "meeting.html"
    return page(request, template, me=person, **live_context(state, view))


async def edit(request: Request) -> Response:
    """The secretariat's form for the meeting's details."""
    meeting_id = request.path_params["meeting_id"]
    try:
        meeting, person = await meeting_and_person(request, meeting_id)
        if person.role is not Role.SECRETARIAT:
            raise Forbidden("only the secretariat may do this")
    except ActionError as error:
        return html_error(request, error)
    return page(request, "meeting_edit.html", meeting=meeting)


async def act(request: Request) -> Response:
    """An HTML form posting a meeting action: the same dispatcher as the JSON API."""
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    name = request.path_params["name"]
    form: dict[str, str] = {}
    try:
        form = await read_form(request)
        meeting, person = await meeting_and_person(request, meeting_id)
        await board.act(person, name, form, meeting_id=meeting.id)
    except ActionError as error:
        if name == "meeting.update" and error.status == 422:
            # Keep what was typed: show the form again with the reason.
            found, _person = await meeting_and_person(request, meeting_id)
            return page(
                request,
                "meeting_edit.html",
                status=422,
                meeting=found,
                form=form,
                error=error.localized(gettext_of(request)),
            )
        if not is_htmx(request):
            flash_later(request, error.localized(gettext_of(request)), "error")
            return RedirectResponse(_back(meeting_id, name, form), status_code=303)
        return html_error(request, error)
    _ = gettext_of(request)
    if is_htmx(request):
        return flash_fragment(request, _(message_for(name)), "ok")
    flash_later(request, _(message_for(name)))
    return RedirectResponse(_back(meeting_id, name, form), status_code=303)


def _back(meeting_id: int, name: str, form: dict[str, str]) -> str:
    """Where a form returns: the minutes editor (at the entry edited) for minutes actions."""
    if name.startswith("minutes."):
        anchor = form.get("anchor", "")
        return f"/meetings/{meeting_id}/minutes" + (f"#{anchor}" if ANCHOR.match(anchor) else "")
    return f"/meetings/{meeting_id}" + ("#agenda-editor" if name.startswith("agenda.") else "")
