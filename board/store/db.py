"""The one class that owns the SQLite connections.

All writes go through a single writer connection, one transaction at a time, inside
``BEGIN IMMEDIATE``; reads use a separate connection that WAL lets run beside it.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

Row = aiosqlite.Row
Params = Sequence[Any] | dict[str, Any]

# scope -> (owner table with the seq counter, log table, owner column)
_LOGS = {
    "meeting": ("meetings", "events", "meeting_id"),
    "body": ("bodies", "body_events", "body_id"),
}
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class Conn:
    """A connection handed to store functions: inside a transaction or a read."""

    def __init__(self, raw: aiosqlite.Connection) -> None:
        self.raw = raw

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        async with self.raw.execute(sql, params) as cursor:
            row: Row | None = await cursor.fetchone()
            return row

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self.raw.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def value(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    async def run(self, sql: str, params: Params = ()) -> int:
        """Execute a write; return the last row id (for INSERT) or the row count."""
        async with self.raw.execute(sql, params) as cursor:
            if sql.lstrip().upper().startswith("INSERT"):
                return int(cursor.lastrowid or 0)
            return int(cursor.rowcount)

    async def changed(self, sql: str, params: Params = ()) -> int:
        """Execute a write; return how many rows it changed (0 for an ignored INSERT OR
        IGNORE, where the last row id would be an earlier insert's)."""
        async with self.raw.execute(sql, params) as cursor:
            return int(cursor.rowcount)

    async def run_many(self, sql: str, rows: Iterable[Params]) -> None:
        await self.raw.executemany(sql, rows)

    async def update(
        self, table: str, row_id: int, fields: dict[str, Any], allowed: Iterable[str]
    ) -> None:
        """UPDATE the allowed columns present in ``fields`` (column names never come from
        input: only names in ``allowed`` are used)."""
        names = [name for name in allowed if name in fields]
        if names:
            assignments = ", ".join(f"{name} = ?" for name in names)
            await self.run(
                f"UPDATE {table} SET {assignments} WHERE id = ?",
                [*(fields[name] for name in names), row_id],
            )

    async def append_log(
        self,
        scope: str,
        owner_id: int,
        actor_id: int | None,
        action: str,
        payload: str,
        at: str,
    ) -> int:
        """Append to a meeting's or a body's event log with the next ``seq``; return it."""
        owner, log, column = _LOGS[scope]
        seq = int(await self.value(f"SELECT seq + 1 FROM {owner} WHERE id = ?", (owner_id,)))
        await self.run(f"UPDATE {owner} SET seq = ? WHERE id = ?", (seq, owner_id))
        await self.run(
            f"INSERT INTO {log} ({column}, seq, at, actor_id, action, payload) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (owner_id, seq, at, actor_id, action, payload),
        )
        return seq


async def _begin(raw: aiosqlite.Connection, statement: str) -> None:
    """Start a transaction. A connection whose last user was cancelled between its BEGIN
    and its end is still inside that transaction: end it (nothing of it was kept) first."""
    try:
        await raw.execute(statement)
    except sqlite3.OperationalError as error:
        if "within a transaction" not in str(error):
            raise
        await raw.execute("ROLLBACK")
        await raw.execute(statement)


def migrations() -> list[tuple[int, str, str]]:
    """The numbered schema migrations shipped with the package, in order."""
    found = []
    folder = resources.files("board.store") / "migrations"
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    def __init__(self, path: Path, *, synchronous: str = "NORMAL", readers: int = 2) -> None:
        self.path = path
        self.synchronous = synchronous
        self.reader_count = readers
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._write_lock = asyncio.Lock()

    async def _connect(self) -> aiosqlite.Connection:
        raw = await aiosqlite.connect(self.path, isolation_level=None)
        raw.row_factory = aiosqlite.Row
        await raw.execute("PRAGMA foreign_keys = ON")
        await raw.execute("PRAGMA busy_timeout = 5000")
        await raw.execute(f"PRAGMA synchronous = {self.synchronous}")
        return raw

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await self._connect()
        await self._writer.execute("PRAGMA journal_mode = WAL")
        await self._migrate(self._writer)
        for _ in range(self.reader_count):
            raw = await self._connect()
            self._readers.append(raw)
            self._idle.put_nowait(raw)

    async def close(self) -> None:
        for raw in [*self._readers, self._writer]:
            if raw is not None:
                await raw.close()
        self._readers.clear()
        self._idle = asyncio.Queue()
        self._writer = None

    async def _migrate(self, raw: aiosqlite.Connection) -> None:
        await raw.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        async with raw.execute("SELECT version FROM schema_migrations") as cursor:
            applied = {row[0] for row in await cursor.fetchall()}
        for version, name, sql in migrations():
            if version in applied:
                continue
            # executescript commits first, so the script carries its own transaction.
            await raw.executescript(
                "BEGIN IMMEDIATE;\n"
                + sql
                + "\nINSERT INTO schema_migrations VALUES "
                + f"({version}, '{name}', strftime('%Y-%m-%dT%H:%M:%fZ'));\nCOMMIT;"
            )

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Conn]:
        """One write transaction; commits when the block ends, rolls back on error."""
        assert self._writer is not None, "database is not open"
        async with self._write_lock:
            await _begin(self._writer, "BEGIN IMMEDIATE")
            try:
                yield Conn(self._writer)
            except BaseException:
                await asyncio.shield(self._writer.execute("ROLLBACK"))
                raise
            else:
                # Shielded: a cancelled caller must not leave the transaction half-ended.
                await asyncio.shield(self._writer.execute("COMMIT"))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        """A read transaction on a pooled connection: one consistent snapshot."""
        raw = await self._idle.get()
        try:
            await _begin(raw, "BEGIN")
            try:
                yield Conn(raw)
            finally:
                await asyncio.shield(raw.execute("ROLLBACK"))  # a read has nothing to keep
        finally:
            # aiosqlite runs a connection's statements in order, so whatever this user left
            # queued runs before the next user's BEGIN.
            self._idle.put_nowait(raw)
