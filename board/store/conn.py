"""What store functions see of a database: a connection inside one transaction.

Two backends implement it (``board.store.sqlite`` and ``board.store.postgres``). Store
functions write portable SQL with ``?`` placeholders (or ``:name`` with a dict) and ask
:attr:`Conn.dialect` only where the engines really differ (search, the change feed)."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

Row = Any  # sqlite3.Row or asyncpg.Record: both index by position and by column name
Params = Sequence[Any] | dict[str, Any]

# scope -> (owner table with the seq counter, log table, owner column)
LOGS = {
    "meeting": ("meetings", "events", "meeting_id"),
    "body": ("bodies", "body_events", "body_id"),
}


class Dialect(StrEnum):
    SQLITE = "sqlite"
    POSTGRES = "postgres"


@dataclass(frozen=True, slots=True)
class Lock:
    """What a write transaction waits its turn on: a meeting, a body or a person;
    ``shared`` waits only for those who take it exclusively."""

    scope: str
    owner_id: int
    shared: bool = False


class Conn(ABC):
    """A connection handed to store functions, inside a transaction or a read. Each
    backend implements the five statement methods; the rest is shared."""

    dialect: Dialect

    @abstractmethod
    async def one(self, sql: str, params: Params = ()) -> Row | None: ...

    @abstractmethod
    async def all(self, sql: str, params: Params = ()) -> list[Row]: ...

    @abstractmethod
    async def changed(self, sql: str, params: Params = ()) -> int:
        """Execute a write; return how many rows it changed (0 for an insert that ON
        CONFLICT DO NOTHING skipped)."""
        ...

    @abstractmethod
    async def insert(self, sql: str, params: Params = ()) -> int:
        """Execute an INSERT into a table with an ``id`` column; return the new id."""
        ...

    @abstractmethod
    async def run_many(self, sql: str, rows: Iterable[Params]) -> None: ...

    async def notify(self, channel: str, payload: str) -> None:
        """Tell every process listening on ``channel``, when (and only if) this transaction
        commits. A backend of one process has nobody to tell."""
        return None

    async def serialize(self, *locks: Lock) -> None:
        """Take these locks, in order, until this transaction ends (SQLite's single writer
        serialises everything already)."""
        return None

    async def value(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    async def run(self, sql: str, params: Params = ()) -> int:
        """Execute a write; return the row count."""
        return await self.changed(sql, params)

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
        changed: dict[str, Any] | None = None,
        announce: tuple[str, str] | None = None,
    ) -> int:
        """Append to a meeting's or a body's event log with the next ``seq``; return it.
        ``announce`` (channel, notification without its seq): notify every process, with
        the seq stamped in, when the transaction commits.

        The owner's row is updated first, so it is locked until commit: writers in other
        processes take their turn, and seqs are 1..N with no gap and no duplicate."""
        owner, log, column = LOGS[scope]
        seq = int(
            await self.value(
                f"UPDATE {owner} SET seq = seq + 1 WHERE id = ? RETURNING seq", (owner_id,)
            )
        )
        if scope == "meeting":
            await self.run(
                f"INSERT INTO {log} ({column}, seq, at, actor_id, action, payload, changed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (owner_id, seq, at, actor_id, action, payload, json_text(changed or {})),
            )
            if announce is not None:
                channel, unsequenced = announce
                await self.notify(channel, '{"seq":' + str(seq) + "," + unsequenced[1:])
        else:
            await self.run(
                f"INSERT INTO {log} ({column}, seq, at, actor_id, action, payload) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (owner_id, seq, at, actor_id, action, payload),
            )
        return seq


def json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
