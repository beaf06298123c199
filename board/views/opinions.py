"""Written opinions: the author's edit page, the list for API clients, and the CSV export
for the secretariat (UTF-8, optional BOM, one record per line: a line break is kept as the
two characters \\n so the text can be restored; see ``board.spreadsheet``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board import timeutil
from board.actions.errors import ActionError, Forbidden, NotFound
from board.actions.opinions import OPEN_STATUSES
from board.actions.permissions import Permission, allowed
from board.i18n import N_
from board.models import OPINION_MAX, CommentWindow, Opinion, Role
from board.spreadsheet import Breaks, to_csv
from board.store import materials, meetings, opinions, people
from board.timeutil import now_iso
from board.views.base import (
    board_of,
    csv_download,
    gettext_of,
    html_error,
    json_error,
    lang_of,
    page,
    wants_bom,
)
from board.views.materials import error_response
from board.views.meeting import meeting_and_person

STANCES = {
    "support": N_("Support"),
    "concern": N_("Concern"),
    "question": N_("Question"),
    "proposal": N_("Proposal"),
}
TRIAGES = {
    "raise": N_("To raise at the meeting"),
    "answered": N_("Answered in writing"),
    "noted": N_("Noted"),
}
STATUSES = {"active": N_("Active"), "withdrawn": N_("Withdrawn")}
COLUMNS = [
    N_("Opinion ID"),
    N_("Item number"),
    N_("Agenda item"),
    N_("Author"),
    N_("Role"),
    N_("Affiliation"),
    N_("Stance"),
    N_("Opinion"),
    N_("Agrees"),
    N_("Status"),
    N_("Triage"),
    N_("Written answer"),
    N_("Put in the queue at"),
    N_("Written at"),
    N_("Last edited at"),
    N_("About the page"),  # 「資料1 p.12」: the page of a material the opinion points at
]


def _page_ref(titles: dict[int, str], opinion: Opinion) -> str:
    """「資料1 p.12」, or nothing (no page, or its material has been removed)."""
    if opinion.material_id is None or opinion.material_id not in titles:
        return ""
    return f"{titles[opinion.material_id]} p.{opinion.page}"


def opinion_json(opinion: Opinion) -> dict[str, Any]:
    return {
        "id": opinion.id,
        "item_id": opinion.item_id,
        "author": {
            "id": opinion.author.id,
            "name": opinion.author.name,
            "role": opinion.author.role.value,
        },
        "stance": opinion.stance.value,
        "text": opinion.text,
        "status": opinion.status.value,
        "agrees": opinion.agrees,
        "triage": None if opinion.triage is None else opinion.triage.value,
        "answer": opinion.answer,
        "answered_at": opinion.answered_at,
        "request_id": opinion.request_id,
        "queued_at": opinion.queued_at,
        "created_at": opinion.created_at,
        "updated_at": opinion.updated_at,
        "material_id": opinion.material_id,
        "page": opinion.page,
    }


def comments_json(comments: CommentWindow) -> dict[str, Any]:
    return {
        "deadline": comments.deadline,
        "closed": comments.closed,
        "open": comments.is_open(now_iso()),
    }


def _may_read(role: Role) -> bool:
    return role is not Role.OBSERVER


async def api_list(request: Request) -> Response:
    """``GET /api/meetings/{id}/opinions``: the comment window, the active opinions (agenda
    order, then as written) and which of them the caller agrees with."""
    board = board_of(request)
    try:
        meeting, person = await meeting_and_person(request, request.path_params["meeting_id"])
        if not _may_read(person.role):
            raise Forbidden("observers do not see the written opinions")
    except ActionError as error:
        return json_error(error, request)
    async with board.db.read() as conn:
        found = await opinions.of_meeting(conn, meeting.id)
        comments = await opinions.window(conn, meeting.id)
        agreed = await opinions.agreed_by(conn, meeting.id, person.id)
    return JSONResponse(
        {
            "comments": comments_json(comments),
            "opinions": [opinion_json(opinion) for opinion in found],
            "agreed": sorted(agreed),
        }
    )


async def export_csv(request: Request) -> Response:
    """``GET /meetings/{id}/opinions.csv[?bom=1]``: every opinion, withdrawn ones included,
    with the header and labels in the reader's language."""
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    try:
        meeting, person = await meeting_and_person(request, meeting_id)
        if not allowed(person.role, Permission.TRIAGE_OPINIONS):
            raise Forbidden("only the secretariat may export the opinions")
    except ActionError as error:
        return error_response(request, error)
    async with board.db.read() as conn:
        found = await opinions.of_meeting(conn, meeting.id, include_withdrawn=True)
        items = {item.id: item for item in await meetings.items(conn, meeting.id)}
        body = await people.get_body(conn, meeting.body_id)
        titles = {m.id: m.title for m in await materials.materials(conn, meeting.id)}
    assert body is not None
    _ = gettext_of(request)
    rows = [
        [
            opinion.id,
            items[opinion.item_id].path,
            items[opinion.item_id].title,
            opinion.author.name,
            body.title_for(opinion.author.role),
            opinion.author.affiliation,
            _(STANCES[opinion.stance.value]),
            opinion.text,
            opinion.agrees,
            _(STATUSES[opinion.status.value]),
            "" if opinion.triage is None else _(TRIAGES[opinion.triage.value]),
            opinion.answer,
            timeutil.local_iso(opinion.queued_at),
            timeutil.local_iso(opinion.created_at),
            timeutil.local_iso(opinion.updated_at) if opinion.edited else "",
            _page_ref(titles, opinion),
        ]
        for opinion in found
    ]
    columns = [_(column) for column in COLUMNS]
    text = to_csv(columns, rows, breaks=Breaks.ESCAPE, bom=wants_bom(request))
    filename = f"{meeting.date}_{meeting.title}_{_('opinions')}.csv"
    return csv_download(text, filename, language=lang_of(request))


async def edit_page(request: Request) -> Response:
    """The author's page to change or withdraw an opinion (works without JavaScript)."""
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    opinion_id = request.path_params["opinion_id"]
    try:
        meeting, person = await meeting_and_person(request, meeting_id)
        async with board.db.read() as conn:
            opinion = await opinions.get(conn, opinion_id)
            item = None if opinion is None else await meetings.numbered_item(conn, opinion.item_id)
            body = await people.get_body(conn, meeting.body_id)
            comments = await opinions.window(conn, meeting.id)
        if opinion is None or opinion.meeting_id != meeting.id or item is None:
            raise NotFound(
                "opinion {opinion_id} does not exist in this meeting", opinion_id=opinion_id
            )
        if opinion.author.id != person.id:
            raise Forbidden("you can only change your own opinion")
    except ActionError as error:
        return html_error(request, error)
    return page(
        request,
        "opinion_edit.html",
        meeting=meeting,
        body=body,
        item=item,
        opinion=opinion,
        me=person,
        opinion_max=OPINION_MAX,
        comments_open=meeting.status in OPEN_STATUSES and comments.is_open(now_iso()),
    )
