"""An agenda with sub-items built in the secretariat's browser and run by the chair: the
chair, a member and the projector show the same numbers 1. 2. and (1) (2) (issue 12, point 1)."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.pages import open_as
from tests.support import Seeded, Server

pytestmark = pytest.mark.asyncio


async def add_item(page: Page, title: str, parent: str = "") -> None:
    editor = page.locator("#agenda-editor")
    if not await editor.evaluate("element => element.open"):
        await editor.locator("summary").click()
    await editor.locator("#title-new").fill(title)
    if parent:
        await editor.locator("#parent-new").select_option(label=parent)
    await editor.get_by_role("button", name="追加").click()
    await expect(page.locator("#agenda .agenda-list")).to_contain_text(title)


async def test_sub_items_are_numbered_alike_on_every_screen(
    browser: Browser, server: Server, seeded: Seeded
) -> None:
    contexts = []
    try:
        context, secretariat = await open_as(browser, server, seeded, "secretariat", "ja")
        contexts.append(context)
        await add_item(secretariat, "議事")
        await add_item(secretariat, "人材育成", parent="5. 議事")
        await add_item(secretariat, "窓口改革", parent="5. 議事")
        numbers = secretariat.locator("#agenda .agenda-item .number")
        await expect(numbers).to_have_text(["1.", "2.", "3.", "4.", "5.", "(1)", "(2)"])

        context, chair = await open_as(browser, server, seeded, "chair", "ja")
        contexts.append(context)
        context, member = await open_as(browser, server, seeded, "member", "ja")
        contexts.append(context)
        context, projector = await open_as(browser, server, seeded, "observer", "ja")
        contexts.append(context)
        await projector.goto(f"{server.base}/meetings/1/projector")
        for page in (chair, member, projector):
            await expect(page.locator("body")).to_have_attribute("data-live", "connected")

        await chair.get_by_role("button", name="会議を開始").click()
        heading = chair.locator('#agenda .agenda-item[data-number="5."]')
        await heading.get_by_role("button", name="この議題へ").click()
        await expect(member.locator("#current .current-title .number")).to_have_text("5.")
        await chair.get_by_role("button", name="次の議題").click()  # into the sub-items
        for page in (chair, member, projector):
            await expect(page.locator("#current .current-title .number")).to_have_text("(1)")
            await expect(page.locator("#current")).to_contain_text("人材育成")
        # The projector's "next item" follows the agenda's order and numbering too.
        await expect(projector.locator("#current .next-item .number")).to_have_text("(2)")
        for page in (chair, member):
            await expect(page.locator("#agenda .agenda-item .number")).to_have_text(
                ["1.", "2.", "3.", "4.", "5.", "(1)", "(2)"]
            )
            current = page.locator("#agenda [aria-current]")
            await expect(current).to_have_attribute("data-number", "(1)")
        await chair.get_by_role("button", name="前の議題").click()  # past the heading
        await expect(projector.locator("#current .current-title .number")).to_have_text("4.")
    finally:
        for context in contexts:
            await context.close()
