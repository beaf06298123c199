"""The secretariat writes a summary beside the live minutes panel while the floor moves on."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio


async def test_the_secretariat_summarizes_a_speech_live(
    browser: Browser, server: Server, seeded: Seeded, artifacts: Path
) -> None:
    context = await browser.new_context(viewport={"width": 1024, "height": 900}, locale="ja-JP")
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{server.base}/join/{seeded.secretariat}")
    await page.goto(f"{server.base}/meetings/1")
    await expect(page.locator("body")).to_have_attribute("data-live", "connected")
    chair = api(server, seeded.chair)
    speaker = seeded.links["member"][0][0]
    act(chair, 1, "meeting.start")
    act(api(server, seeded.members[0]), 1, "floor.request")
    act(chair, 1, "floor.grant")
    panel = page.locator("#minutes")
    await expect(panel).to_contain_text(speaker)
    await expect(panel).to_contain_text("発言中")
    navigations: list[str] = []
    page.on("load", lambda loaded: navigations.append(loaded.url))  # a document loaded again

    await panel.get_by_role("link", name="要点を書く").click()
    field = page.locator("#minutes-editor textarea")
    await expect(field).to_be_focused()
    await field.fill("デジタル人材の育成方針を示すよう求めた。")
    # The floor moves on while the secretariat types: the form is not disturbed.
    act(chair, 1, "floor.end")
    await expect(panel).not_to_contain_text("発言中")
    await expect(field).to_have_value("デジタル人材の育成方針を示すよう求めた。")
    await page.locator("#minutes-editor").get_by_role("button", name="要点を保存").click()
    await expect(panel).to_contain_text("デジタル人材の育成方針を示すよう求めた。")
    await expect(page.locator("#flash")).to_contain_text("保存しました")
    assert navigations == []
    await page.screenshot(path=str(artifacts / "minutes-panel.png"), full_page=True)
    assert errors == []
    await context.close()
