"""The embedded backend: one SQLite file (WAL), the default that needs nothing.

All writes go through a single writer connection, one transaction at a time, inside
``BEGIN IMMEDIATE``; reads use pooled connections that WAL lets run beside it. Each
connection lives on its own aiosqlite thread, so SQL never blocks the event loop.

A hot transaction runs whole on that thread (``run_write`` / ``run_read``): one hop from
the loop per transaction, not one per statement. The store's functions are coroutines
either way; on the thread their statements finish without ever suspending, so the thread
drives the coroutine to its end itself. That trick reads aiosqlite's internals, in
``board.store.sqlite_thread`` alone; without them each statement is a hop of its own.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import aiosqlite

from board.store import sqlite_thread
from board.store.conn import Conn, Dialect, Params, Row
from board.store.migrate import migrations

T = TypeVar("T")
P = ParamSpec("P")


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


def _run(db: sqlite3.Connection, sql: str, params: Params, last_id: bool) -> int:
    cursor = db.execute(sql, params)
    try:
        return int(cursor.lastrowid or 0) if last_id else int(cursor.rowcount)
    finally:
        cursor.close()


def _run_many(db: sqlite3.Connection, sql: str, rows: list[Params]) -> None:
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


# Reads map the database file instead of copying each page through a read call: the
# search looks up a row per match from all over a large archive (a quarter faster at a
# million statements). Address space only; the pages live in the OS's cache either way.
MMAP_BYTES = 1 << 30


class SqliteConn(Conn):
    """On the loop each statement is one hop to the connection's thread (or, without the
    fast path, aiosqlite's public API); on that thread it runs at once."""

    dialect = Dialect.SQLITE

    def __init__(self, raw: aiosqlite.Connection, *, on_thread: bool = False) -> None:
        self.raw = raw
        self._on_thread = on_thread
        self._fast = sqlite_thread.fast(raw)

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        if self._on_thread:
            inner = sqlite_thread.raw_connection(self.raw)
            assert inner is not None
            return fn(inner, *args)
        return await sqlite_thread.on_thread(self.raw, fn, *args)

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        if self._on_thread or self._fast:
            return await self._call(_one, sql, params)
        async with self.raw.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        if self._on_thread or self._fast:
            return await self._call(_all, sql, params)
        async with self.raw.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _write(self, sql: str, params: Params, last_id: bool) -> int:
        if self._on_thread or self._fast:
            return await self._call(_run, sql, params, last_id)
        async with self.raw.execute(sql, params) as cursor:
            return int(cursor.lastrowid or 0) if last_id else int(cursor.rowcount)

    async def changed(self, sql: str, params: Params = ()) -> int:
        return await self._write(sql, params, False)

    async def insert(self, sql: str, params: Params = ()) -> int:
        return await self._write(sql, params, True)

    async def run_many(self, sql: str, rows: Iterable[Params]) -> None:
        if self._on_thread or self._fast:
            await self._call(_run_many, sql, list(rows))
        else:
            await self.raw.executemany(sql, list(rows))


class SqliteDatabase:
    """The one class that owns the SQLite connections."""

    dialect = Dialect.SQLITE
    # Pushes of one process go straight to its hub: nobody else writes this file's rooms.
    shared = False

    def __init__(self, path: Path, *, synchronous: str = "NORMAL", readers: int = 2) -> None:
        self.path = path
        self.synchronous = synchronous
        self.reader_count = readers
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._write_lock = asyncio.Lock()

    @property
    def fast_path(self) -> bool:
        """Whether whole transactions run on the connection's thread (see sqlite_thread)."""
        return self._writer is not None and sqlite_thread.fast(self._writer)

    async def _connect(self) -> aiosqlite.Connection:
        raw = await aiosqlite.connect(self.path, isolation_level=None)
        raw.row_factory = aiosqlite.Row
        await raw.execute("PRAGMA foreign_keys = ON")
        await raw.execute("PRAGMA busy_timeout = 5000")
        await raw.execute(f"PRAGMA synchronous = {self.synchronous}")
        await raw.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
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
        for version, name, sql in migrations(self.dialect):
            if version in applied:
                continue
            # executescript commits first, so the script carries its own transaction.
            await raw.executescript(
                "BEGIN IMMEDIATE;\n"
                + sql
                + "\nINSERT INTO schema_migrations VALUES "
                + f"({version}, '{name}', strftime('%Y-%m-%dT%H:%M:%fZ'));\nCOMMIT;"
            )

    async def forget_history(self) -> None:
        """Earlier versions of changed rows out of the files: the WAL checkpointed into the
        database and truncated to nothing. A secret vote's transactions (a voter's flag and
        a counter, changed together) must not stay readable there after it closes."""
        async with (
            self._write_lock,
            self._the_writer().execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor,
        ):
            await cursor.fetchall()  # stepped to its end and closed: nothing left in progress

    def _the_writer(self) -> aiosqlite.Connection:
        assert self._writer is not None, "database is not open"
        return self._writer

    async def run_write(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run ``work(conn, *args, **kwargs)`` as one write transaction: it commits when the
        work returns and rolls back when it raises. On the fast path it runs whole on the
        writer's thread (one hop) and may await only its connection's statements."""
        writer = self._the_writer()
        if not sqlite_thread.fast(writer):
            async with self.write() as conn:
                return await work(conn, *args, **kwargs)
        bound = partial(work, SqliteConn(writer, on_thread=True), *args, **kwargs)
        async with self._write_lock:
            return await sqlite_thread.on_thread(
                writer, _transaction, "BEGIN IMMEDIATE", "COMMIT", bound
            )

    async def run_read(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run ``work(conn, *args, **kwargs)`` on one consistent snapshot (on the fast path
        whole on a pooled reader's thread, one hop)."""
        raw = await self._idle.get()
        try:
            if not sqlite_thread.fast(raw):
                async with self._reading(raw) as conn:
                    return await work(conn, *args, **kwargs)
            bound = partial(work, SqliteConn(raw, on_thread=True), *args, **kwargs)
            return await sqlite_thread.on_thread(raw, _transaction, "BEGIN", "ROLLBACK", bound)
        finally:
            # A cancelled caller's work still runs to its end on that thread: aiosqlite
            # runs a connection's calls in order, so it ends before the next user's.
            self._idle.put_nowait(raw)

    async def run_lookup(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """As ``run_read``: a snapshot costs nothing extra here."""
        return await self.run_read(work, *args, **kwargs)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Conn]:
        """One write transaction driven from the loop, a hop per statement (for work that
        must await other things between its statements); commits when the block ends,
        rolls back on error."""
        writer = self._the_writer()
        async with self._write_lock:
            await _statement(writer, _begin, "BEGIN IMMEDIATE")
            try:
                yield SqliteConn(writer)
            except BaseException:
                await asyncio.shield(_statement(writer, _end, "ROLLBACK"))
                raise
            else:
                # Shielded: a cancelled caller must not leave the transaction half-ended.
                await asyncio.shield(_statement(writer, _end, "COMMIT"))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        """A read transaction on a pooled connection, driven from the loop: one consistent
        snapshot."""
        raw = await self._idle.get()
        try:
            async with self._reading(raw) as conn:
                yield conn
        finally:
            # aiosqlite runs a connection's statements in order, so whatever this user left
            # queued runs before the next user's BEGIN.
            self._idle.put_nowait(raw)

    @asynccontextmanager
    async def _reading(self, raw: aiosqlite.Connection) -> AsyncIterator[Conn]:
        await _statement(raw, _begin, "BEGIN")
        try:
            yield SqliteConn(raw)
        finally:
            await asyncio.shield(_statement(raw, _end, "ROLLBACK"))  # a read keeps nothing


async def _statement(
    raw: aiosqlite.Connection, fn: Callable[[sqlite3.Connection, str], None], sql: str
) -> None:
    """BEGIN / COMMIT / ROLLBACK: on the thread when we can, else through the public API
    (where a BEGIN inside a left-open transaction first ends that one)."""
    if sqlite_thread.fast(raw):
        await sqlite_thread.on_thread(raw, fn, sql)
        return
    if sql.startswith("BEGIN") and raw.in_transaction:
        await raw.execute("ROLLBACK")
    await raw.execute(sql)
