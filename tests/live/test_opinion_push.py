"""Opinions, agreement, triage and answers reach every open page of the meeting without
reload, escaped, and rendered once per audience (the same bytes for every member); a change
to one agenda item pushes that item alone, not every item's opinions."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
import websockets

from tests.live.test_push import Device
from tests.prep_support import PDF, upload
from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def agrees(html: str, opinion_id: int) -> int:
    entry = html[html.index(f'id="opinion-{opinion_id}"') :]
    match = re.search(r"(?:賛同|Agree:) (\d+)", entry)
    assert match is not None
    return int(match.group(1))


async def test_opinions_reach_every_page_escaped(server: Server, seeded: Seeded) -> None:
    secretariat, chair = api(server, seeded.secretariat), api(server, seeded.chair)
    author, other = api(server, seeded.members[0]), api(server, seeded.members[1])
    devices = {
        "chair": Device(server, seeded.chair),
        "secretariat": Device(server, seeded.secretariat),
        "member": Device(server, seeded.members[0]),
        "member2": Device(server, seeded.members[2]),
        "projector": Device(server, seeded.observer, view="projector"),
    }
    for device in devices.values():
        await device.__aenter__()
    try:
        await asyncio.gather(*(d.wait_for("floor", bool) for d in devices.values()))
        shown = [devices[name] for name in ("chair", "secretariat", "member", "member2")]
        response = act(author, 1, "opinion.write", item_id=2, stance="question", text=HOSTILE)
        opinion_id = response.json()["opinion_id"]
        await asyncio.gather(*(d.wait_for("item-2", lambda h: ESCAPED in h) for d in shown))
        for device in shown:
            assert "<script>alert" not in device.parts["item-2"]
            assert "<img src=x" not in device.parts["item-2"]
        assert "items" not in devices["projector"].parts
        assert "item-2" not in devices["projector"].parts

        act(other, 1, "opinion.agree", opinion_id=opinion_id)
        await asyncio.gather(
            *(d.wait_for("item-2", lambda h: agrees(h, opinion_id) == 1) for d in shown)
        )
        act(secretariat, 1, "opinion.triage", opinion_id=opinion_id, triage="raise")
        act(secretariat, 1, "opinion.answer", opinion_id=opinion_id, answer="回答 " + HOSTILE)
        await asyncio.gather(
            *(d.wait_for("item-2", lambda h: "回答 " + ESCAPED in h) for d in shown)
        )
        # One rendering per audience: both members got the very same fragment.
        assert devices["member"].parts["item-2"] == devices["member2"].parts["item-2"]
        assert 'data-author-id="' in devices["member"].parts["item-2"]

        upload(secretariat, "<b>資料</b>.pdf", PDF, "application/pdf", item_id=2, title=HOSTILE)
        await asyncio.gather(*(d.wait_for("item-2", lambda h: "PDF" in h) for d in shown))
        for device in shown:
            assert "<script>alert" not in device.parts["item-2"]
        act(chair, 1, "opinion.to_queue", opinion_id=opinion_id)
        await devices["secretariat"].wait_for("item-2", lambda h: "queued" in h)
    finally:
        for device in devices.values():
            await device.__aexit__()

    for token in (seeded.chair, seeded.secretariat, seeded.members[0]):
        page = api(server, token).get("/meetings/1").text
        assert ESCAPED in page
        assert "<script>alert" not in page
        assert "<img src=x" not in page


async def test_an_opinion_pushes_its_own_item_alone(server: Server, seeded: Seeded) -> None:
    """The push after an opinion holds that agenda item's fragment, not the whole list of
    items (whose size grows with every opinion of the meeting); moving on to another item
    pushes the two items whose "now" mark moved."""
    author = api(server, seeded.members[0])
    chair = api(server, seeded.chair)
    async with websockets.connect(
        f"{server.ws_base}/meetings/1/live",
        additional_headers={"Authorization": f"Bearer {seeded.members[1]}"},
    ) as socket:
        full = await asyncio.wait_for(socket.recv(), 5)
        assert 'id="items"' in full
        assert 'id="mine"' in await asyncio.wait_for(socket.recv(), 5)  # its own state
        written = act(
            author, 1, "opinion.write", item_id=2, stance="support", text="二番目の議題へ"
        )
        assert written.status_code == 200, written.text
        pushed = await asyncio.wait_for(socket.recv(), 5)
        assert "二番目の議題へ" in pushed
        assert re.findall(r'<article id="(item-\d+)"', pushed) == ["item-2"]
        assert 'id="items"' not in pushed

        assert act(chair, 1, "meeting.start").status_code == 200
        await asyncio.wait_for(socket.recv(), 5)  # the whole room: the meeting started
        first = chair.get("/api/meetings/1/state").json()["current_item_id"]
        assert act(chair, 1, "agenda.goto", item_id=3).status_code == 200
        moved = await asyncio.wait_for(socket.recv(), 5)
        assert sorted(re.findall(r'<article id="(item-\d+)"', moved)) == sorted(
            [f"item-{first}", "item-3"]
        )
        assert 'id="items"' not in moved


async def test_what_a_member_agrees_with_reaches_their_other_devices_only(
    server: Server, seeded: Seeded
) -> None:
    """A member agrees on the tablet: the phone, open on the same meeting, shows it too
    (their own state, pushed to their devices alone); another member's device is not told."""
    author, agreeing = api(server, seeded.members[0]), api(server, seeded.members[1])
    written = act(author, 1, "opinion.write", item_id=2, stance="support", text="賛同を集める意見")
    opinion_id = written.json()["opinion_id"]

    def connect(token: str) -> Any:
        url = f"{server.ws_base}/meetings/1/live"
        return websockets.connect(url, additional_headers={"Authorization": f"Bearer {token}"})

    async def mine(socket: Any, agreed: str) -> None:
        """Until the device is told this person's agreements are ``agreed``."""
        while True:
            message = await asyncio.wait_for(socket.recv(), 5)
            match = re.search(r'<div id="mine" hidden data-agreed="([\d,]*)"', message)
            if match and match.group(1) == agreed:
                return

    async with (
        connect(seeded.members[1]) as tablet,
        connect(seeded.members[1]) as phone,
        connect(seeded.members[2]) as someone_else,
    ):
        # On (re)connect a member's devices are told the person's own state.
        await asyncio.gather(mine(tablet, ""), mine(phone, ""), mine(someone_else, ""))
        assert act(agreeing, 1, "opinion.agree", opinion_id=opinion_id).status_code == 200
        await asyncio.gather(mine(tablet, str(opinion_id)), mine(phone, str(opinion_id)))
        assert act(agreeing, 1, "opinion.unagree", opinion_id=opinion_id).status_code == 200
        await mine(phone, "")
        # The other member's device saw the item's count change, never this person's state.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(mine(someone_else, str(opinion_id)), 1)
