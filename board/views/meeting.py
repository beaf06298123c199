"""The live room page for each role, the projector, and the forms that act on a meeting."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from board import auth
from board.actions.errors import ActionError, Forbidden, NotFound
from board.models import Meeting, MeetingStatus, Mine, Person, Role
from board.render import live_context
from board.store import meetings, people
from board.store.db import Conn
from board.views.base import (
    action_payload,
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
    """The meeting and who is asking, or the error to answer with (every request of the
    live room starts here: one hop to a reader's thread)."""
    asking = auth.Credentials.of(request)
    meeting, person = await board_of(request).db.run_lookup(meeting_in_body, asking, meeting_id)
    if not may_see(person, meeting):
        raise Forbidden("this meeting has not been published yet")
    return meeting, person


async def meeting_in_body(
    conn: Conn, asking: auth.Credentials, meeting_id: int
) -> tuple[Meeting, Person]:
    """The meeting and the person of its body asking (a page or a WebSocket)."""
    meeting = await meetings.get_meeting(conn, meeting_id)
    if meeting is None:
        raise NotFound("meeting {meeting_id} does not exist", meeting_id=meeting_id)
    return meeting, await auth.person_in_body(conn, asking, meeting.body_id)


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
    mine = await _mine(request, meeting_id, person)
    return page(
        request,
        template,
        me=person,
        agreed=mine.agreed,
        ballots=mine.ballots,
        upload_limit=board.settings.max_upload_bytes,
        **live_context(state, view),
    )


async def _mine(request: Request, meeting_id: int, person: Person) -> Mine:
    """What only this person sees (the opinions they agree with, their choices in open
    named votes): the hub's own reader of it, never in a broadcast."""
    found = await board_of(request).hub.load_mine(meeting_id, frozenset({person.id}))
    return found[person.id]


# Actions whose result differs per person: the reply carries the person's own state.
PERSONAL = {"opinion.agree", "opinion.unagree", "vote.cast"}


def _back(meeting_id: int, name: str, form: dict[str, str]) -> str:
    """Where a form lands after an action: the part of the page it acted on (for minutes
    actions, the minutes editor at the entry edited)."""
    if name.startswith("minutes."):
        anchor = form.get("anchor", "")
        return f"/meetings/{meeting_id}/minutes" + (f"#{anchor}" if ANCHOR.match(anchor) else "")
    anchor = ""
    if ANCHOR.match(form.get("anchor", "")):  # the form says where it came from
        anchor = f"#{form['anchor']}"
    elif name.startswith("agenda."):
        anchor = "#agenda-editor"
    elif name.startswith(("opinion.", "material.", "comments.")):
        if form.get("item_id", "").isdigit():
            anchor = f"#item-{form['item_id']}"
        elif form.get("opinion_id", "").isdigit():
            anchor = f"#opinion-{form['opinion_id']}"
        else:
            anchor = "#items"
    return f"/meetings/{meeting_id}{anchor}"


async def edit(request: Request) -> Response:
    """The secretariat's form for the meeting's details."""
    meeting_id = request.path_params["meeting_id"]
    try:
        meeting, person = await meeting_and_person(request, meeting_id)
        if person.role is not Role.SECRETARIAT:
            raise Forbidden("only the secretariat may do this")
    except ActionError as error:
        return html_error(request, error)
    return await _edit_page(request, meeting)


async def _edit_page(request: Request, meeting: Meeting, **context: Any) -> Response:
    """The details form, and the choice of the chair's deputy among the body's chairs."""
    async with board_of(request).db.read() as conn:
        roster = await people.roster(conn, meeting.body_id)
    chairs = [p for p in roster if p.role is Role.CHAIR]
    return page(request, "meeting_edit.html", meeting=meeting, chairs=chairs, **context)


async def act(request: Request) -> Response:
    """An HTML form posting a meeting action: the same dispatcher as the JSON API."""
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    name = request.path_params["name"]
    form: dict[str, str] = {}
    try:
        form = await read_form(request)
        meeting, person = await meeting_and_person(request, meeting_id)
        result = await board.act(person, name, action_payload(form), meeting_id=meeting.id)
    except ActionError as error:
        if name == "meeting.update" and error.status == 422:
            # Keep what was typed: show the form again with the reason.
            found, _person = await meeting_and_person(request, meeting_id)
            return await _edit_page(
                request,
                found,
                status=422,
                form=form,
                error=error.localized(gettext_of(request)),
            )
        if not is_htmx(request):
            flash_later(request, error.localized(gettext_of(request)), "error")
            return RedirectResponse(_back(meeting_id, name, form), status_code=303)
        return html_error(request, error)
    _ = gettext_of(request)
    if is_htmx(request):
        response = flash_fragment(request, _(message_for(name)), "ok")
        if name in PERSONAL:
            mine = board.renderer.mine(await _mine(request, meeting_id, person))
            if name == "vote.cast":  # a secret ballot's receipt stays on this device only
                mine += board.renderer.page("partials/_vote_receipt.html", "ja", result=result.data)
            response = HTMLResponse(bytes(response.body).decode() + mine)
        return response
    flash_later(request, _(message_for(name)))
    return RedirectResponse(_back(meeting_id, name, form), status_code=303)
