"""The chair and a member in two browsers: each sees the other's action without reload."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.support import Seeded, Server

pytestmark = pytest.mark.asyncio


async def test_chair_and_member_see_each_other(
    browser: Browser, server: Server, seeded: Seeded, artifacts: Path
) -> None:
    chair_context = await browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="ja-JP"
    )
    member_context = await browser.new_context(
        viewport={"width": 768, "height": 1024}, locale="ja-JP"
    )
    chair = await chair_context.new_page()
    member = await member_context.new_page()
    errors: list[str] = []
    for page in (chair, member):
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                errors.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
    await chair.goto(f"{server.base}/join/{seeded.chair}")
    await member.goto(f"{server.base}/join/{seeded.members[0]}")
    await expect(member.locator("#current")).to_contain_text("始まっていません")
    for page in (chair, member):
        await expect(page.locator("body")).to_have_attribute("data-live", "connected")

    await chair.get_by_role("button", name="会議を開始").click()
    await expect(member.locator("#current")).to_contain_text("開会あいさつ")
    navigations = []
    # "load", not "framenavigated": htmx's history.replaceState of the same URL is a
    # navigation within the document that reloads nothing.
    member.on("load", lambda page: navigations.append(page.url))

    await chair.get_by_role("button", name="次の議題").click()
    await expect(member.locator("#current")).to_contain_text("DX推進計画")
    await expect(member.locator("#agenda [aria-current]")).to_contain_text("DX推進計画")

    await member.get_by_role("button", name="発言を求める").click()
    await expect(chair.locator("#floor .queue")).to_contain_text("髙橋 美智子")
    await expect(member.locator(".my-place")).to_contain_text("1")

    await chair.locator("#floor .speaker").get_by_role("button", name="次の人を指名").click()
    await expect(member.locator("#floor .speaker")).to_contain_text("髙橋 美智子")
    await expect(member.locator("#announcer")).to_contain_text("あなたの番です")
    await expect(member.locator(".timer")).to_have_text(re.compile(r"^[23]:\d\d$"))
    assert navigations == []  # nothing reloaded
    await chair.screenshot(path=str(artifacts / "live-chair.png"), full_page=True)
    await member.screenshot(path=str(artifacts / "live-member.png"), full_page=True)
    assert errors == []
