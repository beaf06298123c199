"""Full-text search over minutes, statements, decisions, action items and opinions.

``search_docs`` holds every searchable text with who may see it; ``search_fts`` is an
FTS5 index over it with the trigram tokenizer, so Japanese needs no dictionary. Triggers
keep the index in step with ``search_docs`` inside the caller's transaction. A term
shorter than three characters cannot match trigrams, so such a query scans
``search_docs`` itself with LIKE (on SQLite 3.40, LIKE on the trigram table finds
nothing).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum

from markupsafe import Markup, escape

from board.minutes.access import Reader
from board.minutes.model import Document, Statement
from board.models import Body
from board.store.conn import Conn, Dialect, Row

TRIGRAM = 3
LIMIT = 50
SNIPPET_TOKENS = 24
SNIPPET_CHARS = 30
QUERY_MAX = 200
_OPEN, _CLOSE = "\x01", "\x02"
_MARKERS = re.compile("[\x01\x02]")


class Kind(StrEnum):
    STATEMENT = "statement"
    DECISION = "decision"
    ACTION_ITEM = "action_item"
    OPINION = "opinion"


WORKING = 0  # the revision number of the working copy (and of opinions)


@dataclass(frozen=True, slots=True)
class Doc:
    kind: Kind
    ref_id: int
    body_id: int
    meeting_id: int
    item_id: int | None
    content: str
    url: str
    label: str = ""
    revision: int = WORKING
    restricted: bool = False


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


async def put(conn: Conn, doc: Doc) -> None:
    """Index a text, replacing what was indexed for the same thing; empty text unindexes."""
    content = _MARKERS.sub("", doc.content).strip()
    if not content:
        await remove(conn, doc.kind, doc.ref_id, doc.revision)
        return
    await conn.run(
        "INSERT INTO search_docs (kind, ref_id, revision, body_id, meeting_id, item_id, "
        "restricted, label, url, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (kind, ref_id, revision) DO UPDATE SET body_id = excluded.body_id, "
        "meeting_id = excluded.meeting_id, item_id = excluded.item_id, "
        "restricted = excluded.restricted, label = excluded.label, url = excluded.url, "
        "content = excluded.content",
        (
            doc.kind.value,
            doc.ref_id,
            doc.revision,
            doc.body_id,
            doc.meeting_id,
            doc.item_id,
            doc.restricted,
            doc.label,
            doc.url,
            content,
        ),
    )


async def remove(conn: Conn, kind: Kind, ref_id: int, revision: int = WORKING) -> None:
    await conn.run(
        "DELETE FROM search_docs WHERE kind = ? AND ref_id = ? AND revision = ?",
        (kind.value, ref_id, revision),
    )


# The working copy, kept in step by every minutes action ------------------------------------


def editor_url(meeting_id: int, anchor: str) -> str:
    return f"/meetings/{meeting_id}/minutes#{anchor}"


def document_url(meeting_id: int, revision: int, anchor: str) -> str:
    return f"/meetings/{meeting_id}/minutes/document?revision={revision}#{anchor}"


async def put_statement(conn: Conn, body: Body, statement: Statement) -> None:
    if statement.removed_at is not None:
        await remove(conn, Kind.STATEMENT, statement.id)
        return
    await put(
        conn,
        Doc(
            kind=Kind.STATEMENT,
            ref_id=statement.id,
            body_id=body.id,
            meeting_id=statement.meeting_id,
            item_id=statement.item_id,
            content=statement.text,
            url=editor_url(statement.meeting_id, f"s-{statement.id}"),
            label=statement.label_in(body),
        ),
    )


async def put_decision(
    conn: Conn, body_id: int, meeting_id: int, decision_id: int, item_id: int, text: str
) -> None:
    url = editor_url(meeting_id, f"d-{decision_id}")
    await put(conn, Doc(Kind.DECISION, decision_id, body_id, meeting_id, item_id, text, url))


async def put_action_item(
    conn: Conn, body_id: int, meeting_id: int, action_item_id: int, item_id: int, text: str
) -> None:
    url = editor_url(meeting_id, f"a-{action_item_id}")
    await put(conn, Doc(Kind.ACTION_ITEM, action_item_id, body_id, meeting_id, item_id, text, url))


async def put_opinion(
    conn: Conn,
    opinion_id: int,
    *,
    body_id: int,
    meeting_id: int,
    item_id: int | None,
    text: str,
    url: str,
    label: str = "",
    members_may_read: bool = True,
) -> None:
    """Index a written opinion (call it in the transaction that writes the opinion). Staff
    of the body always find it; its members when ``members_may_read``; the public never."""
    await put(
        conn,
        Doc(
            kind=Kind.OPINION,
            ref_id=opinion_id,
            body_id=body_id,
            meeting_id=meeting_id,
            item_id=item_id,
            content=text,
            url=url,
            label=label,
            restricted=not members_may_read,
        ),
    )


async def remove_opinion(conn: Conn, opinion_id: int) -> None:
    await remove(conn, Kind.OPINION, opinion_id)


async def put_revision(conn: Conn, public: Document, revision: int) -> None:
    """Index the frozen public copy of a finalized revision (members and, once published,
    the public search it; non-public statements are not in it)."""
    body_id, meeting_id = public["body"]["id"], public["meeting"]["id"]
    for statement in public["statements"]:
        label = statement["speaker_title"]
        if statement["speaker"]:
            label += f"（{statement['speaker']}）"
        await put(
            conn,
            Doc(
                kind=Kind.STATEMENT,
                ref_id=statement["id"],
                body_id=body_id,
                meeting_id=meeting_id,
                item_id=statement["item_id"],
                content=statement["text"],
                url=document_url(meeting_id, revision, f"s-{statement['id']}"),
                label=label,
                revision=revision,
            ),
        )
    for item in public["items"]:
        for decision in item["decisions"]:
            url = document_url(meeting_id, revision, f"d-{decision['id']}")
            await put(
                conn,
                Doc(
                    Kind.DECISION,
                    decision["id"],
                    body_id,
                    meeting_id,
                    item["id"],
                    decision["text"],
                    url,
                    revision=revision,
                ),
            )
        for task in item["action_items"]:
            url = document_url(meeting_id, revision, f"a-{task['id']}")
            text = " ".join(part for part in (task["what"], task["department"]) if part)
            await put(
                conn,
                Doc(
                    Kind.ACTION_ITEM,
                    task["id"],
                    body_id,
                    meeting_id,
                    item["id"],
                    text,
                    url,
                    revision=revision,
                ),
            )


# Searching ---------------------------------------------------------------------------------

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
) AND (CAST(:body AS BIGINT) IS NULL OR d.body_id = :body)"""


def _visible(dialect: Dialect) -> str:
    """Who may see a text; the lists of bodies are JSON for SQLite, arrays for PostgreSQL."""
    if dialect is Dialect.POSTGRES:
        return _VISIBLE.format(
            staff="= ANY(CAST(:staff AS BIGINT[]))", members="= ANY(CAST(:members AS BIGINT[]))"
        )
    return _VISIBLE.format(
        staff="IN (SELECT value FROM json_each(:staff))",
        members="IN (SELECT value FROM json_each(:members))",
    )


_SELECT = (
    "SELECT d.kind, d.ref_id, d.revision, d.meeting_id, d.label, d.url, d.content, "
    "m.title AS meeting_title, m.date AS meeting_date, b.name AS body_name, "
    "coalesce(a.title, '') AS item_title{extra} "
    "FROM {source} JOIN meetings m ON m.id = d.meeting_id JOIN bodies b ON b.id = d.body_id "
    "LEFT JOIN agenda_items a ON a.id = d.item_id "
    "LEFT JOIN minutes mi ON mi.meeting_id = d.meeting_id "
)


def terms_of(query: str) -> list[str]:
    return [term for term in query.split() if term][:10]


def _params(reader: Reader, body_id: int | None, dialect: Dialect) -> dict[str, object]:
    staff, members = sorted(reader.staff_bodies), sorted(reader.member_bodies)
    if dialect is Dialect.POSTGRES:
        return {"staff": staff, "members": members, "body": body_id}
    return {"staff": json.dumps(staff), "members": json.dumps(members), "body": body_id}


async def search(
    conn: Conn, query: str, reader: Reader, *, body_id: int | None = None, limit: int = LIMIT
) -> list[Hit]:
    """Hits the reader may see, best first, each with a safe highlighted snippet.

    On SQLite, terms of three characters or more go through the FTS5 trigram index,
    shorter ones scan the texts. On PostgreSQL every term goes through the pg_trgm index
    (ILIKE), newest meetings first."""
    terms = terms_of(query[:QUERY_MAX])
    if not terms:
        return []
    params = _params(reader, body_id, conn.dialect)
    params["limit"] = limit
    visible = _visible(conn.dialect)
    if conn.dialect is Dialect.SQLITE and all(len(term) >= TRIGRAM for term in terms):
        params["match"] = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        sql = _SELECT.format(
            extra=f", snippet(search_fts, 0, char(1), char(2), '…', {SNIPPET_TOKENS}) AS snip",
            source="search_fts JOIN search_docs d ON d.id = search_fts.rowid",
        )
        rows = await conn.all(
            sql + f"WHERE search_fts MATCH :match AND {visible} ORDER BY rank LIMIT :limit",
            params,
        )
        return [_hit(row, _marked(row["snip"])) for row in rows]
    # A substring match of the texts themselves (on SQLite: terms too short for trigrams).
    like = "ILIKE" if conn.dialect is Dialect.POSTGRES else "LIKE"
    likes = []
    for index, term in enumerate(terms):
        params[f"t{index}"] = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
        likes.append(f"d.content {like} :t{index} ESCAPE '\\'")
    sql = _SELECT.format(extra="", source="search_docs d")
    rows = await conn.all(
        sql + f"WHERE {' AND '.join(likes)} AND {visible} "
        "ORDER BY m.date DESC, d.meeting_id DESC, d.id LIMIT :limit",
        params,
    )
    return [_hit(row, _excerpt(row["content"], terms)) for row in rows]


def _hit(row: Row, snippet: Markup) -> Hit:
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
        snippet=snippet,
    )


def _marked(snippet: str) -> Markup:
    """Escape the text first, then turn FTS5's hit markers into <mark>."""
    safe = str(escape(snippet))
    return Markup(safe.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


def _excerpt(content: str, terms: list[str]) -> Markup:
    """A window of text around the first hit, every hit in it marked, everything escaped."""
    folded = content.casefold()
    first = min(
        (index for index in (folded.find(term.casefold()) for term in terms) if index >= 0),
        default=0,
    )
    start = max(first - SNIPPET_CHARS, 0)
    end = min(first + SNIPPET_CHARS * 2, len(content))
    window = content[start:end]
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(window):
        pieces.append(str(escape(window[last : match.start()])))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(str(escape(window[last:])))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(content) else ""
    return Markup(prefix + "".join(pieces) + suffix)
