"""The search form on a tablet, by keyboard: words, the filters behind "narrow the search",
the results with their count, highlighted snippets and a link into the minutes."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.browser.pages import open_as
from tests.browser.test_keyboard import tab_to
from tests.minutes.driven import drive, ok
from tests.support import Seeded, Server, act

pytestmark = pytest.mark.asyncio


async def test_search_with_filters_by_keyboard_on_a_tablet(
    browser: Browser, server: Server, seeded: Seeded
) -> None:
    meeting = drive(server, seeded)
    statements = meeting.statements()
    for number, statement in enumerate(statements):
        text = f"デジタル人材の確保について（{number}）" if number % 2 == 0 else "５Ｇの整備"
        ok(act(meeting.secretariat, 1, "minutes.edit", statement_id=statement["id"], text=text))
    context, page = await open_as(browser, server, seeded, "secretariat", "ja", (768, 1024))
    await page.goto(f"{server.base}/search")
    await page.locator("#search-q").focus()
    await page.keyboard.type("5g")  # half-width typed, full-width written
    await tab_to(page, "summary")
    await page.keyboard.press("Enter")
    await expect(page.locator("#search-kind")).to_be_visible()
    await tab_to(page, "#search-kind")
    await page.keyboard.press("ArrowDown")  # all kinds -> statements
    await tab_to(page, "button[type=submit]")
    await page.keyboard.press("Enter")
    heading = page.locator("#results-heading")
    half = len(statements) // 2
    await expect(heading).to_contain_text(f"{half}")
    await expect(page.locator(".search-hit mark").first).to_have_text("５Ｇ")
    await expect(page.locator("#search-kind")).to_have_value("statement")
    await expect(page.locator("details.search-filters")).to_have_attribute("open", "")

    await page.locator("#search-q").fill("人材 -５Ｇ")
    await page.locator("#search-q").press("Enter")
    await expect(heading).to_contain_text(f"{len(statements) - half}")
    first = page.locator(".search-hit .hit-title a").first
    href = await first.get_attribute("href")
    assert href is not None and "#s-" in href
    await first.focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"**{href}")
    await context.close()
