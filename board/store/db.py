"""The store seam: which backend a target names, and what every backend offers.

Actions, views, the hub and render see :class:`Store` and :class:`Conn` only; below them
sit the SQLite backend (a file path, the default) and the PostgreSQL one (a
``postgresql://`` URL)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from board.store.conn import Conn, Dialect, Params, Row
from board.store.migrate import migrations
from board.store.sqlite import SqliteDatabase

T = TypeVar("T")
P = ParamSpec("P")

Database = SqliteDatabase  # the embedded default, by its old name

__all__ = [
    "Conn",
    "Database",
    "Dialect",
    "Params",
    "Row",
    "Store",
    "is_url",
    "migrations",
    "open_store",
]


class Store(Protocol):
    dialect: Dialect
    shared: bool  # several processes write it: changes travel through the store itself

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def run_write(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T: ...

    async def run_read(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T: ...

    async def run_lookup(
        self,
        work: Callable[Concatenate[Conn, P], Coroutine[Any, Any, T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Reads that need no common snapshot (who is asking, and the meeting they ask
        about): each statement sees the latest commits. Cheaper than ``run_read`` where a
        transaction costs round trips of its own."""
        ...

    async def forget_history(self) -> None:
        """Drop earlier versions of changed rows that the store still keeps (after a
        secret vote closes)."""
        ...

    def write(self) -> AbstractAsyncContextManager[Conn]: ...

    def read(self) -> AbstractAsyncContextManager[Conn]: ...


def is_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def open_store(
    target: str | Path,
    *,
    synchronous: str = "NORMAL",
    readers: int = 2,
    pool_size: int = 10,
    synchronous_commit: str = "on",
) -> Store:
    """The backend a ``--db`` value names: a ``postgresql://`` URL or a SQLite file."""
    if is_url(target):
        from board.store.postgres import PostgresDatabase

        return PostgresDatabase(
            str(target), pool_size=pool_size, synchronous_commit=synchronous_commit
        )
    return SqliteDatabase(Path(target), synchronous=synchronous, readers=readers)
