"""``GET /api/meetings/{id}/invitations``: for the secretariat, each invitation e-mail and
where its delivery stands (queued, sending, sent, failed; attempts and the server's last
refusal)."""

from __future__ import annotations

from dataclasses import asdict

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from board.actions.errors import ActionError, Forbidden
from board.actions.permissions import Permission, allowed
from board.i18n import N_
from board.models import Meeting, Person
from board.store import mail
from board.views.base import (
    action_payload,
    board_of,
    flash_later,
    gettext_of,
    html_error,
    json_error,
    page,
    read_form,
)
from board.views.confirm import message_for
from board.views.meeting import meeting_and_person

NOTICES = {
    "invitation": N_("Invitation"),
    "update": N_("Change of the meeting"),
    "cancellation": N_("Cancellation"),
}
STATUSES = {
    "queued": N_("Waiting to be sent"),
    "sending": N_("Sending"),
    "sent": N_("Sent"),
    "failed": N_("Not delivered"),
}


async def api_list(request: Request) -> Response:
    board = board_of(request)
    try:
        meeting, person = await meeting_and_person(request, request.path_params["meeting_id"])
        if not allowed(person.role, Permission.PREPARE_MEETING):
            raise Forbidden("only the secretariat may see the invitations")
    except ActionError as error:
        return json_error(error, request)
    deliveries = await board.db.run_read(mail.of_meeting, meeting.id)
    return JSONResponse(
        {
            "mail": board.mailer is not None,
            "deliveries": [asdict(delivery) for delivery in deliveries],
        },
        headers={"cache-control": "no-store"},
    )


async def _staff(request: Request) -> tuple[Meeting, Person]:
    meeting, person = await meeting_and_person(request, request.path_params["meeting_id"])
    if not allowed(person.role, Permission.PREPARE_MEETING):
        raise Forbidden("only the secretariat may see the invitations")
    return meeting, person


async def page_list(request: Request) -> Response:
    """The secretariat's page: send the notice, and where each delivery stands."""
    board = board_of(request)
    try:
        meeting, _person = await _staff(request)
    except ActionError as error:
        return html_error(request, error)
    deliveries = await board.db.run_read(mail.of_meeting, meeting.id)
    return page(
        request,
        "invitations.html",
        meeting=meeting,
        deliveries=deliveries,
        mail_on=board.mailer is not None,
        notices=NOTICES,
        statuses=STATUSES,
    )


async def send(request: Request) -> Response:
    """``POST /meetings/{id}/invitations`` (form: ``notice``): runs ``meeting.invite``."""
    board = board_of(request)
    _ = gettext_of(request)
    try:
        form = action_payload(await read_form(request))
        meeting, person = await _staff(request)
        await board.act(person, "meeting.invite", form, meeting_id=meeting.id)
    except ActionError as error:
        if error.status in (401, 403, 404):
            return html_error(request, error)
        flash_later(request, error.localized(_), "error")
    else:
        flash_later(request, _(message_for("meeting.invite")))
    return RedirectResponse(f"/meetings/{request.path_params['meeting_id']}/invitations", 303)
