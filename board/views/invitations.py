"""``GET /api/meetings/{id}/invitations``: for the secretariat, each invitation e-mail and
where its delivery stands (queued, sending, sent, failed; attempts and the server's last
refusal)."""

from __future__ import annotations

from dataclasses import asdict

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.actions.errors import ActionError, Forbidden
from board.actions.permissions import Permission, allowed
from board.store import mail
from board.views.base import board_of, json_error
from board.views.meeting import meeting_and_person


async def api_list(request: Request) -> Response:
    board = board_of(request)
    try:
        meeting, person = await meeting_and_person(request, request.path_params["meeting_id"])
        if not allowed(person.role, Permission.PREPARE_MEETING):
            raise Forbidden("only the secretariat may see the invitations")
    except ActionError as error:
        return json_error(error)
    deliveries = await board.db.run_read(mail.of_meeting, meeting.id)
    return JSONResponse(
        {
            "mail": board.mailer is not None,
            "deliveries": [asdict(delivery) for delivery in deliveries],
        },
        headers={"cache-control": "no-store"},
    )
