"""Connection trouble is visible and harmless: a banner while away, the current state after."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.browser.pages import open_as
from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio


async def test_banner_while_the_server_is_away_then_catch_up(
    browser: Browser, server: Server, seeded: Seeded
) -> None:
    context, member = await open_as(browser, server, seeded, "member", "ja")
    console: list[str] = []
    member.on("console", lambda message: console.append(message.text))
    await expect(member.locator("body")).to_have_attribute("data-live", "connected")
    await expect(member.locator("#connection")).to_be_hidden()

    server.kill9()
    await expect(member.locator("#connection")).to_be_visible()
    await expect(member.locator("#connection")).to_contain_text("再接続")

    server.start()
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    act(chair, 1, "agenda.next")
    await expect(member.locator("#connection")).to_be_hidden(timeout=15_000)
    await expect(member.locator("#current")).to_contain_text("DX推進計画")
    assert not [text for text in console if "Content Security Policy" in text]
    await context.close()
