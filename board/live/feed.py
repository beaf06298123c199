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
# A listening connection that died without a word (a network partition, a failed-over
# database host) gives no termination callback: ask it something now and then.
PROBE_EVERY = 15.0  # seconds
PROBE_TIMEOUT = 5.0


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
        self._probe: asyncio.Task[None] | None = None
        self._closing = False

    def committed(self, change: Change) -> None:
        """The dispatcher's copy: the store delivers the same change to every process,
        this one too; when it is the room's very next change it is pushed now, and the
        notification, arriving after, is then skipped as already held."""
        self.hub.apply(change, only_next=True)

    def revoked(self, people: frozenset[int]) -> None:
        """Closed here at once, without waiting for the store's notification (which every
        process, this one too, also gets: closing twice is harmless)."""
        self.hub.revoke(people)

    async def start(self) -> None:
        await self._connect()
        self._task = asyncio.create_task(self._watch(), name="change-feed")
        self._probe = asyncio.create_task(self._check_alive(), name="change-feed-probe")

    async def _connect(self) -> None:
        connection = await self.store.listener()
        try:
            connection.add_termination_listener(self._terminated)
            await connection.add_listener(self.channel, self._notified)
        except BaseException:
            with contextlib.suppress(Exception):
                await connection.close()
            raise
        self.connection = connection
        self._lost.clear()

    async def _check_alive(self) -> None:
        """Not a poll for changes (they come by notification): a check that the listening
        connection still answers; one that does not is treated as lost."""
        while True:
            await asyncio.sleep(PROBE_EVERY)
            if self._lost.is_set() or self.connection is None:
                continue
            try:
                await asyncio.wait_for(self.connection.fetchval("SELECT 1"), PROBE_TIMEOUT)
            except Exception:
                if not self._lost.is_set():
                    log.warning("the change feed's connection does not answer; reconnecting")
                    self._lost.set()

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
            attempt = 0
            while True:
                try:
                    await self._connect()
                    break
                except Exception:
                    delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
                    attempt += 1
                    await asyncio.sleep(delay)
            self.reconnects += 1
            self.hub.resync()

    async def close(self) -> None:
        self._closing = True
        for task in (self._task, self._probe):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self.connection is not None:
            with contextlib.suppress(Exception):
                await self.connection.close()
