"""The pages every role sees, in a realistic state, for the accessibility and layout tests."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.prep_support import upload
from tests.support import Seeded, Server, act, api

VIEWPORTS = {"tablet-landscape": (1024, 768), "tablet-portrait": (768, 1024), "phone": (390, 844)}
LOCALES = {"ja": "ja-JP", "en": "en-US"}


@dataclass(frozen=True)
class Screen:
    role: str
    name: str
    path: str
    live: bool = True


def screens() -> list[Screen]:
    return [
        Screen("chair", "chair-meeting", "/meetings/1"),
        Screen("member", "member-meeting", "/meetings/1"),
        Screen("secretariat", "secretariat-meeting", "/meetings/1"),
        Screen("observer", "projector", "/meetings/1/projector"),
        Screen("secretariat", "secretariat-body", "/bodies/1", live=False),
        Screen("member", "member-home", "/", live=False),
    ]


def more_screens() -> list[Screen]:
    """Pages beyond the live room: materials, opinions, minutes, report, archive, search."""
    return [
        Screen("member", "material", "/meetings/1/materials/1", live=False),
        Screen("member", "opinion-edit", "/meetings/1/opinions/1/edit", live=False),
        Screen("secretariat", "minutes-editor", "/meetings/1/minutes", live=False),
        Screen("chair", "minutes-document", "/meetings/1/minutes/document", live=False),
        Screen("secretariat", "meeting-report", "/meetings/1/minutes/report", live=False),
        Screen("member", "search", "/search?q=%E8%A8%88%E7%94%BB", live=False),
        Screen("observer", "archive", "/archive", live=False),
        Screen("secretariat", "meeting-details", "/meetings/1/edit", live=False),
    ]


def token_for(seeded: Seeded, role: str) -> str:
    return seeded.members[0] if role == "member" else seeded.token(role)


def live_meeting(server: Server, seeded: Seeded) -> None:
    """A material and an opinion on item 2; started, on item 2, one speaker with a
    countdown, three waiting (one point of order); a summary in the minutes."""
    secretariat = api(server, seeded.secretariat)
    markdown = "# 計画案の要点\n\n- 窓口のデジタル化\n- 人材育成\n".encode()
    upload(secretariat, "計画案の要点.md", markdown, "text/markdown", item_id=2)
    act(
        api(server, seeded.members[0]),
        1,
        "opinion.write",
        item_id=2,
        stance="proposal",
        text="計画の進み具合を毎回報告してほしい。",
    )
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    act(chair, 1, "agenda.next")
    for index, kind in ((1, "ordinary"), (0, "question"), (2, "point_of_order"), (3, "reply")):
        act(api(server, seeded.members[index]), 1, "floor.request", kind=kind)
    act(chair, 1, "floor.grant")
    act(chair, 1, "floor.end")
    act(api(server, seeded.members[2]), 1, "floor.request")
    act(chair, 1, "floor.grant")
    statements = secretariat.get("/api/meetings/1/minutes").json()["document"]["statements"]
    act(
        secretariat,
        1,
        "minutes.edit",
        statement_id=statements[0]["id"],
        text="点検の結果を報告した。",
    )


async def open_as(
    browser: Browser,
    server: Server,
    seeded: Seeded,
    role: str,
    lang: str,
    viewport: tuple[int, int] = (1024, 768),
    bypass_csp: bool = False,
) -> tuple[BrowserContext, Page]:
    """A fresh device signed in as the role. ``bypass_csp`` only lets a test inject axe-core."""
    context = await browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        locale=LOCALES[lang],
        bypass_csp=bypass_csp,
    )
    page = await context.new_page()
    await page.goto(f"{server.base}/join/{token_for(seeded, role)}")
    return context, page


async def show(page: Page, server: Server, screen: Screen) -> None:
    await page.goto(server.base + screen.path)
    if screen.live:
        await expect(page.locator("body")).to_have_attribute("data-live", "connected")
