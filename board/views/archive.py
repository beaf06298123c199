"""The archive of finalized minutes by body and fiscal year, and full-text search; each
shows only what the reader may read (``board.minutes.access``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from board.actions import fields
from board.actions.errors import ActionError, Invalid
from board.minutes import SCHEMA
from board.minutes.access import Standing
from board.minutes.era import fiscal_year, fiscal_year_text
from board.minutes.model import MinutesKind
from board.store import minutes as store
from board.store import search as index
from board.views.base import board_of, html_error, json_error, page, query_int
from board.views.minutes import reader_of


def _body_param(request: Request) -> int | None:
    return query_int(request, "body", minimum=1)


async def archive(request: Request) -> Response:
    """Finalized minutes the reader may read, grouped by body and fiscal year (年度)."""
    try:
        body_id = _body_param(request)
        year = query_int(request, "year")
        reader = await reader_of(request)
    except ActionError as error:
        return html_error(request, error)
    async with board_of(request).db.read() as conn:
        rows = await store.finalized_meetings(conn, body_id)
    entries: list[dict[str, Any]] = []
    for row in rows:
        standing = reader.standing(row["body_id"])
        public = standing is Standing.PUBLIC
        revision = row["published_revision"] if public else row["revision"]
        if not revision:
            continue
        held = fiscal_year(date.fromisoformat(row["date"]))
        if year is not None and held != year:
            continue
        entries.append(
            {
                "meeting_id": row["id"],
                "title": row["title"],
                "date": row["date"],
                "body_id": row["body_id"],
                "body_name": row["body_name"],
                "revision": revision,
                "year": held,
                "kind": MinutesKind(row["kind"]),
            }
        )
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for entry in entries:
        groups.setdefault((entry["body_name"], entry["year"]), []).append(entry)
    years = sorted({entry["year"] for entry in entries}, reverse=True)
    return page(
        request,
        "archive.html",
        groups=[
            {"body_name": name, "year": held, "year_text": fiscal_year_text(held), "entries": found}
            for (name, held), found in sorted(groups.items(), key=lambda g: (g[0][0], -g[0][1]))
        ],
        years=[(held, fiscal_year_text(held)) for held in years],
        body_id=body_id,
        year=year,
    )


async def _search(request: Request) -> tuple[str, list[index.Hit]]:
    query = request.query_params.get("q", "").strip()
    if len(query) > index.QUERY_MAX:
        raise Invalid("the search is too long (limit {limit} characters)", limit=index.QUERY_MAX)
    query = fields.text({"q": query}, "q", max_len=index.QUERY_MAX, required=False)
    body_id = _body_param(request)
    reader = await reader_of(request)
    if not query:
        return query, []
    async with board_of(request).db.read() as conn:
        return query, await index.search(conn, query, reader, body_id=body_id)


async def search_page(request: Request) -> Response:
    try:
        query, hits = await _search(request)
    except ActionError as error:
        return html_error(request, error)
    return page(request, "search.html", query=query, hits=hits)


async def search_api(request: Request) -> Response:
    """GET /api/search?q=...: hits with an HTML snippet (text escaped, hits in <mark>)."""
    try:
        query, hits = await _search(request)
    except ActionError as error:
        return json_error(error)
    return JSONResponse(
        {
            "query": query,
            "results": [
                {
                    "kind": hit.kind.value,
                    "id": hit.ref_id,
                    "revision": hit.revision,
                    "meeting_id": hit.meeting_id,
                    "meeting_title": hit.meeting_title,
                    "meeting_date": hit.meeting_date,
                    "body": hit.body_name,
                    "item": hit.item_title,
                    "label": hit.label,
                    "url": hit.url,
                    "snippet": str(hit.snippet),
                }
                for hit in hits
            ],
        }
    )


async def schema(request: Request) -> Response:
    """The JSON Schema every JSON export of the minutes validates against."""
    return FileResponse(SCHEMA, media_type="application/schema+json")
