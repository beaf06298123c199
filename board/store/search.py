"""Full-text search over minutes, statements, decisions, action items and opinions.

``search_docs`` holds every searchable text with who may see it and its normalised form
(``board.search.normalize``). The index answers every term, however short: on SQLite the
contentless FTS5 table ``search_grams`` (each character and each bigram of a text once,
rowids only: a longer term is all of its bigrams, checked against the normalised text), on
PostgreSQL a GIN index over the same characters and bigrams for terms of one or two
characters and a pg_trgm index over the normalised text for longer ones. Both answer
exactly "the normalised term occurs in the normalised text", so both stores give the same
hits in the same order. A text's id is its meeting's day and a number within the day
(``DAY_SHIFT``), so the index's rowid order is date order. The index is written in the
caller's transaction, beside its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from board.minutes.model import Document, Statement
from board.models import Body
from board.search.normalize import grams, normalize
from board.store.conn import Conn, Dialect

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
    speaker_role: str = ""
    speaker_name: str = ""


async def put(conn: Conn, doc: Doc) -> None:
    """Index a text, replacing what was indexed for the same thing; empty text unindexes."""
    content = _MARKERS.sub("", doc.content).strip()
    if not content:
        await remove(conn, doc.kind, doc.ref_id, doc.revision)
        return
    norm = normalize(content)
    before = await conn.one(
        _BEFORE,
        (doc.kind.value, doc.ref_id, doc.revision),
    )
    day = await _day(conn, doc.meeting_id)
    if before is not None and before["id"] >> DAY_SHIFT != day:  # its meeting moved
        await remove(conn, doc.kind, doc.ref_id, doc.revision)
        before = None
    values = _values(doc, content, norm)
    postgres = conn.dialect is Dialect.POSTGRES
    extra = (grams(norm),) if postgres else ()
    if before is None:
        key = await _next_key(conn, day)
        await conn.run(_insert(postgres), (key, *values, *extra))
    else:
        key = before["id"]
        await conn.run(_update(postgres), (*values, *extra, key))
    if postgres:
        return
    if before is not None and (before["norm"], before["body_id"]) == (norm, doc.body_id):
        return
    if before is not None and before["norm"]:  # '': written before the index existed
        await _unindex(conn, key, before["norm"], before["body_id"])
    await conn.run(
        "INSERT INTO search_grams (rowid, grams) VALUES (?, ?)", (key, tokens(norm, doc.body_id))
    )


_BEFORE = "SELECT id, norm, body_id FROM search_docs WHERE kind = ? AND ref_id = ? AND revision = ?"
# A text's id is its meeting's day (the proleptic Gregorian ordinal) shifted left, plus a
# number counted up within the day: the index's own rowid order is date order, so a page
# by date reads the newest matches first and stops, and a period is a range of ids.
DAY_SHIFT = 32


def day_key(day: date) -> int:
    """The first id of a day (a period filter is a range of ids)."""
    return day.toordinal() << DAY_SHIFT


async def _day(conn: Conn, meeting_id: int) -> int:
    held = await conn.value("SELECT date FROM meetings WHERE id = ?", (meeting_id,))
    return date.fromisoformat(str(held)[:10]).toordinal()


async def _next_key(conn: Conn, day: int) -> int:
    """The next id of a day: after every text already indexed on that day (the same on
    either store for the same writes)."""
    if conn.dialect is Dialect.POSTGRES:  # two writers must not take the same number
        await conn.value("SELECT pg_advisory_xact_lock(13)")
    first = day << DAY_SHIFT
    last = await conn.value(
        "SELECT max(id) FROM search_docs WHERE id >= ? AND id < ?",
        (first, first + (1 << DAY_SHIFT)),
    )
    return int(last or first) + 1


def _values(doc: Doc, content: str, norm: str) -> tuple[object, ...]:
    return (
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
        norm,
        normalize(doc.speaker_role).strip(),
        normalize(doc.speaker_name).strip(),
    )


_COLUMNS = (
    "kind, ref_id, revision, body_id, meeting_id, item_id, restricted, label, url, content, "
    "norm, speaker_role, speaker_name"
)


def _insert(postgres: bool) -> str:
    columns = _COLUMNS + (", grams" if postgres else "")
    marks = ", ".join("?" for _ in range(columns.count(",") + 2))
    return f"INSERT INTO search_docs (id, {columns}) VALUES ({marks})"


def _update(postgres: bool) -> str:
    columns = _COLUMNS.split(", ") + (["grams"] if postgres else [])
    assignments = ", ".join(f"{column} = ?" for column in columns)
    return f"UPDATE search_docs SET {assignments} WHERE id = ?"


def body_token(body_id: int) -> str:
    """The body as a token of the SQLite index (longer than any gram, so never one): the
    body filter is then part of the index's own intersection."""
    return f"body{body_id}"


def tokens(norm: str, body_id: int) -> str:
    """What the SQLite index holds for a text: its grams and its body."""
    return " ".join((*grams(norm), body_token(body_id)))


async def _unindex(conn: Conn, rowid: int, norm: str, body_id: int) -> None:
    """Take a text out of the contentless FTS5 table (it needs the values it was given)."""
    await conn.run(
        "INSERT INTO search_grams (search_grams, rowid, grams) VALUES ('delete', ?, ?)",
        (rowid, tokens(norm, body_id)),
    )


async def remove(conn: Conn, kind: Kind, ref_id: int, revision: int = WORKING) -> None:
    if conn.dialect is Dialect.SQLITE:
        before = await conn.one(
            _BEFORE,
            (kind.value, ref_id, revision),
        )
        if before is not None and before["norm"]:
            await _unindex(conn, before["id"], before["norm"], before["body_id"])
    await conn.run(
        "DELETE FROM search_docs WHERE kind = ? AND ref_id = ? AND revision = ?",
        (kind.value, ref_id, revision),
    )


async def put_many(conn: Conn, docs: list[Doc]) -> None:
    """Index many new texts in one go (an archive imported, a benchmark built); none of
    them may be indexed yet."""
    postgres = conn.dialect is Dialect.POSTGRES
    days: dict[int, int] = {}
    keys: dict[int, int] = {}
    rows: list[tuple[object, ...]] = []
    for doc in docs:
        content = _MARKERS.sub("", doc.content).strip()
        if not content:
            continue
        if doc.meeting_id not in days:
            days[doc.meeting_id] = await _day(conn, doc.meeting_id)
        day = days[doc.meeting_id]
        keys[day] = keys[day] + 1 if day in keys else await _next_key(conn, day)
        values = _values(doc, content, normalize(content))
        rows.append((keys[day], *values, *((grams(str(values[10])),) if postgres else ())))
    await conn.run_many(_insert(postgres), rows)
    if not postgres:
        await conn.run_many(
            "INSERT INTO search_grams (rowid, grams) VALUES (?, ?)",
            [(row[0], tokens(str(row[11]), int(str(row[4])))) for row in rows],
        )


async def move_meeting(conn: Conn, meeting_id: int) -> None:
    """A meeting's date changed: its texts take ids of the new day (and the index with
    them), so that date order and period filters stay right."""
    day = await _day(conn, meeting_id)
    rows = await conn.all(
        "SELECT id, norm, body_id FROM search_docs WHERE meeting_id = ? ORDER BY id",
        (meeting_id,),
    )
    for row in rows:
        if row["id"] >> DAY_SHIFT == day:
            continue
        key = await _next_key(conn, day)
        if conn.dialect is Dialect.SQLITE and row["norm"]:
            await _unindex(conn, row["id"], row["norm"], row["body_id"])
        await conn.run("UPDATE search_docs SET id = ? WHERE id = ?", (key, row["id"]))
        if conn.dialect is Dialect.SQLITE and row["norm"]:
            await conn.run(
                "INSERT INTO search_grams (rowid, grams) VALUES (?, ?)",
                (key, tokens(row["norm"], row["body_id"])),
            )


async def reindex(conn: Conn, batch: int = 500) -> int:
    """Index the texts written before the normalised index existed; how many it did."""
    done, after = 0, 0
    while True:
        rows = await conn.all(
            "SELECT id, kind, ref_id, revision, body_id, meeting_id, item_id, restricted, "
            "label, url, content FROM search_docs WHERE norm = '' AND id > ? ORDER BY id LIMIT ?",
            (after, batch),
        )
        for row in rows:
            after = row["id"]
            await put(
                conn,
                Doc(
                    Kind(row["kind"]),
                    row["ref_id"],
                    row["body_id"],
                    row["meeting_id"],
                    row["item_id"],
                    row["content"],
                    row["url"],
                    label=row["label"],
                    revision=row["revision"],
                    restricted=bool(row["restricted"]),
                ),
            )
        done += len(rows)
        if len(rows) < batch:
            return done


async def reindex_backlog(conn: Conn) -> int:
    """At start: index again what migration 009 left unindexed (texts written before the
    normalised index existed), once; how many texts it did. Their speaker filters stay
    empty (the role and name are known only when a statement is written again)."""
    if await conn.value("SELECT count(*) FROM search_backlog") == 0:
        return 0
    done = await reindex(conn)
    await conn.run("DELETE FROM search_backlog")
    return done


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
            speaker_role=statement.title_in(body),
            speaker_name=statement.speaker_name if body.show_names else "",
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
                speaker_role=statement["speaker_title"],
                speaker_name=statement["speaker"] or "",
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
