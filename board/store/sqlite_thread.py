"""The one place that reads aiosqlite's internals: running a function on a connection's
own thread, in the order of everything else queued for it.

The fast path (``aiosqlite`` 0.20-0.22: its private ``_execute`` and ``_conn``, what every
public method of it is built on) lets a whole transaction run on that thread in one hop.
When a later aiosqlite lacks them, :data:`FAST` is False and the store drives each
transaction from the event loop through aiosqlite's public API instead: one hop per
statement, slower, the same results. ``tests/store/test_sqlite_thread.py`` names the path
that runs."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")

FAST = callable(getattr(aiosqlite.Connection, "_execute", None))


def raw_connection(raw: aiosqlite.Connection) -> sqlite3.Connection | None:
    """The sqlite3 connection inside, when this aiosqlite exposes it where we know."""
    inner = getattr(raw, "_conn", None)
    return inner if isinstance(inner, sqlite3.Connection) else None


def fast(raw: aiosqlite.Connection) -> bool:
    return FAST and raw_connection(raw) is not None


async def on_thread(raw: aiosqlite.Connection, fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(sqlite3_connection, *args)`` on the connection's thread (fast path only)."""
    inner = raw_connection(raw)
    assert FAST and inner is not None, "the fast path is not available"
    result: T = await raw._execute(fn, inner, *args)  # type: ignore[no-untyped-call]
    return result
