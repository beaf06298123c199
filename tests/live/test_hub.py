"""The hub's per-device outbox: sends start at once, a stalled device is bounded and
dropped, and order by seq is kept. The channel here is a stand-in for a WebSocket whose
send can be held, as a device that stops reading holds it; tests/live/test_push.py runs
the real thing end to end."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from board.actions.dispatch import dispatch
from board.changes import Change
from board.live.hub import CLOSE_TRY_AGAIN, QUEUE_LIMIT, Hub, Subscriber
from board.live.parts import Part
from board.live.wire import Push
from board.models import MeetingState, Mine, Person
from board.render import Audience, Renderer
from board.store import people, snapshot
from board.store.conn import Conn
from board.store.db import Store
from tests.support import Seeded, store_for

pytestmark = pytest.mark.asyncio


class HeldChannel:
    """An ASGI send that records what is sent; while ``held`` is clear, it waits (as the
    server's send waits while the connection's buffer is full)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.closed: list[int] = []
        self.held = asyncio.Event()
        self.held.set()

    async def send(self, message: dict[str, Any]) -> None:
        await self.held.wait()
        if message["type"] == "websocket.send":
            self.sent.append(message["text"])
        else:
            self.closed.append(message["code"])


def subscriber(channel: HeldChannel) -> Subscriber:
    return Subscriber(Audience("member", "ja"), 1, channel.send)


def offer(device: Subscriber, seq: int, text: str) -> None:
    device.offer(seq, Push(text))


async def test_a_send_that_need_not_wait_is_done_at_once() -> None:
    channel = HeldChannel()
    device = subscriber(channel)
    offer(device, 1, "one")
    offer(device, 2, "two")
    assert channel.sent == ["one", "two"]  # no task, no loop iteration needed
    assert device.sender is None
    assert device.wire is None  # not a server's own send: every push takes the ASGI path


async def test_an_older_state_is_never_sent_after_a_newer_one() -> None:
    channel = HeldChannel()
    device = subscriber(channel)
    offer(device, 5, "full state at 5")
    offer(device, 4, "a part at 4")
    assert channel.sent == ["full state at 5"]


async def test_a_stalled_device_queues_in_order_then_resumes() -> None:
    channel = HeldChannel()
    device = subscriber(channel)
    channel.held.clear()
    for seq in range(1, 6):
        offer(device, seq, f"m{seq}")
    assert channel.sent == []
    assert device.sender is not None
    channel.held.set()
    await device.sender
    assert channel.sent == ["m1", "m2", "m3", "m4", "m5"]
    assert not device.dropped


async def test_a_device_too_far_behind_is_dropped_and_closed_to_resync() -> None:
    channel = HeldChannel()
    device = subscriber(channel)
    channel.held.clear()
    for seq in range(1, QUEUE_LIMIT + 3):  # one in flight, a full outbox, one more
        offer(device, seq, f"m{seq}")
    assert device.dropped
    assert len(device.outbox) == 0  # nothing more is kept for it
    offer(device, QUEUE_LIMIT + 10, "later")
    assert len(device.outbox) == 0
    channel.held.set()  # the device reads again
    assert device.sender is not None
    await device.sender
    assert channel.sent == ["m1"]
    assert channel.closed == [CLOSE_TRY_AGAIN]


async def test_a_device_that_left_is_sent_nothing() -> None:
    channel = HeldChannel()
    device = subscriber(channel)
    device.stop()
    offer(device, 1, "one")
    assert channel.sent == []


# The hub applies committed changes in seq order, from any process ---------------------------


async def test_a_missed_change_makes_the_room_read_again_in_full(seeded: Seeded) -> None:
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    reads: list[bool] = []  # for each read of the room: was it a full one?
    hub = _hub_reading(db, reads)
    channel = HeldChannel()
    device = Subscriber(Audience("projector", "ja"), None, channel.send)
    chair = await db.run_read(_person, "chair")
    missed: list[Change] = []
    try:
        assert await hub.join(1, device)
        assert reads == [True] and len(channel.sent) == 1  # the full state on joining

        await dispatch(db, hub.apply, chair, "meeting.start", {}, meeting_id=1)
        await _settled(hub, reads, 2)
        assert reads[-1] is False  # an ordinary change: only what it touched is read

        # A change this process never hears of (its listener was away), then the next one:
        # the gap in the seqs makes the hub read the whole room again.
        await dispatch(db, missed.append, chair, "agenda.next", {}, meeting_id=1)
        result = await dispatch(db, hub.apply, chair, "agenda.next", {}, meeting_id=1)
        await _settled(hub, reads, 3)
        assert reads[-1] is True
        assert f'data-seq="{result.seq}"' in channel.sent[-1]

        # A change the room already holds (it arrived late) is not read or pushed again.
        sent = len(channel.sent)
        hub.apply(missed[0])
        await asyncio.sleep(0.1)
        assert len(reads) == 3 and len(channel.sent) == sent
    finally:
        await hub.close()
        await db.close()


async def test_a_device_that_saw_newer_changes_elsewhere_gets_a_fresh_read(
    seeded: Seeded,
) -> None:
    """On a shared store, a device joining a room that has not yet heard of changes
    committed by another process (the meeting's seq, read when the device was let in, is
    ahead of the room) gets a fresh full read, never an older state."""
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    reads: list[bool] = []
    hub = _hub_reading(db, reads, shared=True)
    first, second = HeldChannel(), HeldChannel()
    chair = await db.run_read(_person, "chair")
    try:
        assert await hub.join(1, Subscriber(Audience("projector", "ja"), None, first.send))
        joined_at = hub.rooms[1].state
        assert joined_at is not None
        elsewhere: list[Change] = []  # committed by "another process": this hub never hears
        result = await dispatch(db, elsewhere.append, chair, "meeting.start", {}, meeting_id=1)

        # Let in with the room's own seq: nothing newer to fear, no read.
        device = Subscriber(Audience("projector", "ja"), None, second.send)
        assert await hub.join(1, device, joined_at.seq)
        assert reads == [True]
        assert f'data-seq="{joined_at.seq}"' in second.sent[-1]

        # Let in after the other process's commit: read again, and pushed that state.
        third = HeldChannel()
        device = Subscriber(Audience("projector", "ja"), None, third.send)
        assert await hub.join(1, device, result.seq)
        assert reads == [True, True]
        assert f'data-seq="{result.seq}"' in third.sent[-1]
    finally:
        await hub.close()
        await db.close()


async def test_devices_joining_behind_the_store_share_one_fresh_read(seeded: Seeded) -> None:
    """A wave of devices let in after commits the room has not heard of (presence writes
    moving the seq at a meeting's start): one full read serves them all, and each gets the
    state of the seq it was let in with."""
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    reads: list[bool] = []
    hub = _hub_reading(db, reads, shared=True)
    chair = await db.run_read(_person, "chair")
    try:
        assert await hub.join(1, Subscriber(Audience("member", "ja"), None, HeldChannel().send))
        assert reads == [True]
        elsewhere: list[Change] = []
        result = await dispatch(db, elsewhere.append, chair, "meeting.start", {}, meeting_id=1)
        channels = [HeldChannel() for _ in range(20)]
        joined = await asyncio.gather(
            *(
                hub.join(1, Subscriber(Audience("member", "ja"), None, channel.send), result.seq)
                for channel in channels
            )
        )
        assert all(joined)
        assert reads == [True, True]  # one fresh read for the twenty
        assert all(f'data-seq="{result.seq}"' in channel.sent[-1] for channel in channels)
    finally:
        await hub.close()
        await db.close()


def _hub_reading(db: Store, reads: list[bool], *, shared: bool = False) -> Hub:
    """A hub on the real store that notes, for each read of a room, whether it was full."""

    async def load_state(
        meeting_id: int,
        previous: MeetingState | None,
        changed: frozenset[Part],
        items: frozenset[int],
    ) -> MeetingState | None:
        reads.append(previous is None)
        return await db.run_read(snapshot.load, meeting_id, previous, changed, items)

    async def load_mine(meeting_id: int, people: frozenset[int]) -> dict[int, Mine]:
        return {}

    return Hub(Renderer(), load_state, load_mine, shared=shared)


async def _person(conn: Conn, role: str) -> Person:
    row = await conn.one("SELECT id FROM people WHERE role = ? ORDER BY id LIMIT 1", (role,))
    assert row is not None
    person = await people.get_person(conn, row[0])
    assert person is not None
    return person


async def _settled(hub: Hub, reads: list[bool], count: int) -> None:
    for _ in range(500):
        if len(reads) >= count:
            break
        await asyncio.sleep(0.01)
    assert len(reads) >= count, "the room was not read"
    await asyncio.sleep(0.05)  # the push after that read


async def test_a_processs_own_change_is_taken_at_once_only_when_it_is_the_next(
    seeded: Seeded,
) -> None:
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    reads: list[bool] = []
    hub = _hub_reading(db, reads)
    device = Subscriber(Audience("projector", "ja"), None, HeldChannel().send)
    chair = await db.run_read(_person, "chair")
    held: list[Change] = []
    try:
        assert await hub.join(1, device)
        room = hub.rooms[1]
        await dispatch(db, held.append, chair, "meeting.start", {}, meeting_id=1)
        await dispatch(db, held.append, chair, "agenda.next", {}, meeting_id=1)
        first, second = held
        # Not the next one (the first has not arrived): left to the notifications.
        hub.apply(second, only_next=True)
        assert room.seen_seq == first.seq - 1 and not room.reload
        hub.apply(first, only_next=True)  # the next one: taken now
        hub.apply(second, only_next=True)
        assert room.seen_seq == second.seq
        await _settled(hub, reads, 2)
        assert reads[1:] and not any(reads[1:])  # no full read: nothing was missed
        hub.apply(first)  # the notification of a change already taken: skipped
        assert room.seen_seq == second.seq
    finally:
        await hub.close()
        await db.close()
