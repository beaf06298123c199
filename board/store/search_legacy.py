"""The search as it was before migration 009, kept only as the benchmark's baseline
(``bench/search``): an FTS5 trigram table over the original text for terms of three
characters or more, ranked by bm25, and a LIKE scan of every text for shorter ones; the
first 50 hits, no count, no pages, no operators. SQLite only."""

from __future__ import annotations

import re

from board.minutes.access import Reader
from board.store.conn import Conn
from board.store.search_find import _Sql, _visible

LIMIT = 50
TRIGRAM = 3


async def build(conn: Conn) -> None:
    """The old trigram table over search_docs, filled from what is there."""
    await conn.run(
        "CREATE VIRTUAL TABLE IF NOT EXISTS legacy_fts USING fts5(content, "
        "content = 'search_docs', content_rowid = 'id', tokenize = 'trigram')"
    )
    await conn.run("INSERT INTO legacy_fts (legacy_fts) VALUES ('rebuild')")


async def search(conn: Conn, query: str, reader: Reader) -> list[int]:
    """The ids of the first hits the old way (every word must occur)."""
    terms = [term for term in query.split() if term][:10]
    if not terms:
        return []
    sql = _Sql(conn.dialect)
    visible = _visible(sql, reader)
    base = (
        "JOIN meetings m ON m.id = d.meeting_id JOIN bodies b ON b.id = d.body_id "
        "LEFT JOIN agenda_items a ON a.id = d.item_id "
        "LEFT JOIN minutes mi ON mi.meeting_id = d.meeting_id "
    )
    if all(len(term) >= TRIGRAM for term in terms):
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        rows = await conn.all(
            "SELECT d.id, snippet(legacy_fts, 0, char(1), char(2), '…', 24) AS snip "
            f"FROM legacy_fts JOIN search_docs d ON d.id = legacy_fts.rowid {base}"
            f"WHERE legacy_fts MATCH {sql.param(match)} AND {visible} "
            f"ORDER BY rank LIMIT {LIMIT}",
            sql.params,
        )
        return [row["id"] for row in rows]
    likes = []
    for term in terms:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
        likes.append(f"d.content LIKE {sql.param(pattern)} ESCAPE '\\'")
    rows = await conn.all(
        f"SELECT d.id FROM search_docs d {base}WHERE {' AND '.join(likes)} AND {visible} "
        f"ORDER BY m.date DESC, d.meeting_id DESC, d.id LIMIT {LIMIT}",
        sql.params,
    )
    return [row["id"] for row in rows]


async def sizes(conn: Conn) -> dict[str, int]:
    """Bytes on disk per table and index, shadow tables of FTS5 under their table's name."""
    rows = await conn.all("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name")
    found: dict[str, int] = {}
    for row in rows:
        name = re.sub(r"_(data|idx|content|docsize|config)$", "", row["name"])
        found[name] = found.get(name, 0) + row["bytes"]
    return found
