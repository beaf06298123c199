"""The one class that owns the SQLite connections.

All writes go through a single writer connection, one transaction at a time, inside
``BEGIN IMMEDIATE``; reads use separate connections that WAL lets run beside it.

Statements run on the event loop's own thread. A statement on a local WAL database takes
microseconds; handing each one to a worker thread (as aiosqlite does) cost far more, in
thread switches and in transactions that held the write lock while their next statement
waited for a busy loop (README, "Benchmarks"). What could block is kept off the loop:
with ``synchronous=NORMAL`` a commit writes to the WAL without fsync, checkpoints (which
do fsync) run in a worker thread, and with ``FULL``/``EXTRA`` the fsyncing ``COMMIT`` is
sent to a worker thread. A query that may take more than a few milliseconds belongs in
``Database.offload``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

Row = sqlite3.Row
Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# How long a writer waits for another process's write lock, without blocking the loop.
BUSY_SECONDS = 5.0
BUSY_STEP = 0.002
# A WAL reader waits only in rare cases (recovery after a crash); never long on the loop.
READER_BUSY_MS = 1000
# Copy the WAL back into the database from a worker thread this often (seconds).
CHECKPOINT_EVERY = 1.0


class Conn:
    """A connection handed to store functions: inside a transaction or a read."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = self.raw.execute(sql, params).fetchone()
        return row

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        return self.raw.execute(sql, params).fetchall()

    async def value(self, sql: str, params: Params = ()) -> Any:
        row = self.raw.execute(sql, params).fetchone()
        return None if row is None else row[0]

    async def run(self, sql: str, params: Params = ()) -> int:
        """Execute a write; return the last row id (for INSERT) or the row count."""
        cursor = self.raw.execute(sql, params)
        if sql.lstrip().upper().startswith("INSERT"):
            return int(cursor.lastrowid or 0)
        return int(cursor.rowcount)

    async def run_many(self, sql: str, rows: Iterable[Params]) -> None:
        self.raw.executemany(sql, rows)


def migrations() -> list[tuple[int, str, str]]:
    """The numbered schema migrations shipped with the package, in order."""
    found = []
    folder = resources.files("board.store") / "migrations"
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


class Database:
    def __init__(self, path: Path, *, synchronous: str = "NORMAL", readers: int = 2) -> None:
        self.path = path
        self.synchronous = synchronous
        self.reader_count = readers
        self._writer: sqlite3.Connection | None = None
        self._readers: list[sqlite3.Connection] = []
        self._idle: asyncio.Queue[sqlite3.Connection] = asyncio.Queue()
        self._write_lock = asyncio.Lock()
        self._checkpointer: asyncio.Task[None] | None = None
        self._commits = 0

    def _connect(self, *, busy_ms: int) -> sqlite3.Connection:
        # check_same_thread off: the fsyncing COMMIT and checkpoints run in worker threads,
        # always while no other code uses that connection.
        raw = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        raw.row_factory = sqlite3.Row
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute(f"PRAGMA busy_timeout = {busy_ms}")
        raw.execute(f"PRAGMA synchronous = {self.synchronous}")
        return raw

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = self._connect(busy_ms=int(BUSY_SECONDS * 1000))
        self._writer.execute("PRAGMA journal_mode = WAL")
        self._writer.execute("PRAGMA wal_autocheckpoint = 0")
        self._migrate(self._writer)
        # From now on the writer never waits inside SQLite (that would block the loop).
        self._writer.execute("PRAGMA busy_timeout = 0")
        for _ in range(self.reader_count):
            raw = self._connect(busy_ms=READER_BUSY_MS)
            self._readers.append(raw)
            self._idle.put_nowait(raw)
        self._checkpointer = asyncio.create_task(self._checkpoints())

    async def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpointer
            self._checkpointer = None
        if self._writer is not None:
            async with self._write_lock:
                await asyncio.to_thread(self._checkpoint)
        for raw in [*self._readers, self._writer]:
            if raw is not None:
                raw.close()
        self._readers.clear()
        self._idle = asyncio.Queue()
        self._writer = None

    def _migrate(self, raw: sqlite3.Connection) -> None:
        raw.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied = {row[0] for row in raw.execute("SELECT version FROM schema_migrations")}
        for version, name, sql in migrations():
            if version in applied:
                continue
            # executescript commits first, so the script carries its own transaction.
            raw.executescript(
                "BEGIN IMMEDIATE;\n"
                + sql
                + "\nINSERT INTO schema_migrations VALUES "
                + f"({version}, '{name}', strftime('%Y-%m-%dT%H:%M:%fZ'));\nCOMMIT;"
            )

    async def _begin_immediate(self, raw: sqlite3.Connection) -> None:
        """Take the write lock; if another process holds it, wait on the loop, not in SQLite."""
        waited = 0.0
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or waited >= BUSY_SECONDS:
                    raise
            await asyncio.sleep(BUSY_STEP)
            waited += BUSY_STEP

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Conn]:
        """One write transaction; commits when the block ends, rolls back on error."""
        assert self._writer is not None, "database is not open"
        writer = self._writer
        async with self._write_lock:
            await self._begin_immediate(writer)
            try:
                yield Conn(writer)
            except BaseException:
                writer.execute("ROLLBACK")
                raise
            if self.synchronous == "NORMAL":
                writer.execute("COMMIT")  # to the WAL, no fsync
            else:
                await asyncio.to_thread(writer.execute, "COMMIT")
            self._commits += 1

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        """A read transaction on a pooled connection: one consistent snapshot."""
        raw = await self._idle.get()
        try:
            raw.execute("BEGIN")
            try:
                yield Conn(raw)
            finally:
                raw.execute("COMMIT")
        finally:
            self._idle.put_nowait(raw)

    async def offload(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run a long read (a search, an export) in a worker thread on its own connection,
        so the event loop keeps serving every device meanwhile."""

        def run() -> T:
            raw = self._connect(busy_ms=READER_BUSY_MS)
            try:
                raw.execute("BEGIN")
                return work(raw)
            finally:
                raw.close()

        return await asyncio.to_thread(run)

    async def _checkpoints(self) -> None:
        seen = 0
        while True:
            await asyncio.sleep(CHECKPOINT_EVERY)
            if self._commits != seen:
                seen = self._commits
                try:
                    await asyncio.to_thread(self._checkpoint)
                except sqlite3.Error:  # a busy reader or writer: the next round catches up
                    continue

    def _checkpoint(self) -> None:
        """PASSIVE: copies what it can without waiting for readers or the writer."""
        raw = self._connect(busy_ms=0)
        try:
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            raw.close()
