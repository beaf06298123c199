"""The archive of finalized minutes by body and fiscal year; it shows only what the reader
may read (``board.minutes.access``). Search is ``board.views.search``."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from board.actions.errors import ActionError
from board.minutes import SCHEMA
from board.minutes.access import Standing
from board.minutes.era import fiscal_year, fiscal_year_text
from board.minutes.model import MinutesKind
from board.store import minutes as store
from board.views.base import board_of, html_error, page, query_int
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


async def schema(request: Request) -> Response:
    """The JSON Schema every JSON export of the minutes validates against."""
    return FileResponse(SCHEMA, media_type="application/schema+json")
