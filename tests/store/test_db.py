"""A transaction run whole on its connection's thread: it commits what it did, rolls it
all back when it raises, and refuses (rolled back) work that awaits anything but its
statements."""

from __future__ import annotations

import asyncio

import pytest

from board.store.conn import Dialect
from board.store.db import Conn
from tests.support import Seeded, store_for

pytestmark = pytest.mark.asyncio


async def rename(conn: Conn, title: str, fail: bool = False) -> int:
    changed = await conn.changed("UPDATE meetings SET title = ? WHERE id = 1", (title,))
    if fail:
        raise ValueError("refused after the write")
    return changed


async def title(conn: Conn) -> str:
    return str(await conn.value("SELECT title FROM meetings WHERE id = 1"))


async def awaits_the_loop(conn: Conn) -> None:
    await conn.run("UPDATE meetings SET title = 'x' WHERE id = 1")
    await asyncio.sleep(0)


async def test_a_transaction_commits_or_rolls_back_whole(seeded: Seeded) -> None:
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    try:
        before = await db.run_read(title)
        with pytest.raises(ValueError, match="refused after the write"):
            await db.run_write(rename, "取り消される名前", True)
        assert await db.run_read(title) == before

        if db.dialect is Dialect.SQLITE:
            # On SQLite the work runs whole on the writer's thread: awaiting the loop there
            # would stall every other writer, so it is refused (and rolled back).
            with pytest.raises(RuntimeError, match="may await only its statements"):
                await db.run_write(awaits_the_loop)
            assert await db.run_read(title) == before

        assert await db.run_write(rename, "第2回 定例会") == 1
        assert await db.run_read(title) == "第2回 定例会"
        # The writer is usable afterwards, from the loop too (one hop per statement).
        async with db.write() as conn:
            assert await rename(conn, "第3回 定例会") == 1
        async with db.read() as conn:
            assert await title(conn) == "第3回 定例会"
    finally:
        await db.close()


async def test_reads_run_beside_each_other_on_the_pool(seeded: Seeded) -> None:
    db = store_for(seeded.db_path, readers=2)
    await db.open()
    try:
        titles = await asyncio.gather(*(db.run_read(title) for _ in range(20)))
        assert len(set(titles)) == 1
    finally:
        await db.close()


async def test_a_lookup_sees_the_latest_commits(seeded: Seeded) -> None:
    """``run_lookup`` (no common snapshot, no transaction on a shared store) reads what the
    last write committed, and a lookup that raises leaves the store usable."""
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    try:
        assert await db.run_write(rename, "第4回 定例会") == 1
        assert await db.run_lookup(title) == "第4回 定例会"

        async def fails(conn: Conn) -> None:
            await conn.value("SELECT title FROM meetings WHERE id = 1")
            raise LookupError("the caller's own refusal")

        with pytest.raises(LookupError):
            await db.run_lookup(fails)
        assert await db.run_lookup(title) == "第4回 定例会"
    finally:
        await db.close()
