"""Real server, real WebSocket clients: every device receives every change."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
import websockets

from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio

ID_AND_SEQ = re.compile(r'<(\w+) id="([\w-]+)"[^>]*data-seq="(\d+)"')


class Device:
    """A websockets client that keeps the latest fragment of each part it received."""

    def __init__(self, server: Server, token: str, meeting_id: int = 1, view: str = "") -> None:
        query = f"?view={view}" if view else ""
        self.url = f"{server.ws_base}/meetings/{meeting_id}/live{query}"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.parts: dict[str, str] = {}
        self.seqs: dict[str, int] = {}
        self.messages = 0
        self.received_bytes = 0
        self.socket: Any = None
        self.reader: asyncio.Task[None] | None = None
        self.changed = asyncio.Event()

    async def __aenter__(self) -> Device:
        self.socket = await websockets.connect(self.url, additional_headers=self.headers)
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.reader is not None
        self.reader.cancel()
        await self.socket.close()

    async def _read(self) -> None:
        async for message in self.socket:
            self.messages += 1
            self.received_bytes += len(message)
            for fragment in re.split(r"(?=<(?:section|div|article) id=)", message):
                match = ID_AND_SEQ.match(fragment)
                if match:
                    self.parts[match.group(2)] = fragment
                    self.seqs[match.group(2)] = int(match.group(3))
            self.changed.set()

    async def wait_for(self, part: str, predicate: Any, seconds: float = 5) -> str:
        async def check() -> str:
            while True:
                html = self.parts.get(part, "")
                if predicate(html):
                    return html
                self.changed.clear()
                await self.changed.wait()

        async with asyncio.timeout(seconds):
            return await check()


def current_item(html: str) -> str:
    match = re.search(r'data-current-item-id="(\d*)"', html)
    return match.group(1) if match else ""


def speaker(html: str) -> str:
    match = re.search(r'data-speaker-id="(\d*)"', html)
    return match.group(1) if match else ""


async def test_every_device_receives_every_change(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    member_api = api(server, seeded.members[3])
    devices = [Device(server, token) for token in seeded.members[:30]]
    devices.append(Device(server, seeded.chair))
    devices.append(Device(server, seeded.observer, view="projector"))
    for device in devices:
        await device.__aenter__()
    try:
        await asyncio.gather(*(d.wait_for("floor", lambda h: "floor" in h) for d in devices))
        assert act(chair, 1, "meeting.start").status_code == 200
        first = str(chair.get("/api/meetings/1/state").json()["current_item_id"])
        await asyncio.gather(
            *(d.wait_for("current", lambda h: current_item(h) == first) for d in devices)
        )

        assert act(chair, 1, "agenda.next").status_code == 200
        second = str(chair.get("/api/meetings/1/state").json()["current_item_id"])
        assert second != first
        await asyncio.gather(
            *(d.wait_for("current", lambda h: current_item(h) == second) for d in devices)
        )
        assert all("aria-current" in d.parts["agenda"] for d in devices)

        request = act(member_api, 1, "floor.request", kind="question").json()
        assert act(chair, 1, "floor.grant").status_code == 200
        state = chair.get("/api/meetings/1/state").json()
        member_id = str(state["speaking"]["person"]["id"])
        assert state["speaking"]["id"] == request["request_id"]
        await asyncio.gather(
            *(d.wait_for("floor", lambda h: speaker(h) == member_id) for d in devices)
        )
        for device in devices:
            assert "data-ends-at" in device.parts["floor"]

        ended = act(chair, 1, "floor.end")
        assert ended.status_code == 200
        await asyncio.gather(*(d.wait_for("floor", lambda h: speaker(h) == "") for d in devices))
        # The floor as it stands after the end, on every device. (Not the meeting's latest
        # seq: the people connected when the meeting started are marked present in the
        # background, and those writes may still be landing.)
        for device in devices:
            assert device.seqs["floor"] >= ended.json()["seq"]
    finally:
        for device in devices:
            await device.__aexit__()


async def test_a_reconnecting_device_gets_the_current_state(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    device = Device(server, seeded.members[0])
    await device.__aenter__()
    await device.wait_for("current", lambda h: "current" in h)
    await device.__aexit__()

    # Changes happen while the device is away.
    act(chair, 1, "meeting.start")
    act(chair, 1, "agenda.next")
    act(chair, 1, "agenda.next")
    act(api(server, seeded.members[1]), 1, "floor.request")
    state = chair.get("/api/meetings/1/state").json()

    again = Device(server, seeded.members[0])
    await again.__aenter__()
    try:
        await again.wait_for("current", lambda h: current_item(h) == str(state["current_item_id"]))
        await again.wait_for("floor", lambda h: seeded.links["member"][1][0] in h)
        # One message carries the whole state at once.
        assert again.messages == 1
        assert set(again.parts) >= {"status", "agenda", "current", "floor"}
        assert again.seqs["floor"] == state["seq"]
    finally:
        await again.__aexit__()


async def test_presence_is_shown_to_the_chair_only(server: Server, seeded: Seeded) -> None:
    chair = Device(server, seeded.chair)
    member = Device(server, seeded.members[0])
    async with chair, member:
        await chair.wait_for("floor", bool)
        await member.wait_for("floor", bool)
        assert "presence" in chair.parts
        assert "presence" not in member.parts
