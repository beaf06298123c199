"""The shared backend: PostgreSQL through asyncpg, for several processes on one store.

Store functions write the same SQL as for SQLite; here ``?`` and ``:name`` placeholders
become ``$n`` (translated once per statement text and cached). Each write transaction
takes an advisory lock on what it acts on (a meeting or a body), so check-then-act inside
an action sees every earlier commit, like SQLite's single writer, while writers of other
meetings run beside it. ``notify`` is PostgreSQL's NOTIFY: delivered to every listening
process on commit, in commit order, and never for a rolled-back transaction."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any, Concatenate, ParamSpec, TypeVar

import asyncpg

from board.store.conn import LOGS, Conn, Dialect, Lock, Params, Row, json_text
from board.store.migrate import migrations

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")

# Advisory lock keys: one number per thing a transaction serialises on.
_LOCK_SCOPES = {"meeting": 0, "body": 1, "person": 2, "migrations": 3}
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|\?|:[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=2048)
def numbered(sql: str) -> tuple[str, tuple[str, ...] | None]:
    """``?`` (positional) or ``:name`` (named) placeholders as ``$n``; string literals and
    ``::`` casts are left alone. Returns the SQL and, for named ones, the names in order."""
    names: list[str] = []
    positional = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal positional
        token = match.group(0)
        if token.startswith(("'", '"')) or token == "::":
            return token
        if token == "?":
            positional += 1
            return f"${positional}"
        name = token[1:]
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    text = _TOKEN.sub(replace, sql)
    if positional and names:
        raise ValueError("a statement mixes ? and :name placeholders")
    return text, (tuple(names) if names else None)


def _args(sql: str, params: Params) -> tuple[str, list[Any]]:
    text, names = numbered(sql)
    if names is None:
        return text, list(params) if not isinstance(params, dict) else []
    assert isinstance(params, dict), "named placeholders take a dict"
    return text, [params[name] for name in names]


def lock_key(scope: str, owner_id: int) -> int:
    """One bigint per (scope, id), for pg_advisory_xact_lock."""
    return (owner_id << 2) | _LOCK_SCOPES[scope]


class PgConn(Conn):
    dialect = Dialect.POSTGRES

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        text, args = _args(sql, params)
        return await self.raw.fetchrow(text, *args)

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        text, args = _args(sql, params)
        return list(await self.raw.fetch(text, *args))

    async def changed(self, sql: str, params: Params = ()) -> int:
        text, args = _args(sql, params)
        status: str = await self.raw.execute(text, *args)
        # "INSERT 0 1", "UPDATE 3", "DELETE 0": the count is the last word.
        last = status.rsplit(" ", 1)[-1]
        return int(last) if last.isdigit() else 0

    async def insert(self, sql: str, params: Params = ()) -> int:
        text, args = _args(sql.rstrip().rstrip(";") + " RETURNING id", params)
        value = await self.raw.fetchval(text, *args)
        return int(value) if value is not None else 0

    async def run_many(self, sql: str, rows: Iterable[Params]) -> None:
        batch = list(rows)
        if not batch:
            return
        text, _ = numbered(sql)
        await self.raw.executemany(text, [_args(sql, row)[1] for row in batch])

    async def notify(self, channel: str, payload: str) -> None:
        await self.raw.execute("SELECT pg_notify($1, $2)", channel, payload)

    async def serialize(self, *locks: Lock) -> None:
        """All in one round trip, taken left to right."""
        calls = ", ".join(
            f"pg_advisory_xact_lock{'_shared' if lock.shared else ''}(${index})"
            for index, lock in enumerate(locks, start=1)
        )
        await self.raw.execute(
            f"SELECT {calls}", *(lock_key(lock.scope, lock.owner_id) for lock in locks)
        )

    async def append_log(
        self,
        scope: str,
        owner_id: int,
        actor_id: int | None,
        action: str,
        payload: str,
        at: str,
        changed: dict[str, Any] | None = None,
        announce: tuple[str, str] | None = None,
    ) -> int:
        """As for every store, in one round trip (the notification included): the owner's
        row is locked from here to commit, so the shorter the rest of the transaction, the
        more writers get through."""
        owner, log, column = LOGS[scope]
        extra, values = ("", "")
        args: list[Any] = [owner_id, at, actor_id, action, payload]
        if scope == "meeting":
            extra, values = (", changed", ", $6")
            args.append(json_text(changed or {}))
        told = "NULL"
        if announce is not None:
            args.extend(announce)
            channel, text = len(args) - 1, len(args)
            told = f"pg_notify(${channel}, '{{\"seq\":' || seq || ',' || substr(${text}, 2))"
        seq = await self.raw.fetchval(
            f"WITH counted AS (UPDATE {owner} SET seq = seq + 1 WHERE id = $1 RETURNING seq), "
            f"logged AS (INSERT INTO {log} ({column}, seq, at, actor_id, action, payload{extra}) "
            f"SELECT $1, seq, $2, $3, $4, $5{values} FROM counted RETURNING seq) "
            f"SELECT seq, {told} FROM logged",
            *args,
        )
        return int(seq)


async def _keep_session(raw: asyncpg.Connection) -> None:
    """The pool's reset, after asyncpg has rolled back any open transaction: nothing more.
    The board leaves no session state on a pooled connection (its advisory locks are
    transaction-scoped, it never LISTENs or SETs on one), so asyncpg's default reset
    (``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``) would cost a round trip
    per transaction for nothing."""
    return None


class PostgresDatabase:
    """A pool of connections to one PostgreSQL database, and the listening connection."""

    dialect = Dialect.POSTGRES
    # Every process writes here: pushes travel through NOTIFY, to every process alike.
    shared = True

    def __init__(self, url: str, *, pool_size: int = 10, synchronous_commit: str = "on") -> None:
        self.url = url
        self.pool_size = pool_size
        # "on": a commit waits for the disk. "off" does not: faster, and a crash of the
        # database server may lose the last fraction of a second of acknowledged actions
        # (README, BOARD_PG_SYNCHRONOUS_COMMIT).
        self.synchronous_commit = synchronous_commit
        self._pool: asyncpg.Pool | None = None

    async def open(self) -> None:
        self._pool = await asyncpg.create_pool(
            self.url,
            min_size=2,
            max_size=self.pool_size,
            command_timeout=60,
            reset=_keep_session,
            server_settings={
                "application_name": f"board-{os.getpid()}",
                "synchronous_commit": self.synchronous_commit,
            },
        )
        async with self._pool.acquire() as raw, raw.transaction():
            await raw.execute("SELECT pg_advisory_xact_lock($1)", lock_key("migrations", 0))
            await self._migrate(raw)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def _migrate(self, raw: asyncpg.Connection) -> None:
        await raw.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied = {row[0] for row in await raw.fetch("SELECT version FROM schema_migrations")}
        for version, name, sql in migrations(self.dialect):
            if version in applied:
                continue
            await raw.execute(sql)
            await raw.execute(
                "INSERT INTO schema_migrations VALUES ($1, $2, "
                "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))",
                version,
                name,
            )

    def _the_pool(self) -> asyncpg.Pool:
        assert self._pool is not None, "database is not open"
        return self._pool

    async def run_write(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run ``work(conn, ...)`` as one transaction: commit when it returns, roll back
        when it raises. A cancelled caller does not cancel it: it runs to its end (and
        commits) before its connection goes back to the pool, as on SQLite."""
        return await asyncio.shield(self._transaction(work, args, kwargs, readonly=False))

    async def run_read(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run ``work(conn, ...)`` on one consistent snapshot."""
        return await self._transaction(work, args, kwargs, readonly=True)

    async def run_lookup(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Without BEGIN and COMMIT (two round trips saved): each statement is its own
        snapshot, which is all that "who is asking" and the meeting they ask about need."""
        async with self._the_pool().acquire() as raw:
            return await work(PgConn(raw), *args, **kwargs)

    async def forget_history(self) -> None:
        """Earlier versions of the ballot tables' rows removed (VACUUM): a secret vote's
        transactions changed a voter's flag and a counter together, and their dead row
        versions would say which. PostgreSQL's own write-ahead log keeps them until it is
        recycled (README: what the secret ballot guarantees)."""
        async with self._the_pool().acquire() as raw:
            await raw.execute("VACUUM vote_voters, vote_tallies, vote_receipts")

    async def _transaction(
        self,
        work: Callable[..., Awaitable[T]],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        readonly: bool,
    ) -> T:
        async with self._the_pool().acquire() as raw:
            isolation = "repeatable_read" if readonly else "read_committed"
            async with raw.transaction(isolation=isolation, readonly=readonly):
                return await work(PgConn(raw), *args, **kwargs)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Conn]:
        async with (
            self._the_pool().acquire() as raw,
            raw.transaction(isolation="read_committed"),
        ):
            yield PgConn(raw)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        async with (
            self._the_pool().acquire() as raw,
            raw.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield PgConn(raw)

    async def listener(self) -> asyncpg.Connection:
        """A connection of its own for LISTEN (outside the pool)."""
        connection: asyncpg.Connection = await asyncpg.connect(
            self.url, server_settings={"application_name": f"board-changes-{os.getpid()}"}
        )
        return connection
