"""A whole meeting in the browser: chair, member and secretariat on their own devices and
the projector. Each step is checked on the other pages, which never reload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.pages import open_as
from tests.prep_support import PDF, upload
from tests.scale.cluster import Cluster, cluster
from tests.support import Seeded, Server, api

pytestmark = pytest.mark.asyncio


async def powered_click(page: Page, selector: str) -> None:
    """Tap a control, right after a push if need be: it acts without reloading the page."""
    await page.locator(selector).click()


async def test_a_whole_meeting(
    browser: Browser, server: Server, seeded: Seeded, artifacts: Path
) -> None:
    await whole_meeting(browser, seeded, artifacts, staff=server, members=server)


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[Cluster]:
    with cluster(tmp_path) as running:
        yield running


async def test_a_whole_meeting_with_the_chair_and_the_members_on_two_workers(
    browser: Browser, two_workers: Cluster, artifacts: Path
) -> None:
    """The same meeting on PostgreSQL, the chair and the secretariat on one worker, the
    member and the projector on another: every step still reaches every page."""
    staff, members = two_workers.workers
    await whole_meeting(browser, two_workers.seeded, artifacts, staff=staff, members=members)


async def whole_meeting(
    browser: Browser, seeded: Seeded, artifacts: Path, *, staff: Server, members: Server
) -> None:
    server = staff
    assert (
        upload(
            api(server, seeded.secretariat), "資料1 計画案.pdf", PDF, "application/pdf", item_id=2
        ).status_code
        == 200
    )
    chair_context, chair = await open_as(browser, server, seeded, "chair", "ja")
    member_context, member = await open_as(browser, members, seeded, "member", "ja", (820, 1180))
    secretariat_context, secretariat = await open_as(browser, server, seeded, "secretariat", "ja")
    projector_context, projector = await open_as(
        browser, members, seeded, "observer", "ja", (1280, 720)
    )
    live_pages = (chair, member, secretariat, projector)
    reloads: list[str] = []
    for page in live_pages:
        await expect(page.locator("body")).to_have_attribute("data-live", "connected")
        page.on("dialog", lambda dialog: dialog.accept())
        page.on(
            "framenavigated",
            lambda frame, p=page: reloads.append(frame.url) if frame == p.main_frame else None,
        )

    # Before the meeting: the member reads the material (in a tab of its own) ...
    async with member.context.expect_page() as opened:
        await (
            member.locator("#item-2")
            .get_by_role("link", name="資料1 計画案")
            .click(modifiers=["Control"])
        )
    reader = await opened.value
    await reader.wait_for_load_state()
    await reader.close()
    await expect(secretariat.locator("#reading .reading-summary")).to_have_attribute(
        "data-complete", "1"
    )
    # ... and writes an opinion, which reaches the secretariat at once.
    item = member.locator("#item-2")
    await item.get_by_text("この議題に意見を書く").click()
    await item.get_by_label("懸念").check()
    await item.locator("#compose-text-2").fill("窓口の待ち時間が心配です。")
    await item.get_by_role("button", name="意見を送る").click()
    await expect(secretariat.locator("#item-2 .opinion")).to_contain_text("窓口の待ち時間")

    # The meeting: start, ask, grant, end, next item.
    await powered_click(chair, "button[data-action='meeting.start']")
    for page in (member, projector, secretariat):
        await expect(page.locator("#current")).to_contain_text("開会あいさつ")
    await powered_click(member, "button[data-action='floor.request']")
    await expect(chair.locator("#floor .queue")).to_contain_text("髙橋 美智子")
    await powered_click(chair, "#floor .speaker button[data-action='floor.grant']")
    await expect(member.locator("#announcer")).to_contain_text("あなたの番です")
    await expect(projector.locator("#floor .speaker")).to_contain_text("髙橋 美智子")
    await expect(projector.locator(".timer")).to_have_text(re.compile(r"^[23]:\d\d$"))
    await expect(secretariat.locator("#minutes .minutes-entry")).to_contain_text("髙橋 美智子")
    await powered_click(chair, "button[data-action='floor.end']")
    await expect(projector.locator("#floor .speaker")).not_to_contain_text("髙橋 美智子")
    await powered_click(chair, "button[data-action='agenda.next']")
    for page in (member, projector, secretariat):
        await expect(page.locator("#current")).to_contain_text("DX推進計画")

    # The secretariat writes the summary beside the live panel.
    await secretariat.locator("#minutes").get_by_role("link", name="要点を書く").first.click()
    summary = secretariat.locator("#minutes-editor textarea")
    await summary.fill("開会に当たり、資料を事前に読んでおくよう求めた。")
    await secretariat.locator("#minutes-editor").get_by_role("button", name="要点を保存").click()
    await expect(secretariat.locator("#minutes .minutes-entry")).to_contain_text("事前に読んで")

    await powered_click(chair, "button[data-action='meeting.adjourn']")
    for page in (member, projector, secretariat):
        await expect(page.locator("#current")).to_contain_text("閉会しました")
    assert reloads == []

    # After: the secretariat sends the draft; the chair's page says so without reload.
    await secretariat.goto(f"{server.base}/meetings/1/minutes")
    await secretariat.get_by_role("button", name="承認のため議長に回付する").click()
    notice = chair.locator("[data-minutes-status=submitted]")
    await expect(notice).to_be_visible()
    await notice.get_by_role("link").click()
    await chair.get_by_role("button", name="承認して確定する").click()
    await expect(chair.locator("body")).to_contain_text("SHA-256")

    # Export: the finalized minutes carry the summary and end with 以上.
    exported = api(server, seeded.secretariat).get("/meetings/1/minutes.md")
    assert exported.status_code == 200
    assert "事前に読んでおくよう求めた" in exported.text
    assert "以上" in exported.text
    assert exported.headers.get("x-minutes-sha256")
    await chair.screenshot(path=str(artifacts / "whole-meeting-chair-approved.png"), full_page=True)
    for context in (chair_context, member_context, secretariat_context, projector_context):
        await context.close()
