"""The PostgreSQL backend on a real PostgreSQL: placeholders, migrations, the event log's seq
under racing writers, finalized minutes frozen by the database, and search giving the same
results as on SQLite. These run whichever store the rest of the suite uses."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from board.demo import seed
from board.minutes.access import Reader
from board.store import search as index
from board.store import search_find as finder
from board.store.conn import Conn, Lock
from board.store.db import Store, migrations, open_store
from board.store.postgres import PgConn, PostgresDatabase, numbered
from tests.support import drop_target, new_target, store_for


@pytest.fixture
def pg_path(tmp_path: Path) -> Iterator[Path]:
    """A fresh, migrated PostgreSQL database for the test (named by this path)."""
    path = tmp_path / "pg.db"
    new_target(path, postgres=True)
    try:
        yield path
    finally:
        drop_target(path)


def test_placeholders_become_numbered_outside_literals_and_casts() -> None:
    assert numbered("SELECT * FROM t WHERE a = ? AND b = ?") == (
        "SELECT * FROM t WHERE a = $1 AND b = $2",
        None,
    )
    sql, names = numbered("SELECT '?', ':x', x::text FROM t WHERE a = :a OR b = :b OR c = :a")
    assert sql == "SELECT '?', ':x', x::text FROM t WHERE a = $1 OR b = $2 OR c = $1"
    assert names == ("a", "b")
    assert numbered("SELECT 'it''s ?' FROM t WHERE a = ?")[0].endswith("a = $1")
    with pytest.raises(ValueError, match="mixes"):
        numbered("SELECT ? WHERE a = :a")


async def test_migrations_apply_once_and_again_change_nothing(pg_path: Path) -> None:
    for _ in range(2):
        db = store_for(pg_path)
        await db.open()
        try:
            async with db.read() as conn:
                applied = [
                    row[0] for row in await conn.all("SELECT version FROM schema_migrations")
                ]
        finally:
            await db.close()
        assert sorted(applied) == [version for version, _, _ in migrations("postgres")]
    # Both backends have the same numbered migrations.
    assert [v for v, _, _ in migrations("postgres")] == [v for v, _, _ in migrations("sqlite")]


async def _open_seeded(path: Path) -> Store:
    db = store_for(path)
    await db.open()
    await seed(db)
    return db


async def test_racing_writers_on_separate_pools_get_seqs_without_gap(pg_path: Path) -> None:
    first, second = await _open_seeded(pg_path), store_for(pg_path)
    await second.open()

    async def log_one(conn: Conn, n: int) -> int:
        await conn.serialize(Lock("meeting", 1))
        return await conn.append_log("meeting", 1, None, "test.race", f'{{"n":{n}}}', "now")

    try:
        seqs = await asyncio.gather(
            *((first if n % 2 else second).run_write(log_one, n) for n in range(200))
        )
        assert sorted(seqs) == list(range(1, 201))
        async with first.read() as conn:
            logged = [
                row[0]
                for row in await conn.all(
                    "SELECT seq FROM events WHERE meeting_id = 1 ORDER BY seq"
                )
            ]
        assert logged == list(range(1, 201))
    finally:
        await first.close()
        await second.close()


async def test_finalized_minutes_are_frozen_by_postgresql_itself(pg_path: Path) -> None:
    db = await _open_seeded(pg_path)
    try:
        async with db.write() as conn:
            await conn.run(
                "INSERT INTO minutes (meeting_id, status, updated_at) VALUES (1, 'finalized', 'x')"
            )
            await conn.run(
                "INSERT INTO minutes_revisions (meeting_id, number, finalized_at, document, "
                "sha256, public_document, public_sha256) VALUES (1, 1, 'x', '{}', 'a', '{}', 'b')"
            )
        for sql in (
            "UPDATE minutes_revisions SET document = '{\"x\":1}'",
            "DELETE FROM minutes_revisions",
            "UPDATE minutes SET title = 'changed'",
            "INSERT INTO minutes_decisions (meeting_id, item_id, position, text, created_at) "
            "VALUES (1, 1, 1, 'late', 'x')",
        ):
            with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="frozen"):
                async with db.write() as conn:
                    await conn.run(sql)
        async with db.write() as conn:  # publishing is the one later stamp
            assert await conn.changed("UPDATE minutes_revisions SET published_at = 'later'") == 1
    finally:
        await db.close()


TEXTS = [
    "デジタル人材の育成と確保について",
    "人材育成の予算を増やすべきだ",
    "防災訓練の日程を決めた",
    "教育委員会からの報告",
    "5G基地局の整備状況",
    "ＤＸ推進計画（案）の説明",
    "Budget review for the digital office",
    "予算",
    "窓口の混雑",
]
QUERIES = [
    "人",
    "人材",
    "予算",
    "防災訓練",
    "デジタル 人材",
    "5G",
    "５ｇ",
    "budget",
    "ＢＵＤＧＥＴ",
    "DX",
    "ｄｘ",
    "窓口",
    "なし",
    "人材 OR 予算 -防災",
    '"review for"',
    "の",
]
# More texts than a page of the old search held: the order past 50 hits is the same too.
TEXTS += [f"第{n}回の会議録" + "の" * (n % 7) for n in range(60)]


async def test_search_finds_the_same_on_postgresql_as_on_sqlite(
    pg_path: Path, tmp_path: Path
) -> None:
    staff = Reader(staff_bodies=frozenset({1}))
    found: dict[str, dict[tuple[str, str], list[int]]] = {}
    for name, db in (
        ("sqlite", open_store(tmp_path / "lite.db")),
        ("postgres", store_for(pg_path)),
    ):
        await db.open()
        try:
            await seed(db)
            async with db.write() as conn:
                for ref_id, text in enumerate(TEXTS, start=1):
                    url = f"/meetings/1/minutes#s-{ref_id}"
                    await index.put(
                        conn, index.Doc(index.Kind.STATEMENT, ref_id, 1, 1, 1, text, url)
                    )
            async with db.read() as conn:
                found[name] = {}
                for query, order in itertools.product(QUERIES, finder.Order):
                    result = await finder.search(conn, query, staff, order=order, per_page=100)
                    found[name][query, order] = [hit.ref_id for hit in result.hits]
        finally:
            await db.close()
    assert found["postgres"] == found["sqlite"]
    relevant = {query: set(found["sqlite"][query, finder.Order.RELEVANCE]) for query in QUERIES}
    assert relevant["人材"] == relevant["人"] == {1, 2}
    assert relevant["budget"] == relevant["ＢＵＤＧＥＴ"] == {7}
    assert relevant["5G"] == relevant["５ｇ"] == {5}
    assert relevant["DX"] == relevant["ｄｘ"] == {6}
    assert len(relevant["の"]) > 60


async def test_a_pooled_connection_comes_back_clean_without_the_reset_query(
    pg_path: Path,
) -> None:
    """The pool skips asyncpg's reset query (a round trip per transaction): asyncpg still
    rolls back what a failed transaction left open, and the board leaves no advisory lock
    or listener behind, so the next user of the connection starts clean."""
    db = store_for(pg_path)
    assert isinstance(db, PostgresDatabase)
    await db.open()
    try:

        async def locks_then_fails(conn: Conn) -> None:
            await conn.serialize(Lock("meeting", 1))
            await conn.run("UPDATE meetings SET title = 'rolled back' WHERE id = 1")
            raise LookupError("refused")

        for _ in range(db.pool_size + 1):  # every pooled connection, at least once
            with pytest.raises(LookupError):
                await db.run_write(locks_then_fails)

        async def state(conn: Conn) -> tuple[int, int, int]:
            assert isinstance(conn, PgConn)
            locks = await conn.raw.fetchval(
                "SELECT count(*) FROM pg_locks "
                "WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            )
            listening = await conn.raw.fetchval("SELECT count(*) FROM pg_listening_channels()")
            in_transaction = int(conn.raw.is_in_transaction())
            return int(locks), int(listening), in_transaction

        seen = await asyncio.gather(*(db.run_lookup(state) for _ in range(db.pool_size)))
        assert set(seen) == {(0, 0, 0)}
        assert (
            await db.run_lookup(lambda conn: conn.value("SELECT title FROM meetings WHERE id = 1"))
            != "rolled back"
        )
    finally:
        await db.close()
