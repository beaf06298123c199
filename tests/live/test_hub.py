"""The hub's per-device outbox: sends start at once, a stalled device is bounded and
dropped, and order by seq is kept. The channel here is a stand-in for a WebSocket whose
send can be held, as a device that stops reading holds it; tests/live/test_push.py runs
the real thing end to end."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from board.live.hub import CLOSE_TRY_AGAIN, QUEUE_LIMIT, Subscriber
from board.live.wire import Push
from board.render import Audience

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
