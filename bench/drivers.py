"""Which PostgreSQL driver: asyncpg against psycopg 3, on the real Writes transaction.

    python -m bench.drivers [--db postgresql://HOST:PORT/] [--writers 50] [--seconds 4]
                            [--rounds 3] [--pool 10]

N writers post opinions (``opinion.write`` through the dispatcher, ``dispatch``: the
permission check, the opinion, its search entry, the event with its seq and the NOTIFY, one
transaction) in a closed loop, for a few seconds, through (a) the board's asyncpg backend as
it is and (b) a psycopg 3 implementation of the same store interface (below: it exists for
this measurement only). No HTTP and no fan-out: what differs is the driver alone. Each round
runs both drivers in turn (the order rotates), each on a fresh copy of one seeded database,
after a one-second warm-up that prepares the statements; the medians over the rounds are
printed, with the CPU per transaction of this process and of PostgreSQL's backends. Every
committed transaction is looked for in the event log afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

import psycopg
from psycopg.rows import RowMaker
from psycopg_pool import AsyncConnectionPool

from bench import pg
from bench.generator import StoreProcesses
from bench.runner import DEFAULT_PAYLOAD, DEFAULT_WRITE
from bench.seed import seed
from bench.serve import pin
from bench.stats import new_loop, summary
from board.actions.dispatch import dispatch
from board.changes import Change
from board.models import Person
from board.store import meetings, people
from board.store.conn import Conn, Dialect, Lock, Params, Row
from board.store.db import Store, open_store
from board.store.postgres import numbered

T = TypeVar("T")
P = ParamSpec("P")

ASYNCPG, PSYCOPG = "asyncpg", "psycopg"
DRIVERS = (ASYNCPG, PSYCOPG)
WARM_UP = 1.0  # seconds of writes before the measured ones: statements get prepared


# -- psycopg 3 behind the store's Conn interface ----------------------------------------
class Record(tuple[Any, ...]):
    """A row that indexes by position and by column name, as asyncpg's Record does."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return super().__getitem__(self.names[key])
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self.names)


def record_rows(cursor: psycopg.AsyncCursor[Any]) -> RowMaker[Record]:
    names = {column.name: index for index, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Record:
        row = Record(values)
        row.names = names
        return row

    return make


def _args(sql: str, params: Params) -> tuple[str, list[Any]]:
    """The store's ``?`` / ``:name`` placeholders as PostgreSQL's ``$n`` (psycopg's raw
    cursor takes those as they are), translated by the asyncpg backend's own function.
    Flags go as integers: the schema keeps them in integer columns (SQLite's way), which
    asyncpg fills from a bool and psycopg would refuse."""
    text, names = numbered(sql)
    if names is None:
        values = list(params) if not isinstance(params, dict) else []
    else:
        assert isinstance(params, dict)
        values = [params[name] for name in names]
    return text, [int(value) if isinstance(value, bool) else value for value in values]


class PsycopgConn(Conn):
    dialect = Dialect.POSTGRES

    def __init__(self, raw: psycopg.AsyncConnection[Record]) -> None:
        self.raw = raw

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        text, args = _args(sql, params)
        cursor = await self.raw.execute(text, args)
        return await cursor.fetchone()

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        text, args = _args(sql, params)
        cursor = await self.raw.execute(text, args)
        return list(await cursor.fetchall())

    async def changed(self, sql: str, params: Params = ()) -> int:
        text, args = _args(sql, params)
        cursor = await self.raw.execute(text, args)
        return max(cursor.rowcount, 0)

    async def insert(self, sql: str, params: Params = ()) -> int:
        text, args = _args(sql.rstrip().rstrip(";") + " RETURNING id", params)
        cursor = await self.raw.execute(text, args)
        row = await cursor.fetchone()
        return int(row[0]) if row is not None else 0

    async def run_many(self, sql: str, rows: Iterable[Params]) -> None:
        batch = [_args(sql, row)[1] for row in rows]
        if batch:
            async with self.raw.cursor() as cursor:
                await cursor.executemany(numbered(sql)[0], batch)

    async def notify(self, channel: str, payload: str) -> None:
        await self.raw.execute("SELECT pg_notify($1, $2)", [channel, payload])

    async def serialize(self, *locks: Lock) -> None:
        from board.store.postgres import lock_key

        for lock in locks:
            name = "pg_advisory_xact_lock_shared" if lock.shared else "pg_advisory_xact_lock"
            await self.raw.execute(
                f"SELECT {name}($1::bigint)", [lock_key(lock.scope, lock.owner_id)]
            )


class PsycopgDatabase:
    """The store's interface on a psycopg 3 pool, for the measurement: the same
    transactions (read committed for writes, a repeatable-read snapshot for reads)."""

    dialect = Dialect.POSTGRES
    shared = True

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.pool: AsyncConnectionPool[psycopg.AsyncConnection[Record]] = AsyncConnectionPool(
            url,
            min_size=2,
            max_size=pool_size,
            open=False,
            connection_class=psycopg.AsyncConnection[Record],
            kwargs={
                "autocommit": True,  # transactions are explicit, as with asyncpg
                "cursor_factory": psycopg.AsyncRawCursor,
                "row_factory": record_rows,
            },
        )

    async def open(self) -> None:
        await self.pool.open(wait=True)

    async def close(self) -> None:
        await self.pool.close()

    async def run_write(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        return await asyncio.shield(self._transaction(work, args, kwargs, readonly=False))

    async def run_read(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        return await self._transaction(work, args, kwargs, readonly=True)

    async def run_lookup(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        # psycopg opens a transaction implicitly on a pooled connection: as run_read.
        return await self.run_read(work, *args, **kwargs)

    async def forget_history(self) -> None:
        return None  # the bench's driver comparison takes no votes

    async def _transaction(
        self,
        work: Callable[..., Awaitable[T]],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        readonly: bool,
    ) -> T:
        async with self.pool.connection() as raw, raw.transaction():
            if readonly:
                await raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return await work(PsycopgConn(raw), *args, **kwargs)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Conn]:
        async with self.pool.connection() as raw, raw.transaction():
            yield PsycopgConn(raw)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        async with self.pool.connection() as raw, raw.transaction():
            await raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield PsycopgConn(raw)


def open_driver(driver: str, url: str, pool_size: int) -> Store:
    if driver == PSYCOPG:
        return PsycopgDatabase(url, pool_size=pool_size)
    return open_store(url, pool_size=pool_size)


# -- the measurement ------------------------------------------------------------------
def _payload(item_id: int, number: int) -> dict[str, Any]:
    names = {"item_id": item_id, "spread_item_id": item_id, "n": number}
    payload: dict[str, Any] = {
        key: value.format(**names) if isinstance(value, str) else value
        for key, value in DEFAULT_PAYLOAD.items()
    }
    payload["item_id"] = int(payload["item_id"])
    return payload


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _people(url: str, tokens: list[str]) -> list[Person]:
    store = open_store(url, pool_size=2)
    await store.open()
    try:
        async with store.read() as conn:
            found = [await people.person_for_token(conn, token) for token in tokens]
    finally:
        await store.close()
    return [person for person in found if person is not None]


async def measure(
    driver: str,
    url: str,
    database: str,
    meeting_id: int,
    writers: list[Person],
    *,
    seconds: float,
    pool_size: int,
) -> dict[str, Any]:
    """One driver, one fresh database: the warm-up, then ``seconds`` of closed-loop writes."""
    store = open_driver(driver, url, pool_size)
    await store.open()
    async with store.read() as conn:
        items = [item.id for item in await meetings.items(conn, meeting_id)]
    backends = StoreProcesses(database)

    def nobody_listens(change: Change) -> None:
        return None

    latencies: list[float] = []
    refused: list[str] = []
    measuring = False
    posts = [0] * len(writers)  # each writer's k-th post goes to the k-th item

    async def writer(slot: int, until: float) -> None:
        while time.perf_counter() < until:
            post = posts[slot]
            posts[slot] += 1
            payload = _payload(items[post % len(items)], slot + post * len(writers))
            started = time.perf_counter()
            try:
                await dispatch(
                    store,
                    nobody_listens,
                    writers[slot],
                    DEFAULT_WRITE,
                    payload,
                    meeting_id=meeting_id,
                )
            except Exception as error:  # a refusal is counted, not fatal
                refused.append(f"{type(error).__name__}: {error}"[:200])
            else:
                if measuring:
                    latencies.append(time.perf_counter() - started)

    try:
        warm_until = time.perf_counter() + WARM_UP
        await asyncio.gather(*(writer(slot, warm_until) for slot in range(len(writers))))
        async with store.read() as conn:
            before = int(await conn.value("SELECT seq FROM meetings WHERE id = ?", (meeting_id,)))
        measuring = True
        cpu, pg_cpu, started = _cpu(), backends.cpu(), time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(writer(slot, until) for slot in range(len(writers))))
        wall = time.perf_counter() - started
        cpu, pg_cpu = _cpu() - cpu, backends.cpu() - pg_cpu
        async with store.read() as conn:
            in_log = int(
                await conn.value(
                    "SELECT count(*) FROM events WHERE meeting_id = ? AND seq > ? AND action = ?",
                    (meeting_id, before, DEFAULT_WRITE),
                )
            )
    finally:
        await store.close()
    committed = len(latencies)
    return {
        "driver": driver,
        "per_second": round(committed / wall, 1),
        "latency_ms": summary(latencies, 1000),
        "committed": committed,
        "lost": committed - in_log,
        "refused": len(refused),
        "first_refusals": sorted(set(refused))[:3],
        "client_cpu_ms_per_tx": round(cpu / committed * 1000, 3) if committed else None,
        "pg_cpu_ms_per_tx": round(pg_cpu / committed * 1000, 3) if committed else None,
    }


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    server = pg.Server(args.db, synchronous_commit=args.synchronous_commit)
    server.check()
    template = server.name("drivers")
    results: list[dict[str, Any]] = []
    try:
        rooms = seed(server.create(template), bodies=1, members=args.writers, items=40)
        room = rooms[0]
        writers = asyncio.run(_people(server.url(template), room.members[: args.writers]))
        for round_number in range(args.rounds):
            order = DRIVERS if round_number % 2 == 0 else DRIVERS[::-1]
            for driver in order:
                database = server.name(f"drivers_{driver}")
                url = server.create(database, template=template)
                with asyncio.Runner(loop_factory=new_loop) as runner:
                    result = runner.run(
                        measure(
                            driver,
                            url,
                            database,
                            room.meeting_id,
                            writers,
                            seconds=args.seconds,
                            pool_size=args.pool,
                        )
                    )
                server.drop(database)
                result["round"] = round_number + 1
                results.append(result)
                print(_line(result), flush=True)
    finally:
        server.drop_all()
    return results


def _line(result: dict[str, Any]) -> str:
    latency = result["latency_ms"]
    return (
        f"  #{result['round']} {result['driver']:<8} {result['per_second']:>7.1f} tx/s"
        f"  p50 {latency['p50']} ms  p99 {latency['p99']} ms  lost {result['lost']}"
        f"  refused {result['refused']}  CPU/tx: client {result['client_cpu_ms_per_tx']} ms,"
        f" PostgreSQL {result['pg_cpu_ms_per_tx']} ms"
        + "".join(f"\n      refused: {reason}" for reason in result["first_refusals"])
    )


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        f"{'driver':<10}{'tx/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'lost':>6}{'refused':>9}"
        f"{'client CPU/tx ms':>18}{'PG CPU/tx ms':>14}   (medians of {{n}} rounds)"
    ]
    rounds = 0
    for driver in DRIVERS:
        mine = [result for result in results if result["driver"] == driver]
        rounds = max(rounds, len(mine))

        def med(key: str, sub: str | None = None, rows: list[dict[str, Any]] = mine) -> Any:
            values = [row[key][sub] if sub else row[key] for row in rows]
            present = [value for value in values if value is not None]
            return round(statistics.median(present), 2) if present else "-"

        lines.append(
            f"{driver:<10}{med('per_second'):>9}{med('latency_ms', 'p50'):>9}"
            f"{med('latency_ms', 'p99'):>9}{max(r['lost'] for r in mine):>6}"
            f"{max(r['refused'] for r in mine):>9}{med('client_cpu_ms_per_tx'):>18}"
            f"{med('pg_cpu_ms_per_tx'):>14}"
        )
    lines[0] = lines[0].replace("{n}", str(rounds))
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.drivers", description=__doc__)
    parser.add_argument("--db", default="postgresql://127.0.0.1:5432/", help="a server")
    parser.add_argument("--writers", type=int, default=50, help="concurrent writers")
    parser.add_argument("--seconds", type=float, default=4.0, help="measured, per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each driver")
    parser.add_argument("--pool", type=int, default=10, help="connections (BOARD_DB_POOL)")
    parser.add_argument("--cpu", type=int, default=0, help="pin this process (-1: do not)")
    parser.add_argument(
        "--synchronous-commit",
        choices=("on", "off"),
        default="on",
        help="off: commits do not wait for the disk, so the drivers' own cost shows",
    )
    parser.add_argument("--out", help="write the results here as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pin(None if args.cpu < 0 else args.cpu)
    print(
        f"{args.writers} writers, {args.seconds:g} s per run, {args.rounds} round(s), "
        f"pool {args.pool}, synchronous_commit {args.synchronous_commit},"
        f" psycopg {psycopg.__version__}",
        flush=True,
    )
    results = run(args)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=1)
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
