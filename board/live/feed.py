"""Where committed changes come from: this process, or the store shared by many.

The dispatcher hands each committed :class:`~board.changes.Change` to the feed. With one
process and SQLite the feed gives it straight to the hub. With PostgreSQL every process
listens on the store's channel: the change was NOTIFYed inside its own transaction, so it
arrives on commit, in commit order, in every process, this one included; the feed ignores
the dispatcher's copy and applies what the store delivers. When the listening connection
is lost the feed reconnects and has the hub read every room again (a change may have been
missed meanwhile); a seq gap within a room does the same for that room (``Hub.apply``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Protocol

from board.actions.dispatch import CHANGES_CHANNEL
from board.changes import Change, access_changed_of
from board.live.hub import Hub

log = logging.getLogger(__name__)

RECONNECT_DELAYS = (0.05, 0.2, 0.5, 1.0, 2.0)


class Feed(Protocol):
    def committed(self, change: Change) -> None: ...

    def revoked(self, people: frozenset[int]) -> None: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class LocalFeed:
    """One process: the dispatcher's change goes straight to the hub."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def committed(self, change: Change) -> None:
        self.hub.apply(change)

    def revoked(self, people: frozenset[int]) -> None:
        self.hub.revoke(people)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None


class Listener(Protocol):
    """What the feed needs of the store: a fresh connection that can LISTEN."""

    async def listener(self) -> Any: ...


class StoreFeed:
    """Many processes: changes come from the store's notifications (LISTEN/NOTIFY)."""

    def __init__(self, hub: Hub, store: Listener, channel: str = CHANGES_CHANNEL) -> None:
        self.hub = hub
        self.store = store
        self.channel = channel
        self.connection: Any = None
        self.reconnects = 0
        self._lost = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    def committed(self, change: Change) -> None:
        """The dispatcher's copy: the store delivers the same change to every process."""

    def revoked(self, people: frozenset[int]) -> None:
        """Closed here at once, without waiting for the store's notification (which every
        process, this one too, also gets: closing twice is harmless)."""
        self.hub.revoke(people)

    async def start(self) -> None:
        await self._connect()
        self._task = asyncio.create_task(self._watch(), name="change-feed")

    async def _connect(self) -> None:
        connection = await self.store.listener()
        connection.add_termination_listener(self._terminated)
        await connection.add_listener(self.channel, self._notified)
        self.connection = connection
        self._lost.clear()

    def _notified(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        try:
            revoked = access_changed_of(payload)
            change = Change.from_json(payload) if revoked is None else None
        except (ValueError, KeyError, TypeError):
            log.exception("a change notification could not be read: %r", payload[:200])
            return
        if revoked is not None:
            self.hub.revoke(revoked)
        elif change is not None:
            self.hub.apply(change)

    def _terminated(self, connection: Any) -> None:
        if not self._closing:
            log.warning("the change feed lost its connection; reconnecting")
            self._lost.set()

    async def _watch(self) -> None:
        """Reconnect whenever the listening connection is lost, then catch every room
        up: whatever was notified while it was away was missed."""
        while True:
            await self._lost.wait()
            with contextlib.suppress(Exception):
                await self.connection.close()
            for attempt in range(10_000):
                try:
                    await self._connect()
                    break
                except (OSError, Exception):
                    delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
                    await asyncio.sleep(delay)
            self.reconnects += 1
            self.hub.resync()

    async def close(self) -> None:
        self._closing = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.connection is not None:
            with contextlib.suppress(Exception):
                await self.connection.close()
