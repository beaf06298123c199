"""Offline while an opinion is typed and sent: it is kept, sent once when the connection
returns, and the page catches up with what happened meanwhile."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.browser.pages import open_as
from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio

TEXT = "オフラインで書いた意見です。\n接続が戻ったら届くはずです。"


async def test_an_opinion_sent_offline_is_saved_once(
    browser: Browser, server: Server, seeded: Seeded
) -> None:
    context, member = await open_as(browser, server, seeded, "member", "ja", (820, 1180))
    await expect(member.locator("body")).to_have_attribute("data-live", "connected")
    item = member.locator("#item-2")
    await item.get_by_text("この議題に意見を書く").click()
    await item.get_by_label("提案").check()
    await item.locator("#compose-text-2").fill(TEXT)

    await context.set_offline(True)
    await item.get_by_role("button", name="意見を送る").click()
    await expect(item.locator(".pending-note")).to_be_visible()
    await expect(member.locator("#connection")).to_be_visible()
    await expect(item.locator("#compose-text-2")).to_have_value(TEXT)
    # Meanwhile the meeting goes on.
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    act(chair, 1, "agenda.next")

    await context.set_offline(False)
    await expect(item.locator(".pending-note")).to_be_hidden(timeout=15_000)
    await expect(member.locator("#connection")).to_be_hidden(timeout=15_000)
    await expect(member.locator("#current")).to_contain_text("DX推進計画")
    await expect(
        member.locator("#item-2 .opinion", has_text="オフラインで書いた意見")
    ).to_be_visible()
    await expect(item.locator("#compose-text-2")).to_have_value("")

    # Saved exactly once, with the author and the text as typed.
    mine = [
        opinion
        for opinion in api(server, seeded.members[0])
        .get("/api/meetings/1/opinions")
        .json()["opinions"]
        if opinion["text"] == TEXT
    ]
    assert len(mine) == 1
    assert mine[0]["stance"] == "proposal"
    # A reload shows no leftover draft.
    await member.reload()
    await member.locator("#item-2").get_by_text("この議題に意見を書く").click()
    await expect(member.locator("#compose-text-2")).to_have_value("")
    await context.close()
