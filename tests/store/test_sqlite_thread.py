"""The aiosqlite adapter: which path runs, and the public-API fallback gives the same
results when aiosqlite's internals are not where the fast path expects them."""

from __future__ import annotations

from pathlib import Path

import pytest

from board.store import sqlite_thread
from board.store.conn import Conn
from board.store.db import open_store
from board.store.sqlite import SqliteDatabase
from tests.support import Seeded, store_for

pytestmark = pytest.mark.asyncio


async def title(conn: Conn) -> str:
    return str(await conn.value("SELECT title FROM meetings WHERE id = 1"))


async def rename(conn: Conn, text: str, fail: bool = False) -> int:
    changed = await conn.changed("UPDATE meetings SET title = ? WHERE id = 1", (text,))
    if fail:
        raise ValueError("refused")
    return changed


async def test_the_installed_aiosqlite_takes_the_fast_path(tmp_path: Path) -> None:
    # aiosqlite 0.20-0.22 (pinned in pyproject.toml): whole transactions on its thread.
    assert sqlite_thread.FAST
    db = SqliteDatabase(tmp_path / "board.db")
    await db.open()
    try:
        assert db.fast_path
    finally:
        await db.close()


async def test_without_the_internals_the_public_api_gives_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_thread, "FAST", False)
    db = open_store(tmp_path / "board.db", readers=1)
    assert isinstance(db, SqliteDatabase)
    await db.open()
    try:
        assert not db.fast_path
        async with db.write() as conn:
            body = await conn.insert(
                "INSERT INTO bodies (name, created_at) VALUES (?, ?)", ("本部", "2026-01-01")
            )
            await conn.insert(
                "INSERT INTO meetings (body_id, title, date, start_time, planned_end, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (body, "第1回", "2026-01-01", "10:00", "11:00", "2026-01-01"),
            )
        with pytest.raises(ValueError, match="refused"):
            await db.run_write(rename, "取り消し", True)
        assert await db.run_read(title) == "第1回"
        assert await db.run_write(rename, "第2回") == 1
        assert await db.run_read(title) == "第2回"
    finally:
        await db.close()


async def test_the_seeded_store_reads_alike_on_either_path(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    try:
        fast = await db.run_read(title)
    finally:
        await db.close()
    monkeypatch.setattr(sqlite_thread, "FAST", False)
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    try:
        assert await db.run_read(title) == fast
    finally:
        await db.close()
