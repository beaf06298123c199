"""A member writes an opinion on a tablet; the secretariat's and the chair's pages show it
without reload; another member agrees; the chair puts its author in the queue with one tap."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, expect

from tests.prep_support import PDF, png, upload
from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio


async def tap(button: Locator) -> None:
    """Tap at once, even right after a push replaced the control (board.js hands a form
    htmx has not taken over yet to htmx, so the page does not reload)."""
    await button.click()


async def _open(
    browser: Browser, server: Server, token: str, errors: list[str], tablet: bool = False
) -> tuple[BrowserContext, Page]:
    size = {"width": 820, "height": 1180} if tablet else {"width": 1280, "height": 900}
    context = await browser.new_context(viewport=size, locale="ja-JP")
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{server.base}/join/{token}")
    await expect(page.locator("body")).to_have_attribute("data-live", "connected", timeout=10_000)
    return context, page


async def test_an_opinion_reaches_the_secretariat_and_the_chair_queues_its_author(
    browser: Browser, server: Server, seeded: Seeded, artifacts: Path
) -> None:
    upload(api(server, seeded.secretariat), "資料1 計画案.pdf", PDF, "application/pdf", item_id=2)
    errors: list[str] = []
    _, member = await _open(browser, server, seeded.members[0], errors, tablet=True)
    _, other = await _open(browser, server, seeded.members[1], errors, tablet=True)
    _, secretariat = await _open(browser, server, seeded.secretariat, errors)
    _, chair = await _open(browser, server, seeded.chair, errors)
    navigations: list[str] = []
    for name, page in (("secretariat", secretariat), ("chair", chair), ("other", other)):
        # "load", not "framenavigated": htmx's history.replaceState of the same URL (on a
        # page's first htmx request) is a navigation within the document, not a reload.
        page.on("load", lambda loaded, n=name: navigations.append(f"{n} {loaded.url}"))

    # Another member is half-way through an opinion on item 3 when pushes arrive.
    await other.locator("#compose-3 summary").click()
    await other.locator("#compose-text-3").fill("書きかけの意見です")

    item = member.locator("#item-2")
    await expect(item.get_by_role("link", name="資料1 計画案")).to_be_visible()
    await item.get_by_text("この議題に意見を書く").click()
    await item.get_by_label("懸念").check()
    await item.get_by_label("意見（2000 字まで）").fill("窓口の混雑が心配です。\n対策を伺いたい。")
    await item.get_by_role("button", name="意見を送る").click()
    await expect(member.locator("#flash")).to_contain_text("意見を送りました")
    await expect(item.get_by_label("意見（2000 字まで）")).to_have_value("")

    opinion = secretariat.locator("#item-2 .opinion", has_text="窓口の混雑が心配です")
    await expect(opinion).to_be_visible()
    await expect(opinion).to_contain_text("髙橋 美智子")
    await expect(other.locator("#compose-text-3")).to_have_value("書きかけの意見です")
    mine = member.locator("#item-2 .opinion", has_text="窓口の混雑が心配です")
    await expect(mine.get_by_role("link", name="修正・取下げ")).to_be_visible()
    await expect(mine.get_by_role("button", name="賛同する")).to_be_hidden()

    # The other member agrees; everyone sees the count, and only they see "take back".
    theirs = other.locator("#item-2 .opinion", has_text="窓口の混雑が心配です")
    await tap(theirs.get_by_role("button", name="賛同する"))
    await expect(opinion).to_contain_text("賛同 1")
    await expect(theirs.get_by_role("button", name="賛同を取り消す")).to_be_visible()
    await expect(theirs.get_by_role("button", name="賛同する")).to_be_hidden()
    await expect(other.locator("#compose-text-3")).to_have_value("書きかけの意見です")

    # The secretariat marks it to raise; the chair sees it first, under "to raise".
    await tap(opinion.get_by_role("button", name="会議で取り上げる"))
    raised = chair.locator("#item-2 .opinion-group.group-raise")
    await expect(raised).to_contain_text("会議で取り上げる (1)")

    # In session, on item 2: one tap puts the author in the queue.
    chair_api = api(server, seeded.chair)
    assert act(chair_api, 1, "meeting.start").status_code == 200
    assert act(chair_api, 1, "agenda.next").status_code == 200
    await expect(chair.locator("#item-2")).to_have_class("item-prep is-current")
    await tap(
        chair.locator("#item-2 .opinion", has_text="窓口の混雑が心配です").get_by_role(
            "button", name="意見について発言"
        )
    )
    await expect(chair.locator("#floor .queue")).to_contain_text("髙橋 美智子")
    await expect(member.locator(".my-place")).to_contain_text("1")
    await expect(secretariat.locator("#item-2 .opinion .badge.queued")).to_be_visible()

    assert navigations == []  # nothing was reloaded
    await member.screenshot(path=str(artifacts / "opinions-member.png"), full_page=True)
    await secretariat.screenshot(path=str(artifacts / "opinions-secretariat.png"), full_page=True)
    await chair.screenshot(path=str(artifacts / "opinions-chair.png"), full_page=True)
    assert errors == []


async def test_the_secretariat_attaches_from_the_page_and_a_member_reads_it(
    browser: Browser, server: Server, seeded: Seeded, tmp_path: Path
) -> None:
    """A plain form post from the page (not htmx): the browser's own Origin must pass."""
    photo = tmp_path / "窓口の写真.png"
    photo.write_bytes(png())
    errors: list[str] = []
    _, secretariat = await _open(browser, server, seeded.secretariat, errors)
    _, member = await _open(browser, server, seeded.members[0], errors, tablet=True)
    box = secretariat.locator("#add-material-3")
    await box.locator("summary").click()
    chooser = box.get_by_label("ファイル（PDF、PNG、JPEG、テキスト、Markdown）")
    await chooser.set_input_files(str(photo))
    await box.get_by_role("button", name="添付する").click()
    await expect(secretariat.locator("#flash")).to_contain_text("資料を添付しました")

    link = member.locator("#item-3").get_by_role("link", name="窓口の写真")
    await expect(link).to_be_visible()  # pushed to the member's open page
    await link.click()
    image = member.locator("img.material-image")
    await expect(image).to_be_visible()
    assert await image.evaluate("image => image.naturalWidth") == 1
    await expect(secretariat.locator("#reading")).to_contain_text("閲覧 1 / 30")
    assert errors == []
