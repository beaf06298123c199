"""The one class that owns the SQLite connections.

All writes go through a single writer connection, one transaction at a time, inside
``BEGIN IMMEDIATE``; reads use pooled connections that WAL lets run beside it. Each
connection lives on its own aiosqlite thread, so SQL never blocks the event loop.

A hot transaction runs whole on that thread (``Database.run_write`` / ``run_read``): one
hop from the loop per transaction, not one per statement. The store's functions are
coroutines either way; on the thread their statements finish without ever suspending, so
the thread drives the coroutine to its end itself.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Sequence
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import aiosqlite

Row = aiosqlite.Row
Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")
P = ParamSpec("P")

# scope -> (owner table with the seq counter, log table, owner column)
_LOGS = {
    "meeting": ("meetings", "events", "meeting_id"),
    "body": ("bodies", "body_events", "body_id"),
}
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


# What each statement does on the connection's thread: executed, fetched and closed in one
# call, so that from the loop a statement is at most one hop.
def _one(db: sqlite3.Connection, sql: str, params: Params) -> Row | None:
    cursor = db.execute(sql, params)
    try:
        row: Row | None = cursor.fetchone()
        return row
    finally:
        cursor.close()


def _all(db: sqlite3.Connection, sql: str, params: Params) -> list[Row]:
    cursor = db.execute(sql, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def _run(db: sqlite3.Connection, sql: str, params: Params, *, last_id: bool) -> int:
    cursor = db.execute(sql, params)
    try:
        return int(cursor.lastrowid or 0) if last_id else int(cursor.rowcount)
    finally:
        cursor.close()


def _run_many(db: sqlite3.Connection, sql: str, rows: Iterable[Params]) -> None:
    db.executemany(sql, rows).close()


def _begin(db: sqlite3.Connection, statement: str) -> None:
    """Start a transaction. A connection whose last user was cancelled between its BEGIN
    and its end is still inside that transaction: end it (nothing of it was kept) first."""
    try:
        db.execute(statement)
    except sqlite3.OperationalError as error:
        if "within a transaction" not in str(error):
            raise
        db.execute("ROLLBACK")
        db.execute(statement)


def _end(db: sqlite3.Connection, statement: str) -> None:
    db.execute(statement)


def _sqlite(raw: aiosqlite.Connection) -> sqlite3.Connection:
    return raw._conn


async def _hop(raw: aiosqlite.Connection, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn(connection, *args)`` on the connection's aiosqlite thread, in the order of
    everything else queued for it. (aiosqlite 0.20-0.22 queue their own calls the same
    way; its ``_execute`` is what every public method of it is built on.)"""
    result: T = await raw._execute(fn, _sqlite(raw), *args, **kwargs)  # type: ignore[no-untyped-call]
    return result


def _transaction(
    db: sqlite3.Connection, begin: str, end: str, work: Callable[[], Coroutine[Any, Any, T]]
) -> T:
    """On the connection's thread: begin, run the work to its end, then ``end`` it
    (COMMIT a write, ROLLBACK a read); an error rolls everything back."""
    _begin(db, begin)
    try:
        result = _drive(work())
        db.execute(end)
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return result


def _drive(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends to its end, here and now."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    coroutine.close()
    raise RuntimeError("work run on a connection's thread may await only its statements")


class Conn:
    """A connection handed to store functions: inside a transaction or a read.

    On the loop (``Database.write()`` / ``read()``) each statement is one hop to the
    connection's thread; on that thread (``run_write`` / ``run_read``) it runs at once."""

    def __init__(self, raw: aiosqlite.Connection, *, on_thread: bool = False) -> None:
        self.raw = raw
        self._on_thread = on_thread

    async def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._on_thread:
            return fn(_sqlite(self.raw), *args, **kwargs)
        return await _hop(self.raw, fn, *args, **kwargs)

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        return await self._call(_one, sql, params)

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        return await self._call(_all, sql, params)

    async def value(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    async def run(self, sql: str, params: Params = ()) -> int:
        """Execute a write; return the last row id (for INSERT) or the row count."""
        last_id = sql.lstrip().upper().startswith("INSERT")
        return await self._call(_run, sql, params, last_id=last_id)

    async def changed(self, sql: str, params: Params = ()) -> int:
        """Execute a write; return how many rows it changed (0 for an ignored INSERT OR
        IGNORE, where the last row id would be an earlier insert's)."""
        return await self._call(_run, sql, params, last_id=False)

    async def run_many(self, sql: str, rows: Iterable[Params]) -> None:
        await self._call(_run_many, sql, list(rows))

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

    def _the_writer(self) -> aiosqlite.Connection:
        assert self._writer is not None, "database is not open"
        return self._writer

    async def run_write(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run ``work(conn, *args, **kwargs)`` as one write transaction, whole on the
        writer's thread (one hop): it commits when the work returns and rolls back when it
        raises. The work may await only its connection's statements."""
        writer = self._the_writer()
        bound = partial(work, Conn(writer, on_thread=True), *args, **kwargs)
        async with self._write_lock:
            return await _hop(writer, _transaction, "BEGIN IMMEDIATE", "COMMIT", bound)

    async def run_read(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run ``work(conn, *args, **kwargs)`` on one consistent snapshot, whole on a pooled
        reader's thread (one hop)."""
        raw = await self._idle.get()
        try:
            bound = partial(work, Conn(raw, on_thread=True), *args, **kwargs)
            return await _hop(raw, _transaction, "BEGIN", "ROLLBACK", bound)
        finally:
            # A cancelled caller's work still runs to its end on that thread: aiosqlite
            # runs a connection's calls in order, so it ends before the next user's.
            self._idle.put_nowait(raw)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Conn]:
        """One write transaction driven from the loop, a hop per statement (for work that
        must await other things between its statements); commits when the block ends,
        rolls back on error."""
        writer = self._the_writer()
        async with self._write_lock:
            await _hop(writer, _begin, "BEGIN IMMEDIATE")
            try:
                yield Conn(writer)
            except BaseException:
                await asyncio.shield(_hop(writer, _end, "ROLLBACK"))
                raise
            else:
                # Shielded: a cancelled caller must not leave the transaction half-ended.
                await asyncio.shield(_hop(writer, _end, "COMMIT"))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        """A read transaction on a pooled connection, driven from the loop: one consistent
        snapshot."""
        raw = await self._idle.get()
        try:
            await _hop(raw, _begin, "BEGIN")
            try:
                yield Conn(raw)
            finally:
                await asyncio.shield(_hop(raw, _end, "ROLLBACK"))  # a read keeps nothing
        finally:
            # aiosqlite runs a connection's statements in order, so whatever this user left
            # queued runs before the next user's BEGIN.
            self._idle.put_nowait(raw)
