"""A vote on real devices: the room sees how many have voted, never a choice, until the
result is announced to every device and the projector."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import websockets

from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio


class Listener:
    """A device that keeps every message it receives."""

    def __init__(self, server: Server, token: str, view: str = "") -> None:
        query = f"?view={view}" if view else ""
        self.url = f"{server.ws_base}/meetings/1/live{query}"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.messages: list[str] = []
        self.socket: Any = None
        self.reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Listener:
        self.socket = await websockets.connect(self.url, additional_headers=self.headers)
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.reader is not None
        self.reader.cancel()
        await self.socket.close()

    async def _read(self) -> None:
        async for message in self.socket:
            self.messages.append(str(message))

    async def until(self, text: str, seconds: float = 5) -> str:
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            for message in reversed(self.messages):
                if text in message:
                    return message
            await asyncio.sleep(0.02)
        raise AssertionError(f"{text!r} never arrived")


async def test_counts_only_at_the_announcement(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    members = [api(server, token) for token in seeded.members[:20]]
    for member in members:
        act(member, 1, "attendance.mark")
    vote_id = act(chair, 1, "vote.prepare", question="原案に賛成の方", method="named").json()[
        "vote_id"
    ]
    async with (
        Listener(server, seeded.chair) as chair_device,
        Listener(server, seeded.members[0]) as member_device,
        Listener(server, seeded.observer, view="projector") as projector,
    ):
        act(chair, 1, "vote.open", vote_id=vote_id)
        opened = await member_device.until(f'data-open-vote="{vote_id}"')
        assert 'class="vote-choice big' in opened
        await projector.until(f'data-open-vote="{vote_id}"')
        for index, member in enumerate(members):
            act(member, 1, "vote.cast", vote_id=vote_id, choice="yes" if index < 12 else "no")
        progress = await chair_device.until("投票済み 20 ／ 20 人")
        assert "vote-counts-line" not in progress
        act(chair, 1, "vote.close", vote_id=vote_id)
        closed = await chair_device.until("vote-counts-line")
        assert "賛成 12" in closed
        waiting = await projector.until("結果の宣告をお待ちください")
        assert "賛成 12" not in waiting
        act(chair, 1, "vote.announce", vote_id=vote_id)
        for device in (chair_device, member_device, projector):
            shown = await device.until(f"vote-result-{vote_id}")
            assert "可決" in shown
            assert "採決の結果、" in shown and "賛成多数（賛成12、反対8）" in shown


async def test_the_room_pages_show_the_vote(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    member = api(server, seeded.members[0])
    act(member, 1, "attendance.mark")
    vote_id = act(chair, 1, "vote.prepare", question="第1号議案", method="secret").json()["vote_id"]
    act(chair, 1, "vote.open", vote_id=vote_id, override_quorum=True)
    pages: dict[str, httpx.Response] = {
        "chair": chair.get("/meetings/1"),
        "member": member.get("/meetings/1"),
        "projector": api(server, seeded.observer).get("/meetings/1/projector"),
    }
    for view, page in pages.items():
        assert page.status_code == 200, view
        assert "第1号議案" in page.text
    assert "採決を締め切る" in pages["chair"].text
    assert 'data-choice="yes"' in pages["member"].text
    assert 'data-choice="yes"' not in pages["projector"].text
