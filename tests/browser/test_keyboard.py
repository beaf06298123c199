"""Keyboard only: the member asks for the floor and the chair grants it with key presses."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.pages import open_as
from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio


async def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


async def test_request_and_grant_with_the_keyboard(
    browser: Browser,
    server: Server,
    seeded: Seeded,
) -> None:
    act(api(server, seeded.chair), 1, "meeting.start")
    chair_context, chair = await open_as(browser, server, seeded, "chair", "ja")
    member_context, member = await open_as(browser, server, seeded, "member", "ja")
    for page in (chair, member):
        await expect(page.locator("body")).to_have_attribute("data-live", "connected")

    await tab_to(member, "button[data-action='floor.request']")
    await member.keyboard.press("Enter")
    await expect(chair.locator("#floor .queue")).to_contain_text("髙橋 美智子")
    await expect(chair.locator("#announcer")).to_contain_text("髙橋 美智子")

    await tab_to(chair, "#floor .speaker button[data-action='floor.grant']")
    await chair.keyboard.press("Enter")
    await expect(member.locator("#floor .speaker")).to_contain_text("髙橋 美智子")
    await expect(member.locator("#announcer")).to_contain_text("あなたの番です")
    # The chair's focus follows to the next sensible control, visibly.
    focused = chair.locator(":focus")
    await expect(focused).to_have_attribute("data-action", "floor.end")
    outline = await focused.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    await chair.keyboard.press("Enter")
    await expect(member.locator("#floor .speaker")).to_contain_text("発言中の人はいません")
    await chair_context.close()
    await member_context.close()
