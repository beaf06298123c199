"""Connections per meeting and the fan-out of rendered fragments.

A change marks parts of a meeting dirty; one publisher task per meeting reads the
committed state once, renders each dirty part once per audience, and offers the same
string to every connection of that audience. Bursts coalesce; order is kept because one
task publishes per meeting. A connection whose bounded outbox is full is dropped and
resyncs when it reconnects, so a slow device never holds up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Generator
from dataclasses import dataclass, field
from typing import Any, cast

from board.changes import Change
from board.live.parts import ALL_PARTS, Part, regions
from board.live.wire import Push, Send, Wire
from board.models import MeetingState, Mine
from board.render import Audience, Renderer

log = logging.getLogger(__name__)

QUEUE_LIMIT = 32
PUSH_GAP = 0.025  # seconds: a room pushes at most 40 times a second
# The close code for a dropped device: the hx-ws extension reconnects on it.
CLOSE_TRY_AGAIN = 1013
# The person's access changed (removed, link revoked, new role): the page loads again and
# the server answers as it now must (401: sign in again; or the new role's page). Not one
# of the codes hx-ws reconnects on.
CLOSE_SIGN_IN_AGAIN = 4401
# The person already has as many connections as one person may: refused, no reconnect.
CLOSE_TOO_MANY = 4429
MAX_SOCKETS_PER_PERSON = 10
CLOSE_WAIT = 1.0  # seconds to wait for a close frame to leave a full buffer
COLLECT_AFTER_JOINS = 200  # a wave of joins worth a full collection once it has settled
JOINS_SETTLE = 0.3  # seconds without a join that end the wave

# (meeting id, the last state read for it, the parts changed since, the agenda items named
# for Part.ITEM) -> the committed state now
LoadState = Callable[
    [int, MeetingState | None, frozenset[Part], frozenset[int]], Awaitable[MeetingState | None]
]
# meeting id -> its committed seq (a store shared by several processes)
# (meeting id, people) -> each one's own state in that meeting (what no broadcast carries)
LoadMine = Callable[[int, frozenset[int]], Awaitable[dict[int, Mine]]]


_NOT_STARTED = object()


class Subscriber:
    """One device's connection and its bounded outbox.

    A send starts at once, in the publisher's own step, and usually finishes there: the
    frame is written straight to the connection (board.live.wire) or its ASGI send takes
    it without waiting. Only a send that has to wait (the
    device is not reading) is handed to a task, which then drains the outbox. So an idle
    device costs no task, no future and no loop iteration per message; an assembly holds
    thousands, and every object they keep alive is scanned by the garbage collector."""

    __slots__ = (
        "audience",
        "close_code",
        "dropped",
        "gone",
        "last_seq",
        "outbox",
        "person_id",
        "send",
        "sender",
        "wire",
    )

    def __init__(self, audience: Audience, person_id: int | None, send: Send) -> None:
        self.audience = audience
        self.person_id = person_id
        self.send = send
        self.wire = Wire.of(send)
        self.outbox: deque[Push] = deque()
        self.last_seq = -1
        self.dropped = False  # fell too far behind, or its access ended: being closed
        self.close_code = CLOSE_TRY_AGAIN
        self.gone = False  # the connection has ended
        self.sender: asyncio.Task[None] | None = None

    def offer(self, seq: int, frame: Push) -> None:
        if self.dropped or self.gone or seq < self.last_seq:
            return  # a newer full state has already been queued
        self.last_seq = seq
        if self.sender is None:
            self._start(frame)
        elif len(self.outbox) < QUEUE_LIMIT:
            self.outbox.append(frame)
        else:
            # Too far behind: close it; it reconnects and gets the full state.
            self.dropped = True
            self.outbox.clear()

    def revoke(self) -> None:
        """The person's access changed: nothing more is offered or sent but the close."""
        if self.gone:
            return
        already = self.dropped
        self.dropped = True
        self.close_code = CLOSE_SIGN_IN_AGAIN
        self.outbox.clear()
        if self.sender is None and not already:
            # Nothing under way to send the close after: send it now.
            self.sender = asyncio.get_running_loop().create_task(self._close())

    def _start(self, frame: Push) -> None:
        if self.wire is not None and self.wire.write(frame):
            return
        sending = self.send(frame.message)
        waiting_for: Any = _NOT_STARTED
        if isinstance(sending, Coroutine):
            try:
                waiting_for = sending.send(None)
            except StopIteration:
                return  # sent without waiting
            except Exception:  # the connection is gone; its handler cleans up
                self.gone = True
                return
        self.sender = asyncio.get_running_loop().create_task(self._finish(sending, waiting_for))

    async def _finish(self, sending: Awaitable[None], waiting_for: Any) -> None:
        try:
            if waiting_for is _NOT_STARTED:
                await sending
            else:
                await _Resume(sending, waiting_for)
            while self.outbox and not self.dropped:
                await self.send(self.outbox.popleft().message)
            if self.dropped and not self.gone:
                await self._send_close()
        except Exception:  # the connection is gone or stuck; its handler cleans up
            self.dropped = True
        finally:
            self.sender = None

    async def _close(self) -> None:
        try:
            await self._send_close()
        except Exception:  # the connection is gone or stuck; its handler cleans up
            pass
        finally:
            self.sender = None

    async def _send_close(self) -> None:
        close = {"type": "websocket.close", "code": self.close_code, "reason": ""}
        await asyncio.wait_for(self.send(close), CLOSE_WAIT)

    def stop(self) -> None:
        """The connection ended: nothing more to send."""
        self.gone = True
        self.outbox.clear()


class _Resume:
    """Awaits the rest of a coroutine that was started by hand and is waiting for
    ``waiting_for`` (a future it yielded): the task awaiting this carries it on."""

    __slots__ = ("coroutine", "waiting_for")

    def __init__(self, coroutine: Awaitable[None], waiting_for: Any) -> None:
        self.coroutine = coroutine
        self.waiting_for = waiting_for

    def __await__(self) -> Generator[Any, None, None]:
        coroutine = cast(Coroutine[Any, Any, None], self.coroutine)
        waiting_for = self.waiting_for
        while True:
            try:
                yield waiting_for
            except BaseException as error:  # a cancellation thrown into the task
                try:
                    waiting_for = coroutine.throw(error)
                except StopIteration:
                    return
            else:
                try:
                    waiting_for = coroutine.send(None)
                except StopIteration:
                    return


@dataclass(slots=True)
class Room:
    meeting_id: int
    audiences: dict[Audience, set[Subscriber]] = field(default_factory=dict)
    dirty: set[Part] = field(default_factory=set)
    dirty_items: set[int] = field(default_factory=set)  # for Part.ITEM
    dirty_people: set[int] = field(default_factory=set)  # whose own state changed
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    state: MeetingState | None = None
    # The full state per audience, for joining devices, rendered from the state object that
    # is the key (not its seq: a state read during a write may be corrected by the push
    # that follows it at the same seq).
    full: dict[Audience, tuple[MeetingState, Push]] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None
    # The newest change applied to this room (its seq), and whether the next read must be
    # a full one: a change was missed (the feed lost its connection, or a seq was skipped).
    seen_seq: int = -1
    reload: bool = False
    # On a shared store: the full read in flight for joining devices that may have seen
    # newer changes on another process, shared by every join waiting for it (see join).
    fresh: asyncio.Future[MeetingState | None] | None = None
    fresh_frames: dict[Audience, tuple[MeetingState, Push]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(group) for group in self.audiences.values())


class Hub:
    def __init__(
        self,
        renderer: Renderer,
        load_state: LoadState,
        load_mine: LoadMine,
        max_per_person: int = MAX_SOCKETS_PER_PERSON,
        shared: bool = False,
    ) -> None:
        self.renderer = renderer
        self.load_state = load_state
        self.load_mine = load_mine
        # A store shared by several processes: a joining device may have seen, on another
        # process, changes this one has not heard of yet (see join).
        self.shared = shared
        self.max_per_person = max_per_person
        self.rooms: dict[int, Room] = {}
        # Each person's open connections, in every meeting (for the cap and revocation).
        self.devices: dict[int, set[Subscriber]] = {}
        # Revocations are numbered; a person's last one is kept, so a connection whose
        # credentials were read before it cannot join after it.
        self.revocations = 0
        self._revoked: dict[int, int] = {}
        self.published = 0
        # Told of each change applied to a room this process holds (the board marks the
        # people connected when a meeting starts as present).
        self.on_change: Callable[[Change], None] | None = None
        self._joined = 0  # devices joined since the last full collection we asked for
        self._settle: asyncio.TimerHandle | None = None

    def connected_people(self, meeting_id: int) -> frozenset[int]:
        """The people with a device on the meeting's page here (not on the projector)."""
        room = self.rooms.get(meeting_id)
        if room is None:
            return frozenset()
        return frozenset(
            subscriber.person_id
            for audience, group in room.audiences.items()
            if audience.view != "projector"
            for subscriber in group
            if subscriber.person_id is not None
        )

    def connections(self, meeting_id: int | None = None) -> int:
        rooms = self.rooms.values() if meeting_id is None else [self.rooms.get(meeting_id)]
        return sum(room.size for room in rooms if room is not None)

    def admit(self, subscriber: Subscriber, since: int) -> int | None:
        """None when the device may join, else the close code that refuses it: its
        person's access changed after revocation number ``since`` (read before its
        credentials were), or the person has as many connections as one may have.
        Call it in the same step as :meth:`join`, which counts the device at once."""
        person_id = subscriber.person_id
        if person_id is None:
            return None
        if self._revoked.get(person_id, 0) > since:
            return CLOSE_SIGN_IN_AGAIN
        if len(self.devices.get(person_id, ())) >= self.max_per_person:
            return CLOSE_TOO_MANY
        return None

    def revoke(self, person_ids: frozenset[int]) -> None:
        """Called after commit: these people's access changed. Every connection of theirs,
        in every meeting, is taken out of its room here and now (nothing more is offered
        to it) and closed with CLOSE_SIGN_IN_AGAIN; one still joining is refused."""
        self.revocations += 1
        for person_id in person_ids:
            self._revoked[person_id] = self.revocations
        for room in self.rooms.values():
            for audience, group in list(room.audiences.items()):
                leaving = [each for each in group if each.person_id in person_ids]
                for subscriber in leaving:
                    group.discard(subscriber)
                if not group:
                    del room.audiences[audience]
        for person_id in person_ids:
            for subscriber in self.devices.get(person_id, ()):
                subscriber.revoke()

    async def join(self, meeting_id: int, subscriber: Subscriber, committed_seq: int = 0) -> bool:
        """Register a device and queue the full current state for it. ``committed_seq`` is
        the meeting's seq in the store when the device was let in (read with who is asking,
        after the device connected): not below any state it was pushed before."""
        if subscriber.person_id is not None:
            self.devices.setdefault(subscriber.person_id, set()).add(subscriber)
        room = self.rooms.get(meeting_id)
        if room is None:
            room = self.rooms[meeting_id] = Room(meeting_id)
            room.task = asyncio.create_task(self._publisher(room), name=f"room-{meeting_id}")
        room.audiences.setdefault(subscriber.audience, set()).add(subscriber)
        if room.state is None:
            state = await self.load_state(meeting_id, None, ALL_PARTS, frozenset())
            if state is None:
                return False
            if room.state is None or room.state.seq < state.seq:
                room.state = state
                room.seen_seq = max(room.seen_seq, state.seq)
        # The room's state is the newest: never older than a part offered meanwhile.
        state = room.state
        frame = self._full(room, state, subscriber.audience)
        if self.shared and committed_seq > state.seq:
            # Another process committed changes this room has not heard of yet, and a
            # device that reconnects here may have seen them there: give it a fresh read,
            # never an older state (the room catches up as the changes arrive).
            fresh = await self._fresh(room, committed_seq)
            if fresh is not None and fresh.seq > state.seq:
                state = fresh
                frame = self._full(room, fresh, subscriber.audience, room.fresh_frames)
        subscriber.offer(state.seq, frame)
        if subscriber.person_id is not None and subscriber.audience.view == "member":
            # The page's own state may be older than the device's reconnect.
            room.dirty_people.add(subscriber.person_id)
            room.wake.set()
        self._after_join()
        return True

    def _after_join(self) -> None:
        """After a wave of devices has joined (a meeting about to start), run the full
        garbage collection they make due once the wave is over, instead of letting it
        fall on the fan-out of the chair's first action: it scans every object of every
        connection (tens of ms per thousand devices)."""
        self._joined += 1
        if self._joined < COLLECT_AFTER_JOINS:
            return
        if self._settle is not None:
            self._settle.cancel()
        self._settle = asyncio.get_running_loop().call_later(JOINS_SETTLE, self._collect)

    def _collect(self) -> None:
        self._settle = None
        self._joined = 0
        gc.collect()

    async def _fresh(self, room: Room, at_least: int) -> MeetingState | None:
        """A full read of the room for joining devices, one at a time and shared by every
        join waiting for it (a wave of devices joining while presence writes move the seq
        would otherwise read the whole room once each). A read that began before
        ``at_least`` was committed may not hold it: then the next read, begun after, does."""
        fresh: MeetingState | None = None
        for _ in range(2):
            reading = room.fresh
            if reading is None or reading.done():
                reading = room.fresh = asyncio.ensure_future(
                    self.load_state(room.meeting_id, None, ALL_PARTS, frozenset())
                )
            fresh = await asyncio.shield(reading)
            if fresh is None or fresh.seq >= at_least:
                break
        return fresh

    def _full(
        self,
        room: Room,
        state: MeetingState,
        audience: Audience,
        cache: dict[Audience, tuple[MeetingState, Push]] | None = None,
    ) -> Push:
        """The full state for a joining device, rendered once per audience and state (a
        fresh read has a cache of its own: it must not evict the room state's frames)."""
        frames = room.full if cache is None else cache
        cached = frames.get(audience)
        if cached is not None and cached[0] is state:
            return cached[1]
        frame = Push(self.renderer.parts(state, audience, ALL_PARTS))
        frames[audience] = (state, frame)
        return frame

    def leave(self, meeting_id: int, subscriber: Subscriber) -> None:
        subscriber.stop()
        person_id = subscriber.person_id
        devices = None if person_id is None else self.devices.get(person_id)
        if person_id is not None and devices is not None:
            devices.discard(subscriber)
            if not devices:
                del self.devices[person_id]
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

    def apply(self, change: Change, *, only_next: bool = False) -> None:
        """A committed change, from this process or (through the store) from another.
        Changes arrive in commit order; one the room's state already holds is skipped,
        and a gap in the seqs means one was missed: the room is read again in full.
        ``only_next``: this process's own copy of a change that the store also delivers,
        taken now only when it is the very next one (no waiting for the notification's
        round trip); otherwise the notifications bring it in order."""
        room = self.rooms.get(change.meeting_id)
        if room is None:
            return
        if only_next and (room.seen_seq < 0 or change.seq != room.seen_seq + 1):
            return
        if room.seen_seq >= 0:
            if change.seq <= room.seen_seq:
                return
            if change.seq > room.seen_seq + 1:
                log.warning(
                    "meeting %s: changes %s..%s missed; reading it again",
                    change.meeting_id,
                    room.seen_seq + 1,
                    change.seq - 1,
                )
                self._resync(room)
        room.seen_seq = change.seq
        self.publish(change.meeting_id, regions(change.aspects), change.items, change.people)
        if self.on_change is not None:
            self.on_change(change)

    def resync(self) -> None:
        """Read every room again in full and push it (the feed was cut: any change may
        have been missed)."""
        for room in self.rooms.values():
            self._resync(room)

    def _resync(self, room: Room) -> None:
        room.reload = True
        room.dirty |= ALL_PARTS
        room.dirty_people |= {
            subscriber.person_id
            for group in room.audiences.values()
            for subscriber in group
            if subscriber.person_id is not None and subscriber.audience.view == "member"
        }
        room.wake.set()

    def publish(
        self,
        meeting_id: int,
        parts: frozenset[Part],
        items: frozenset[int] = frozenset(),
        people: frozenset[int] = frozenset(),
    ) -> None:
        """Called after commit. Nobody connected: nothing to do."""
        room = self.rooms.get(meeting_id)
        if room is None or not (parts or people):
            return
        room.dirty |= parts
        room.dirty_items |= items
        room.dirty_people |= people
        room.wake.set()

    async def _publisher(self, room: Room) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await room.wake.wait()
            room.wake.clear()
            started = loop.time()
            parts, room.dirty = frozenset(room.dirty), set()
            items, room.dirty_items = frozenset(room.dirty_items), set()
            people, room.dirty_people = frozenset(room.dirty_people), set()
            if parts:
                await self._push_parts(room, parts, items)
            if people:
                await self._push_mine(room, people)
            self.published += 1
            # A change after a quiet moment is pushed at once; while changes keep coming
            # (opinions pouring in), they coalesce into at most one push per PUSH_GAP.
            # Each push renders and frames per audience and writes to every device, so a
            # push per change would spend the core on pushes the next change replaces.
            await asyncio.sleep(max(0.0, started + PUSH_GAP - loop.time()))

    async def _push_parts(self, room: Room, parts: frozenset[Part], items: frozenset[int]) -> None:
        reload, room.reload = room.reload, False
        try:
            previous = None if reload else room.state
            state = await self.load_state(room.meeting_id, previous, parts, items)
        except Exception:  # keep the room alive; the next change retries
            log.exception("loading meeting %s failed", room.meeting_id)
            room.dirty |= parts  # still to be read and pushed
            room.dirty_items |= items
            room.reload = room.reload or reload
            return
        if state is None:
            return
        if room.state is not None and state.seq < room.state.seq:
            return  # never push a state older than one already pushed
        room.state = state
        if reload:
            # Only a full read holds every change up to its seq. A partial one may see
            # later commits in the parts it read while its other parts are reused: the
            # changes behind those seqs are still to be applied when they arrive.
            room.seen_seq = max(room.seen_seq, state.seq)
        for audience, group in list(room.audiences.items()):
            try:
                message = self.renderer.parts(state, audience, parts, items)
            except Exception:
                log.exception("rendering for %s failed", audience)
                continue
            if not message:
                continue  # none of these parts is shown to this audience
            frame = Push(message)
            for subscriber in list(group):
                subscriber.offer(state.seq, frame)
                if subscriber.dropped or subscriber.gone:  # no more work for it
                    group.discard(subscriber)

    async def _push_mine(self, room: Room, people: frozenset[int]) -> None:
        """Each person's own state to that person's devices only (a member agrees on the
        tablet: the phone shows it too), rendered once per person."""
        try:
            mine = await self.load_mine(room.meeting_id, people)
        except Exception:
            log.exception("loading people's own state in meeting %s failed", room.meeting_id)
            room.dirty_people |= people
            return
        frames = {person_id: Push(self.renderer.mine(state)) for person_id, state in mine.items()}
        for group in list(room.audiences.values()):
            for subscriber in list(group):
                if subscriber.person_id in frames:
                    # Not ordered by seq: it is the person's latest state whatever the room's.
                    subscriber.offer(subscriber.last_seq, frames[subscriber.person_id])

    async def close(self) -> None:
        if self._settle is not None:
            self._settle.cancel()
        for room in list(self.rooms.values()):
            if room.task is not None:
                room.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await room.task
        self.rooms.clear()
