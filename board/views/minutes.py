"""The minutes pages: the secretariat's editor, the document and its exports, the report.

Every format is rendered from the same document (``board.minutes.model``): the working
draft built from the floor log and the edits, or a finalized revision's frozen JSON.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from board import auth
from board.actions.errors import ActionError, Forbidden, Invalid, NotFound
from board.minutes import access, model
from board.minutes import report as meeting_report
from board.minutes import style as minutes_style
from board.minutes.access import Reader, Standing
from board.minutes.era import Calendar
from board.minutes.floorlog import item_spans
from board.minutes.layout import Layout, layout
from board.minutes.model import Copy, Document, Minutes, MinutesStatus, Revision
from board.minutes.tabular import to_csv
from board.minutes.text import to_markdown, to_text
from board.models import Meeting, MeetingStatus, Role
from board.store import meetings
from board.store import minutes as store
from board.views.base import board_of, html_error, json_error, lang_of, page, query_int

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "minutes.css"
MEDIA = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def _stylesheet() -> tuple[Markup, str]:
    """The document's stylesheet, embedded so a saved file prints the same, and the CSP
    hash that lets exactly that style in (no inline style is allowed otherwise)."""
    css = STYLESHEET.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return Markup(css), f"'sha256-{digest}'"


CSS, CSS_HASH = _stylesheet()
DOCUMENT_CSP = (
    f"default-src 'none'; style-src {CSS_HASH}; img-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'"
)


@dataclass(frozen=True, slots=True)
class Loaded:
    """A document as one reader may have it."""

    meeting: Meeting
    minutes: Minutes
    revisions: list[Revision]
    standing: Standing
    choice: access.Choice
    document: Document
    text: str  # its canonical JSON
    sha256: str | None  # set for a finalized revision


def calendar_of(request: Request) -> Calendar | None:
    """The calendar the reader asked for (``era=western`` or ``era=japanese``); None: the
    one the document's minutes style uses."""
    asked = request.query_params.get("era")
    return Calendar(asked) if asked in ("western", "japanese") else None


def _copy_param(request: Request) -> Copy | None:
    value = request.query_params.get("copy")
    if not value:
        return None
    try:
        return Copy(value)
    except ValueError:
        raise Invalid("copy must be original or public") from None


async def reader_of(request: Request) -> Reader:
    async with board_of(request).db.read() as conn:
        return Reader.of(await auth.signed_in(conn, request))


async def load(request: Request, meeting_id: int) -> Loaded:
    """The document the reader asked for (``revision``, ``copy``, ``draft``) and may read."""
    revision = query_int(request, "revision", minimum=1)
    copy = _copy_param(request)
    draft = request.query_params.get("draft") == "1"
    async with board_of(request).db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
        if meeting is None:
            raise NotFound("meeting {meeting_id} does not exist", meeting_id=meeting_id)
        standing = Reader.of(await auth.signed_in(conn, request)).standing(meeting.body_id)
        minutes = await store.get(conn, meeting_id)
        revisions = await store.revisions(conn, meeting_id)
        if draft and standing is Standing.STAFF and minutes.status is MinutesStatus.FINALIZED:
            # Finalized minutes have no working draft until a revision is opened.
            raise NotFound(
                "the minutes are finalized (revision {revision}): there is no draft",
                revision=minutes.revision,
            )
        choice = access.choose(
            standing, minutes, revisions, revision=revision, copy=copy, draft=draft
        )
        if choice is None:
            if standing is Standing.MEMBER:
                raise NotFound("the minutes of this meeting have not been finalized yet")
            raise NotFound("no published minutes of this meeting were found")
        if choice.revision is None:
            sources = await store.sources(conn, meeting_id)
            assert sources is not None
            document = model.build(sources)
            if choice.copy is Copy.PUBLIC:
                document = model.public_copy(document)
            text, sha256 = model.canonical(document), None
        else:
            found = await store.revision_document(conn, meeting_id, choice.revision, choice.copy)
            assert found is not None
            text, sha256 = found
            document = model.parse(text)
    return Loaded(meeting, minutes, revisions, standing, choice, document, text, sha256)


def _filename(loaded: Loaded, extension: str) -> str:
    which = f"r{loaded.choice.revision}" if loaded.choice.revision else "draft"
    public = "-public" if loaded.choice.copy is Copy.PUBLIC else ""
    return f"minutes-{loaded.meeting.id}-{which}{public}.{extension}"


def _document_links(loaded: Loaded) -> dict[str, str]:
    """The query that names this document, for links to its other formats."""
    query = []
    if loaded.choice.revision is not None:
        query.append(f"revision={loaded.choice.revision}")
    elif loaded.standing is Standing.STAFF and loaded.minutes.revision:
        query.append("draft=1")
    if loaded.standing is Standing.STAFF:
        query.append(f"copy={loaded.choice.copy.value}")
    suffix = ("?" + "&".join(query)) if query else ""
    base = f"/meetings/{loaded.meeting.id}/minutes"
    links = {fmt: f"{base}.{fmt}{suffix}" for fmt in MEDIA}
    links["csv_bom"] = links["csv"] + ("&" if suffix else "?") + "bom=1"
    links["document"] = f"{base}/document{suffix}"
    links["western"] = links["document"] + ("&" if suffix else "?") + "era=western"
    links["japanese"] = links["document"] + ("&" if suffix else "?") + "era=japanese"
    if loaded.sha256:  # a PDF is made of finalized minutes only
        links["pdf"] = f"{base}.pdf{suffix}"
    return links


def render_document(
    request: Request, loaded: Loaded, the_layout: Layout, *, calendar: Calendar | None, nav: bool
) -> str:
    """The standalone HTML document; ``nav`` adds the links around it (not in a download)."""
    board = board_of(request)
    calendar = calendar or minutes_style.of_document(loaded.document.get("style")).calendar
    return board.renderer.page(
        "minutes_document.html",
        lang_of(request),
        request=request,
        layout=the_layout,
        loaded=loaded,
        links=_document_links(loaded),
        others=access.readable_revisions(loaded.standing, loaded.revisions),
        calendar=calendar.value,
        css=CSS,
        staff=loaded.standing is Standing.STAFF,
        nav=nav,
    )


def _document_response(html: str, *, sha256: str | None, download: str | None = None) -> Response:
    headers = {"content-security-policy": DOCUMENT_CSP}
    if sha256:
        headers["x-minutes-sha256"] = sha256
    if download:
        headers["content-disposition"] = f'attachment; filename="{download}"'
    return Response(html, media_type=MEDIA["html"], headers=headers)


async def document(request: Request) -> Response:
    """The document as an accessible HTML page with an A4 print stylesheet."""
    try:
        loaded = await load(request, request.path_params["meeting_id"])
    except ActionError as error:
        return html_error(request, error)
    calendar = calendar_of(request)
    the_layout = layout(loaded.document, calendar=calendar, sha256=loaded.sha256)
    html = render_document(request, loaded, the_layout, calendar=calendar, nav=True)
    return _document_response(html, sha256=loaded.sha256)


async def export(request: Request) -> Response:
    """/meetings/{id}/minutes.{json,md,txt,csv,html}: the same document in each format."""
    fmt = request.path_params["fmt"]
    try:
        if fmt not in MEDIA:
            raise NotFound("unknown format: {fmt}", fmt=fmt)
        loaded = await load(request, request.path_params["meeting_id"])
    except ActionError as error:
        return json_error(error, request)
    calendar = calendar_of(request)
    headers = {"content-disposition": f'attachment; filename="{_filename(loaded, fmt)}"'}
    if loaded.sha256:
        headers["x-minutes-sha256"] = loaded.sha256
    if fmt == "json":
        return Response(loaded.text, media_type=MEDIA["json"], headers=headers)
    if fmt == "csv":
        bom = request.query_params.get("bom") == "1"
        return Response(to_csv(loaded.document, bom=bom), media_type=MEDIA["csv"], headers=headers)
    the_layout = layout(loaded.document, calendar=calendar, sha256=loaded.sha256)
    if fmt == "md":
        return Response(to_markdown(the_layout), media_type=MEDIA["md"], headers=headers)
    if fmt == "txt":
        return Response(to_text(the_layout), media_type=MEDIA["txt"], headers=headers)
    html = render_document(request, loaded, the_layout, calendar=calendar, nav=False)
    return _document_response(html, sha256=loaded.sha256, download=_filename(loaded, fmt))


async def api_minutes(request: Request) -> Response:
    """Where the minutes stand, the revisions the reader may read, and the document."""
    try:
        loaded = await load(request, request.path_params["meeting_id"])
    except ActionError as error:
        return json_error(error, request)
    public = loaded.choice.copy is Copy.PUBLIC
    readable = access.readable_revisions(loaded.standing, loaded.revisions)
    return JSONResponse(
        {
            "meeting_id": loaded.meeting.id,
            "status": loaded.minutes.status.value,
            "kind": loaded.minutes.kind.value,
            "revision": loaded.minutes.revision,
            "published_revision": loaded.minutes.published_revision,
            "revisions": [
                {
                    "number": found.number,
                    "reason": found.reason,
                    "finalized_at": found.finalized_at,
                    "published_at": found.published_at,
                    "sha256": found.public_sha256 if public else found.sha256,
                }
                for found in readable
            ],
            "sha256": loaded.sha256,
            "document": loaded.document,
        }
    )


# The secretariat's editor ----------------------------------------------------------------


async def _staff(request: Request, meeting_id: int) -> tuple[Meeting, Reader]:
    reader = await reader_of(request)
    async with board_of(request).db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
    if meeting is None:
        raise NotFound("meeting {meeting_id} does not exist", meeting_id=meeting_id)
    if reader.standing(meeting.body_id) is not Standing.STAFF:
        raise Forbidden("only the secretariat and the chair may open the minutes editor")
    return meeting, reader


async def editor(request: Request) -> Response:
    """The secretariat's minutes page; others are sent to the document they may read."""
    meeting_id = request.path_params["meeting_id"]
    try:
        meeting, reader = await _staff(request, meeting_id)
    except Forbidden:
        return RedirectResponse(f"/meetings/{meeting_id}/minutes/document", status_code=303)
    except ActionError as error:
        return html_error(request, error)
    me = reader.person_in(meeting.body_id)
    assert me is not None
    async with board_of(request).db.read() as conn:
        sources = await store.sources(conn, meeting_id)
        removed = await store.statements(conn, meeting_id, removed=True)
        revisions = await store.revisions(conn, meeting_id)
    assert sources is not None
    numbers = model.item_numbers(sources.items, sources.levels)
    editable = (
        me.role is Role.SECRETARIAT
        and sources.minutes.editable
        and meeting.status in (MeetingStatus.LIVE, MeetingStatus.ADJOURNED)
    )
    return page(
        request,
        "minutes.html",
        me=me,
        meeting=meeting,
        body=sources.body,
        minutes=sources.minutes,
        sources=sources,
        numbers=numbers,
        removed=removed,
        revisions=revisions,
        editable=editable,
        may_approve=me.role is Role.CHAIR and me.id in meeting.approvers,
        people=[p for p in sources.roster if p.active and p.role is not Role.OBSERVER],
        present=_present_ids(sources),
    )


def _is_secretariat(reader: Reader, meeting: Meeting) -> bool:
    me = reader.person_in(meeting.body_id)
    return me is not None and me.role is Role.SECRETARIAT


def _present_ids(sources: model.Sources) -> frozenset[int]:
    overrides = sources.attendance_overrides
    return frozenset(
        person.id
        for person in sources.roster
        if overrides.get(person.id, person.id in sources.present_ids)
    )


async def statement_form(request: Request) -> Response:
    """One entry's summary form, for the live panel (loaded beside it, so a push that
    redraws the panel does not disturb the writing)."""
    meeting_id = request.path_params["meeting_id"]
    statement_id = request.path_params["statement_id"]
    try:
        meeting, reader = await _staff(request, meeting_id)
        async with board_of(request).db.read() as conn:
            statement = await store.get_statement(conn, statement_id)
            minutes = await store.get(conn, meeting_id)
            sources = await store.sources(conn, meeting_id)
        if statement is None or statement.meeting_id != meeting_id:
            raise NotFound(
                "statement {statement_id} does not exist in these minutes",
                statement_id=statement_id,
            )
    except ActionError as error:
        return html_error(request, error)
    assert sources is not None
    return page(
        request,
        "partials/_minutes_summary.html",
        meeting=meeting,
        body=sources.body,
        statement=statement,
        numbers=model.item_numbers(sources.items, sources.levels),
        editable=minutes.editable and _is_secretariat(reader, meeting),
        standalone=True,
    )


# The meeting report ------------------------------------------------------------------------


async def _report(request: Request) -> tuple[Meeting, meeting_report.Report, dict[str, Any]]:
    meeting_id = request.path_params["meeting_id"]
    reader = await reader_of(request)
    async with board_of(request).db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
        if meeting is None:
            raise NotFound("meeting {meeting_id} does not exist", meeting_id=meeting_id)
        standing = reader.standing(meeting.body_id)
        if standing is Standing.PUBLIC:
            raise Forbidden("the meeting report is for the members of the body")
        if standing is Standing.MEMBER and meeting.status is not MeetingStatus.ADJOURNED:
            raise Forbidden("the meeting report is shown once the meeting is adjourned")
        sources = await store.sources(conn, meeting_id)
        assert sources is not None
        built = meeting_report.build(
            sources,
            item_spans(await store.floor_log(conn, meeting_id)),
            materials_read_before=await store.materials_read_before(conn, meeting_id),
            opinions_raised=await store.opinions_raised(conn, meeting_id),
        )
    extra = {"body": sources.body, "numbers": model.item_numbers(sources.items, sources.levels)}
    return meeting, built, extra


async def report(request: Request) -> Response:
    try:
        meeting, built, extra = await _report(request)
    except ActionError as error:
        return html_error(request, error)
    return page(request, "minutes_report.html", meeting=meeting, report=built, **extra)


async def report_json(request: Request) -> Response:
    try:
        meeting, built, _extra = await _report(request)
    except ActionError as error:
        return json_error(error, request)
    return JSONResponse({"meeting_id": meeting.id, **built.as_json()})
