"""Connections per meeting and the fan-out of rendered fragments.

A change marks parts of a meeting dirty; one publisher task per meeting reads the
committed state once, renders each dirty part once per audience, and offers the same
string to every connection of that audience. Bursts coalesce; order is kept because one
task publishes per meeting. A connection whose bounded queue is full is dropped and
resyncs when it reconnects, so a slow device never holds up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from board.live.parts import ALL_PARTS, Part
from board.models import MeetingState
from board.render import Audience, Renderer

log = logging.getLogger(__name__)

QUEUE_LIMIT = 32
# The close code for a dropped device: the hx-ws extension reconnects on it.
CLOSE_TRY_AGAIN = 1013

LoadState = Callable[[int], Awaitable[MeetingState | None]]


class Subscriber:
    """One device's connection: a bounded outbox drained by its own sender."""

    __slots__ = ("audience", "dropped", "last_seq", "outbox", "person_id")

    def __init__(self, audience: Audience, person_id: int | None) -> None:
        self.audience = audience
        self.person_id = person_id
        self.outbox: asyncio.Queue[str] = asyncio.Queue(QUEUE_LIMIT)
        self.last_seq = -1
        self.dropped = asyncio.Event()

    def offer(self, seq: int, message: str) -> None:
        if self.dropped.is_set() or seq < self.last_seq:
            return  # a newer full state has already been queued
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.dropped.set()
            return
        self.last_seq = seq


@dataclass(slots=True)
class Room:
    meeting_id: int
    audiences: dict[Audience, set[Subscriber]] = field(default_factory=dict)
    dirty: set[Part] = field(default_factory=set)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    state: MeetingState | None = None
    full: dict[Audience, tuple[int, str]] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None

    @property
    def size(self) -> int:
        return sum(len(group) for group in self.audiences.values())


class Hub:
    def __init__(self, renderer: Renderer, load_state: LoadState) -> None:
        self.renderer = renderer
        self.load_state = load_state
        self.rooms: dict[int, Room] = {}
        self.published = 0

    def connections(self, meeting_id: int | None = None) -> int:
        rooms = self.rooms.values() if meeting_id is None else [self.rooms.get(meeting_id)]
        return sum(room.size for room in rooms if room is not None)

    async def join(self, meeting_id: int, subscriber: Subscriber) -> bool:
        """Register a device and queue the full current state for it."""
        room = self.rooms.get(meeting_id)
        if room is None:
            room = self.rooms[meeting_id] = Room(meeting_id)
            room.task = asyncio.create_task(self._publisher(room), name=f"room-{meeting_id}")
        room.audiences.setdefault(subscriber.audience, set()).add(subscriber)
        state = room.state
        if state is None:
            state = await self.load_state(meeting_id)
            if state is None:
                return False
            if room.state is None or room.state.seq <= state.seq:
                room.state = state
        subscriber.offer(state.seq, self._full(room, state, subscriber.audience))
        return True

    def _full(self, room: Room, state: MeetingState, audience: Audience) -> str:
        cached = room.full.get(audience)
        if cached is not None and cached[0] == state.seq:
            return cached[1]
        html = self.renderer.parts(state, audience, ALL_PARTS)
        room.full[audience] = (state.seq, html)
        return html

    def leave(self, meeting_id: int, subscriber: Subscriber) -> None:
        room = self.rooms.get(meeting_id)
        if room is None:
            return
        group = room.audiences.get(subscriber.audience)
        if group is not None:
            group.discard(subscriber)
            if not group:
                del room.audiences[subscriber.audience]
        if room.size == 0:
            del self.rooms[meeting_id]
            if room.task is not None:
                room.task.cancel()

    def publish(self, meeting_id: int, parts: frozenset[Part]) -> None:
        """Called after commit. Nobody connected: nothing to do."""
        room = self.rooms.get(meeting_id)
        if room is None or not parts:
            return
        room.dirty |= parts
        room.wake.set()

    async def _publisher(self, room: Room) -> None:
        while True:
            await room.wake.wait()
            room.wake.clear()
            parts, room.dirty = frozenset(room.dirty), set()
            try:
                state = await self.load_state(room.meeting_id)
            except Exception:  # keep the room alive; the next change retries
                log.exception("loading meeting %s failed", room.meeting_id)
                continue
            if state is None:
                continue
            room.state = state
            for audience, group in list(room.audiences.items()):
                try:
                    message = self.renderer.parts(state, audience, parts)
                except Exception:
                    log.exception("rendering for %s failed", audience)
                    continue
                for subscriber in list(group):
                    subscriber.offer(state.seq, message)
            self.published += 1

    async def close(self) -> None:
        for room in list(self.rooms.values()):
            if room.task is not None:
                room.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await room.task
        self.rooms.clear()
