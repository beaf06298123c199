"""A whole vote in three browsers: the chair prepares, opens, closes and announces it; a
member votes with the keyboard, changes their mind with a tap and sees their choice
confirmed; the projector shows the result in large type. Nothing reloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Dialog, Page, expect

from tests.browser.test_accessibility import AXE, TAGS
from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio


async def test_a_whole_vote_on_chair_member_and_projector(
    browser: Browser, server: Server, seeded: Seeded, artifacts: Path
) -> None:
    pages = {}
    errors: list[str] = []
    for name, size in (("chair", (1024, 768)), ("member", (768, 1024)), ("projector", (1024, 768))):
        context = await browser.new_context(
            viewport={"width": size[0], "height": size[1]}, locale="ja-JP", bypass_csp=True
        )
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        pages[name] = page
    chair, member, projector = pages["chair"], pages["member"], pages["projector"]

    async def accept(dialog: Dialog) -> None:
        await dialog.accept()

    chair.on("dialog", accept)

    async def serious(page: Page) -> list[str]:
        """axe-core's serious or critical findings on the page as it stands."""
        await page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = await page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
        )
        return [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]

    await chair.goto(f"{server.base}/join/{seeded.chair}")
    await member.goto(f"{server.base}/join/{seeded.members[0]}")
    await projector.goto(f"{server.base}/join/{seeded.observer}")
    for page in pages.values():
        await expect(page.locator("body")).to_have_attribute("data-live", "connected")
    await chair.get_by_role("button", name="会議を開始").click()
    await expect(member.locator("#current")).to_contain_text("開会あいさつ")
    for token in seeded.members[1:20]:  # the rest of a quorum, present on their tablets
        assert act(api(server, token), 1, "attendance.mark").status_code == 200

    await chair.locator("#vote-question").fill("第1号議案　市民参加条例の制定について")
    await chair.locator("#vote-method").select_option("named")
    await chair.get_by_role("button", name="採決を準備する").click()
    await chair.get_by_role("button", name="採決を開始する").click()

    ballot = member.locator(".vote-ballot")
    await expect(ballot).to_be_visible()
    await expect(member.locator("#announcer")).to_contain_text("採決が始まりました")
    await expect(projector.locator("#votes")).to_contain_text("第1号議案")
    await expect(projector.locator(".vote-choice")).to_have_count(0)

    against = member.locator('button.vote-choice[data-choice="no"]')
    await against.focus()
    await member.keyboard.press("Enter")
    await expect(against).to_have_attribute("aria-pressed", "true")
    await expect(member.locator(".vote-mine")).to_contain_text("あなたの投票：反対")
    await member.locator('button.vote-choice[data-choice="yes"]').click()
    await expect(member.locator(".vote-mine")).to_contain_text("あなたの投票：賛成")
    await expect(against).to_have_attribute("aria-pressed", "false")
    await expect(chair.locator(".vote-progress")).to_contain_text("投票済み 1 ／ 20 人")
    await expect(chair.locator(".vote-not-voted")).to_contain_text("未投票（19人）")
    assert await serious(member) == [] and await serious(chair) == []

    await chair.get_by_role("button", name="採決を締め切る").click()
    await expect(member.locator("#announcer")).to_contain_text("採決が締め切られました")
    await expect(chair.locator(".vote-counts-line")).to_contain_text("賛成 1")
    await expect(projector.locator("#votes")).to_contain_text("結果の宣告をお待ちください")

    await chair.get_by_role("button", name="結果を宣告する").click()
    for page in pages.values():
        await expect(page.locator(".vote-result .vote-outcome")).to_have_text("可決")
        await expect(page.locator(".vote-result")).to_contain_text(
            "記名投票による採決の結果、全会一致（賛成1、反対0）により原案のとおり可決した。"
        )
    await expect(member.locator("#announcer")).to_contain_text("採決の結果： 可決")
    await expect(projector.locator(".vote-named")).to_contain_text("髙橋 美智子")
    size = await projector.locator(".vote-result .vote-outcome").evaluate(
        "element => parseFloat(getComputedStyle(element).fontSize)"
    )
    assert size >= 48  # large type on the projector
    for page in pages.values():
        assert await serious(page) == []
    for name, page in pages.items():
        await page.screenshot(path=str(artifacts / f"vote-{name}.png"), full_page=True)
    assert errors == []
