"""Finding texts: a parsed query (``board.search.query``) and the filters of municipal
minutes search, answered from the index on either store with the same hits in the same
order, only what the reader may see (the visibility is part of the query), counted and
paged."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from markupsafe import Markup

from board.minutes.access import Reader
from board.search.normalize import bigrams, gram_term, normalize, unigrams
from board.search.query import Query, parse
from board.search.snippet import excerpt
from board.store.conn import Conn, Dialect, Row
from board.store.search import Kind, body_token, day_key

QUERY_MAX = 200
PER_PAGE = 20
PER_PAGE_MAX = 100
FILTER_MAX = 100
# Counted and paged: the newest TOTAL_CAP matches ("10,000件以上" beyond, as municipal
# minutes systems do); relevance ranks the newest RANK_CAP of them, the rest follow by date.
TOTAL_CAP = 10_000
RANK_CAP = 1_000
_SCORE_SCALE = 10000  # relevance: hits per character, in integers both stores compute alike
_SCORE_PAD = 100  # so a short text with one hit does not outrank a long one with many


class Order(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"


def fiscal_year_span(year: int) -> tuple[date, date]:
    """年度 N runs from 1 April of N to 31 March of N + 1."""
    return date(year, 4, 1), date(year + 1, 3, 31)


@dataclass(frozen=True, slots=True)
class Filters:
    body_id: int | None = None
    meeting_id: int | None = None
    kind: Kind | None = None
    since: date | None = None
    until: date | None = None
    fiscal_year: int | None = None
    speaker_role: str = ""
    speaker_name: str = ""
    item_title: str = ""

    def period(self) -> tuple[date | None, date | None]:
        """The dates the meeting must fall in: the given period within the fiscal year."""
        since, until = self.since, self.until
        if self.fiscal_year is not None:
            first, last = fiscal_year_span(self.fiscal_year)
            since = first if since is None else max(since, first)
            until = last if until is None else min(until, last)
        return since, until


@dataclass(frozen=True, slots=True)
class Hit:
    kind: Kind
    ref_id: int
    revision: int
    meeting_id: int
    meeting_title: str
    meeting_date: str
    body_name: str
    item_title: str
    label: str
    url: str
    snippet: Markup


@dataclass(frozen=True, slots=True)
class Result:
    total: int  # at most TOTAL_CAP
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    capped: bool = False  # more than TOTAL_CAP match: only the newest TOTAL_CAP are shown

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


# Staff search the working copy and opinions; members the latest finalized revision and the
# opinions they may read; everyone the latest published revision of other bodies.
_VISIBLE = """(
    (d.kind != 'opinion' AND d.revision = 0 AND d.body_id {staff})
    OR (d.kind = 'opinion' AND (d.body_id {staff}
        OR (d.restricted = 0 AND d.body_id {members})))
    OR (d.kind != 'opinion' AND d.revision > 0
        AND NOT (d.body_id {staff})
        AND ((d.body_id {members} AND d.revision = mi.revision)
          OR (NOT (d.body_id {members}) AND d.revision = mi.published_revision)))
)"""

_FROM = "FROM {source} LEFT JOIN minutes mi ON mi.meeting_id = d.meeting_id "
_COLUMNS = (
    "SELECT d.id, d.kind, d.ref_id, d.revision, d.meeting_id, d.label, d.url, d.content, "
    "m.title AS meeting_title, m.date AS meeting_date, b.name AS body_name, "
    "coalesce(a.title, '') AS item_title "
    "FROM found d JOIN meetings m ON m.id = d.meeting_id JOIN bodies b ON b.id = d.body_id "
    "LEFT JOIN agenda_items a ON a.id = d.item_id "
)


# The ids as one string: 10,000 rows cost more to hand over than to find.
_LIST = {
    Dialect.SQLITE: "group_concat(id)",
    Dialect.POSTGRES: "string_agg(CAST(id AS TEXT), ',')",
}


class _Sql:
    """Builds one statement's text and named parameters for one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.params: dict[str, object] = {}

    def param(self, value: object) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def ids(self, values: list[int]) -> str:
        if self.dialect is Dialect.POSTGRES:
            return f"= ANY(CAST({self.param(sorted(values))} AS BIGINT[]))"
        return f"IN (SELECT value FROM json_each({self.param(json.dumps(sorted(values)))}))"

    def contains(self, column: str, needle: str) -> str:
        function = "strpos" if self.dialect is Dialect.POSTGRES else "instr"
        return f"{function}({column}, CAST({self.param(needle)} AS TEXT)) > 0"


def _fts_terms(term: str) -> str | None:
    """The FTS5 expression every text containing ``term`` matches: the term itself when it
    has one or two characters, else all of its bigrams (None: punctuation or space only)."""
    tokens = bigrams(term) or unigrams(term)
    if not tokens:
        return None
    return "(" + " AND ".join(f'"{token}"' for token in tokens) + ")"


def _exact(term: str) -> bool:
    """Whether the index alone answers the term (one or two indexable characters)."""
    return len(term) <= 2 and gram_term(term)


def _postgres_term(sql: _Sql, term: str) -> str:
    if _exact(term):
        return f"d.grams @> CAST({sql.param([term])} AS TEXT[])"
    if len(term) >= 3:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
        return f"d.norm LIKE {sql.param(pattern)} ESCAPE '\\'"
    return sql.contains("d.norm", term)


def _matching(sql: _Sql, query: Query, body_id: int | None) -> tuple[str, str, list[str]]:
    """The source of candidate texts, its id column (date order) and the conditions that
    make them exact."""
    where: list[str] = []
    if sql.dialect is Dialect.POSTGRES:
        for group in query.groups:
            where.append("(" + " OR ".join(_postgres_term(sql, t) for t in group) + ")")
        for term in query.excluded:
            where.append(f"NOT ({_postgres_term(sql, term)})")
        return "search_docs d", "d.id", where
    matched: list[str] = []
    for group in query.groups:
        phrases = [_fts_terms(term) for term in group]
        if all(phrase is not None for phrase in phrases):
            matched.append("(" + " OR ".join(str(phrase) for phrase in phrases) + ")")
        if not all(
            phrase is not None and gram_term(t) for t, phrase in zip(group, phrases, strict=True)
        ):
            where.append("(" + " OR ".join(sql.contains("d.norm", t) for t in group) + ")")
    negated: list[str] = []
    for term in query.excluded:
        phrase = _fts_terms(term)
        if matched and phrase is not None and _exact(term):
            negated.append(phrase)
        else:
            where.append(f"NOT ({sql.contains('d.norm', term)})")
    if not matched:  # only punctuation to look for: no index can help
        return "search_docs d", "d.id", where
    expression = " AND ".join(matched) + "".join(f" NOT {phrase}" for phrase in negated)
    if body_id is not None:  # the body is a token too: the index intersects it
        expression = f"{body_token(body_id)} AND ({expression})"
    source = (
        "search_grams g JOIN search_docs d ON d.id = g.rowid "
        f"AND search_grams MATCH {sql.param(expression)}"
    )
    return source, "g.rowid", where


def _visible(sql: _Sql, reader: Reader) -> str:
    staff, members = list(reader.staff_bodies), list(reader.member_bodies)
    return _VISIBLE.format(staff=sql.ids(staff), members=sql.ids(members))


async def _item_ids(conn: Conn, filters: Filters, needle: str) -> list[int]:
    """Agenda items whose normalised title contains the needle."""
    if filters.meeting_id is not None:
        rows = await conn.all(
            "SELECT id, title FROM agenda_items WHERE meeting_id = ?", (filters.meeting_id,)
        )
    elif filters.body_id is not None:
        rows = await conn.all(
            "SELECT a.id, a.title FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id "
            "WHERE m.body_id = ?",
            (filters.body_id,),
        )
    else:
        rows = await conn.all("SELECT id, title FROM agenda_items")
    return [row["id"] for row in rows if needle in normalize(row["title"])]


def _score(sql: _Sql, query: Query) -> str:
    counts = [
        f"(length(d.norm) - length(replace(d.norm, CAST({sql.param(t)} AS TEXT), ''))) / {len(t)}"
        for t in query.terms
    ]
    return f"(({' + '.join(counts)}) * {_SCORE_SCALE}) / (length(d.norm) + {_SCORE_PAD})"


async def search(
    conn: Conn,
    query: Query | str,
    reader: Reader,
    filters: Filters = Filters(),
    *,
    order: Order = Order.RELEVANCE,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Result:
    """One page of the texts the reader may see that match, with the total (at most
    TOTAL_CAP) and safe highlighted snippets. By date: the newest meeting first, within a
    day the text added last first. By relevance: the newest RANK_CAP matches by how
    densely the terms occur (then by date), the others after them by date."""
    parsed = parse(query[:QUERY_MAX]) if isinstance(query, str) else query
    per_page = min(max(per_page, 1), PER_PAGE_MAX)
    page = max(page, 1)
    empty = Result(0, page, per_page)
    if not parsed:
        return empty
    sql = _Sql(conn.dialect)
    source, key, where = _matching(sql, parsed, filters.body_id)
    where.append(_visible(sql, reader))
    if filters.body_id is not None:
        where.append(f"d.body_id = {sql.param(filters.body_id)}")
    if filters.meeting_id is not None:
        where.append(f"d.meeting_id = {sql.param(filters.meeting_id)}")
    if filters.kind is not None:
        where.append(f"d.kind = {sql.param(filters.kind.value)}")
    since, until = filters.period()
    if since is not None:  # ids are in date order: a period is a range the index seeks
        where.append(f"{key} >= {sql.param(day_key(since))}")
    if until is not None and until < date.max:
        where.append(f"{key} < {sql.param(day_key(until + timedelta(days=1)))}")
    for column, wanted in (
        ("d.speaker_role", filters.speaker_role),
        ("d.speaker_name", filters.speaker_name),
    ):
        needle = normalize(wanted).strip()
        if needle:
            where.append(sql.contains(column, needle))
    title = normalize(filters.item_title).strip()
    if title:
        items = await _item_ids(conn, filters, title)
        if not items:
            return empty
        where.append(f"d.item_id {sql.ids(items)}")
    matching = _FROM.format(source=source) + f"WHERE {' AND '.join(where)}"
    # One walk of the index in date order gives the total and every page: at most
    # TOTAL_CAP + 1 ids, then only the rows of the page are read.
    listed = await conn.value(
        f"SELECT {_LIST[conn.dialect]} FROM (SELECT {key} AS id {matching} "
        f"ORDER BY {key} DESC LIMIT {TOTAL_CAP + 1}) AS newest",
        sql.params,
    )
    found = sorted(map(int, str(listed).split(",")), reverse=True) if listed else []
    ids = found[:TOTAL_CAP]
    total, capped = len(ids), len(found) > TOTAL_CAP
    start, end = (page - 1) * per_page, min(page * per_page, total)
    if start >= end:
        return Result(total, page, per_page, capped=capped)
    if order is Order.RELEVANCE and start < RANK_CAP:
        ids = await _ranked(conn, parsed, ids[:RANK_CAP]) + ids[RANK_CAP:]
    shown = ids[start:end]
    fetch = _Sql(conn.dialect)
    rows = await conn.all(
        f"WITH found AS (SELECT d.* FROM search_docs d WHERE d.id {fetch.ids(shown)}) {_COLUMNS}",
        fetch.params,
    )
    place = {key: number for number, key in enumerate(shown)}
    rows.sort(key=lambda row: place[int(row["id"])])
    return Result(total, page, per_page, [_hit(row, parsed) for row in rows], capped=capped)


async def _ranked(conn: Conn, query: Query, newest: list[int]) -> list[int]:
    """The newest matches by relevance: how densely the terms occur, then date order."""
    sql = _Sql(conn.dialect)
    rows = await conn.all(
        f"SELECT d.id, {_score(sql, query)} AS score FROM search_docs d "
        f"WHERE d.id {sql.ids(newest)}",
        sql.params,
    )
    score = {int(row["id"]): int(row["score"]) for row in rows}
    return sorted(newest, key=lambda key: (-score[key], -key))


def _hit(row: Row, query: Query) -> Hit:
    return Hit(
        kind=Kind(row["kind"]),
        ref_id=row["ref_id"],
        revision=row["revision"],
        meeting_id=row["meeting_id"],
        meeting_title=row["meeting_title"],
        meeting_date=row["meeting_date"],
        body_name=row["body_name"],
        item_title=row["item_title"],
        label=row["label"],
        url=row["url"],
        snippet=excerpt(row["content"], query.terms),
    )


async def bodies(conn: Conn) -> list[tuple[int, str]]:
    """Every body by name, for the search form's choice (names of bodies are public)."""
    rows = await conn.all("SELECT id, name FROM bodies ORDER BY name, id")
    return [(row["id"], row["name"]) for row in rows]
