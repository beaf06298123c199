"""Every role's page at three device sizes and in both languages: no horizontal scrolling,
touch targets of about 44px, body text of at least 16px. Screenshots are kept as artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser

from tests.browser.pages import (
    LOCALES,
    VIEWPORTS,
    live_meeting,
    more_screens,
    open_as,
    screens,
    show,
)
from tests.support import Seeded, Server

pytestmark = pytest.mark.asyncio

MEASURE = """() => {
  const small = [];
  for (const el of document.querySelectorAll('button, a.button, summary, input, select')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || el.closest('[hidden]') || el.type === 'hidden') continue;
    if (el.type === 'radio' || el.type === 'checkbox') continue;  // their labels are the target
    if (box.height < 43.5) small.push(el.outerHTML.slice(0, 80));
  }
  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    fontSize: parseFloat(getComputedStyle(document.body).fontSize),
    small,
  };
}"""


async def test_pages_fit_every_device(
    browser: Browser, server: Server, seeded: Seeded, artifacts: Path
) -> None:
    live_meeting(server, seeded)
    folder = artifacts / "screenshots"
    folder.mkdir(exist_ok=True)
    problems = []
    shots = 0
    # The live room at every size; the other pages at the narrowest, where they would break.
    plan = [(screen, name) for screen in screens() for name in VIEWPORTS]
    plan += [(screen, "phone") for screen in more_screens()]
    for lang in LOCALES:
        for screen, size_name in plan:
            size = VIEWPORTS[size_name]
            context, page = await open_as(browser, server, seeded, screen.role, lang, size)
            await show(page, server, screen)
            measured = await page.evaluate(MEASURE)
            await page.screenshot(
                path=str(folder / f"{screen.name}-{size_name}-{lang}.png"), full_page=True
            )
            shots += 1
            where = f"{screen.name} {size_name} {lang}"
            if measured["overflow"] > 0:
                problems.append(f"{where}: scrolls sideways by {measured['overflow']}px")
            if measured["fontSize"] < 16:
                problems.append(f"{where}: body text {measured['fontSize']}px")
            if measured["small"]:
                problems.append(f"{where}: small targets {measured['small'][:3]}")
            await context.close()
    assert shots == len(plan) * len(LOCALES)
    assert problems == []


async def test_text_size_and_contrast_persist(
    browser: Browser, server: Server, seeded: Seeded
) -> None:
    context, page = await open_as(browser, server, seeded, "member", "ja")
    base = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    await page.get_by_text("表示", exact=True).click()
    await page.get_by_label("特大").check()
    await page.get_by_label("高コントラスト").check()
    await page.get_by_role("button", name="適用").click()
    await page.goto(server.base + "/meetings/1")
    larger = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger >= base * 1.4
    assert "theme-contrast" in (await page.get_attribute("html", "class") or "")
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    await context.close()
