"""Full-text search over minutes, statements, decisions, action items and opinions.

``search_docs`` holds every searchable text with who may see it and its normalised form
(``board.search.normalize``). The index answers every term, however short: on SQLite the
contentless FTS5 table ``search_grams`` (each character and each bigram of a text once,
rowids only: a longer term is all of its bigrams, checked against the normalised text), on
PostgreSQL a GIN index over the same characters and bigrams for terms of one or two
characters and a pg_trgm index over the normalised text for longer ones. Both answer
exactly "the normalised term occurs in the normalised text", so both stores give the same
hits in the same order. The index is
written in the caller's transaction, beside its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
        "SELECT id, norm FROM search_docs WHERE kind = ? AND ref_id = ? AND revision = ?",
        (doc.kind.value, doc.ref_id, doc.revision),
    )
    values = (
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
    if conn.dialect is Dialect.POSTGRES:
        await conn.run(
            _UPSERT.format(grams=", grams", value=", ?", grams_set=", grams = excluded.grams"),
            (*values, grams(norm)),
        )
        return
    await conn.run(_UPSERT.format(grams="", value="", grams_set=""), values)
    if before is not None and before["norm"] == norm:
        return
    if before is not None and before["norm"]:  # '': written before the index existed
        await _unindex(conn, before["id"], before["norm"])
    rowid = await conn.value(
        "SELECT id FROM search_docs WHERE kind = ? AND ref_id = ? AND revision = ?",
        (doc.kind.value, doc.ref_id, doc.revision),
    )
    await conn.run(
        "INSERT INTO search_grams (rowid, grams) VALUES (?, ?)",
        (rowid, " ".join(grams(norm))),
    )


_UPSERT = (
    "INSERT INTO search_docs (kind, ref_id, revision, body_id, meeting_id, item_id, "
    "restricted, label, url, content, norm, speaker_role, speaker_name{grams}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?{value}) "
    "ON CONFLICT (kind, ref_id, revision) DO UPDATE SET body_id = excluded.body_id, "
    "meeting_id = excluded.meeting_id, item_id = excluded.item_id, "
    "restricted = excluded.restricted, label = excluded.label, url = excluded.url, "
    "content = excluded.content, norm = excluded.norm, "
    "speaker_role = excluded.speaker_role, speaker_name = excluded.speaker_name{grams_set}"
)


async def _unindex(conn: Conn, rowid: int, norm: str) -> None:
    """Take a text out of the contentless FTS5 table (it needs the values it was given)."""
    await conn.run(
        "INSERT INTO search_grams (search_grams, rowid, grams) VALUES ('delete', ?, ?)",
        (rowid, " ".join(grams(norm))),
    )


async def remove(conn: Conn, kind: Kind, ref_id: int, revision: int = WORKING) -> None:
    if conn.dialect is Dialect.SQLITE:
        before = await conn.one(
            "SELECT id, norm FROM search_docs WHERE kind = ? AND ref_id = ? AND revision = ?",
            (kind.value, ref_id, revision),
        )
        if before is not None and before["norm"]:
            await _unindex(conn, before["id"], before["norm"])
    await conn.run(
        "DELETE FROM search_docs WHERE kind = ? AND ref_id = ? AND revision = ?",
        (kind.value, ref_id, revision),
    )


async def put_many(conn: Conn, docs: list[Doc]) -> None:
    """Index many new texts in one go (an archive imported, a benchmark built); none of
    them may be indexed yet."""
    rows = [
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
            normalize(content),
            normalize(doc.speaker_role).strip(),
            normalize(doc.speaker_name).strip(),
        )
        for doc in docs
        if (content := _MARKERS.sub("", doc.content).strip())
    ]
    if conn.dialect is Dialect.POSTGRES:
        upsert = _UPSERT.format(grams=", grams", value=", ?", grams_set=", grams = excluded.grams")
        await conn.run_many(upsert, [(*row, grams(row[10])) for row in rows])
        return
    last = await conn.value("SELECT coalesce(max(id), 0) FROM search_docs")
    await conn.run_many(_UPSERT.format(grams="", value="", grams_set=""), rows)
    added = await conn.all("SELECT id, norm FROM search_docs WHERE id > ? ORDER BY id", (last,))
    await conn.run_many(
        "INSERT INTO search_grams (rowid, grams) VALUES (?, ?)",
        [(row["id"], " ".join(grams(row["norm"]))) for row in added],
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
