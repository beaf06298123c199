"""/search and /api/search: the query, the filters of municipal minutes search, the order
and the page, read once from the query string; only what the reader may read
(``board.store.search_find`` puts the visibility into the query)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.actions import fields
from board.actions.errors import ActionError, Invalid
from board.minutes.era import fiscal_year_text
from board.store import search_find as finder
from board.store.search import Kind
from board.views.base import board_of, html_error, json_error, page, query_int
from board.views.minutes import reader_of

PAGE_MAX = 10_000
YEARS = (1989, 2200)
_TEXT_FILTERS = {"role": "speaker_role", "speaker": "speaker_name", "item": "item_title"}


@dataclass(frozen=True, slots=True)
class Asked:
    query: str
    filters: finder.Filters
    order: finder.Order
    page: int
    per_page: int

    @property
    def filtered(self) -> bool:
        return self.filters != finder.Filters()


def _date(request: Request, name: str) -> date | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        if not value.isascii() or len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid("{name} must be a date (YYYY-MM-DD)", name=name) from None


def _choice(request: Request, name: str, allowed: list[str]) -> str | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    if value not in allowed:
        raise Invalid("{name} must be one of {allowed}", name=name, allowed=", ".join(allowed))
    return value


def _asked(request: Request) -> Asked:
    query = request.query_params.get("q", "").strip()
    if len(query) > finder.QUERY_MAX:
        raise Invalid("the search is too long (limit {limit} characters)", limit=finder.QUERY_MAX)
    query = fields.text({"q": query}, "q", max_len=finder.QUERY_MAX, required=False)
    texts: dict[str, Any] = {}
    for name, attribute in _TEXT_FILTERS.items():
        texts[attribute] = fields.text(
            {name: request.query_params.get(name, "").strip()},
            name,
            max_len=finder.FILTER_MAX,
            required=False,
        )
    year = query_int(request, "year")
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise Invalid("{name} must be a whole number", name="year")
    kind = _choice(request, "kind", [k.value for k in Kind])
    order = _choice(request, "order", [o.value for o in finder.Order])
    number = query_int(request, "page", minimum=1) or 1
    if number > PAGE_MAX:
        raise Invalid("{name} must be a whole number", name="page")
    per_page = query_int(request, "per_page", minimum=1) or finder.PER_PAGE
    if per_page > finder.PER_PAGE_MAX:
        raise Invalid("{name} must be a whole number", name="per_page")
    filters = finder.Filters(
        body_id=query_int(request, "body", minimum=1),
        meeting_id=query_int(request, "meeting", minimum=1),
        kind=Kind(kind) if kind else None,
        since=_date(request, "from"),
        until=_date(request, "to"),
        fiscal_year=year,
        **texts,
    )
    return Asked(query, filters, finder.Order(order or finder.Order.RELEVANCE), number, per_page)


async def _search(request: Request) -> tuple[Asked, finder.Result]:
    asked = _asked(request)
    reader = await reader_of(request)
    async with board_of(request).db.read() as conn:
        result = await finder.search(
            conn,
            asked.query,
            reader,
            asked.filters,
            order=asked.order,
            page=asked.page,
            per_page=asked.per_page,
        )
    return asked, result


async def search_page(request: Request) -> Response:
    try:
        asked, result = await _search(request)
    except ActionError as error:
        return html_error(request, error)
    async with board_of(request).db.read() as conn:
        bodies = await finder.bodies(conn)
    this_year = date.today().year
    years = [(y, fiscal_year_text(y)) for y in range(this_year, this_year - 15, -1)]
    pages = {name: value for name, value in request.query_params.items() if name not in ("page",)}
    return page(
        request,
        "search.html",
        asked=asked,
        query=asked.query,
        result=result,
        hits=result.hits,
        bodies=bodies,
        years=years,
        kinds=[k.value for k in Kind],
        base_params=pages,
    )


async def search_api(request: Request) -> Response:
    """GET /api/search?q=...: one page of hits with the total, each with an HTML snippet
    (text escaped, hits in <mark>)."""
    try:
        asked, result = await _search(request)
    except ActionError as error:
        return json_error(error, request)
    return JSONResponse(
        {
            "query": asked.query,
            "order": asked.order.value,
            "total": result.total,
            "total_capped": result.capped,
            "page": result.page,
            "per_page": result.per_page,
            "pages": result.pages,
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
                for hit in result.hits
            ],
        }
    )
