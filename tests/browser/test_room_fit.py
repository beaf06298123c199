"""The room at a glance: during a live meeting with a speaker and six requests, what each
person in the room needs now lies inside the viewport of their device without scrolling
(projector, chair's tablet, member's tablet and phone); screenshots of each are kept in
test-artifacts/room/. Also: Chromium renders Japanese (a font is installed), and axe stays
clean in the high-contrast theme of the room pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.test_accessibility import AXE, TAGS
from tests.support import Seeded, Server, act, api, state

pytestmark = pytest.mark.asyncio

PROJECTOR_SIZES = [(1280, 720), (1366, 768), (1920, 1080), (3840, 2160)]
CHAIR_SIZES = [(1024, 768), (768, 1024)]
MEMBER_SIZES = [(768, 1024), (1024, 768), (390, 844)]
# The member whose page is checked waits fourth in the queue; another is not in it.
WAITING, IDLE = 3, 8

FIRST_THREE = [f"#floor .queue-entry:nth-child({n}) .who" for n in (1, 2, 3)]
FIRST_FIVE = [f"#floor .queue-entry:nth-child({n})" for n in range(1, 6)]
PROJECTOR = ["#current .current-title", "#floor .speaker-name", "#floor .timer", *FIRST_THREE]
CHAIR_SPEAKING = [
    "#current .current-title",
    "#floor .speaker-name",
    "#floor .timer",
    '#floor button[data-action="floor.end"]',
    '#floor button[data-action="timer.extend"]',
    "#current a.to-opinions",
    "#current a.to-agenda",
    *FIRST_FIVE,
    *[f'{entry} button[data-action="floor.remove"]' for entry in FIRST_FIVE],
]
CHAIR_FREE = [
    '#floor .speaker button[data-action="floor.grant"]',
    *FIRST_FIVE,
    *[f'{entry} button[data-action="floor.grant"]' for entry in FIRST_FIVE],
    *[f'{entry} button[data-action="floor.remove"]' for entry in FIRST_FIVE],
]
MEMBER_WAITING = [
    "#current .current-title",
    "#floor .speaker-name",
    "#floor .my-place",
    '#floor button[data-action="floor.withdraw"]',
]
MEMBER_IDLE = ["#current .current-title", "#floor .speaker-name", "#floor .request-form button"]

OUTSIDE = """selectors => {
  const width = document.documentElement.clientWidth;
  const height = document.documentElement.clientHeight;
  const problems = [];
  for (const selector of selectors) {
    const el = document.querySelector(selector);
    if (!el) { problems.push(selector + ': missing'); continue; }
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) { problems.push(selector + ': not shown'); continue; }
    if (box.top < 0 || box.left < 0 || box.bottom > height + 0.5 || box.right > width + 0.5) {
      problems.push(`${selector}: ${Math.round(box.left)},${Math.round(box.top)}-` +
        `${Math.round(box.right)},${Math.round(box.bottom)} outside ${width}x${height}`);
    }
  }
  return problems;
}"""

PROJECTOR_FACTS = """() => {
  const timer = document.querySelector('#floor .timer');
  const header = document.querySelector('.site-header');
  const controls = [...document.querySelectorAll('button, summary, a, input, select')]
    .filter(el => el.getClientRects().length > 0 && !el.classList.contains('skip-link'));
  return {
    scroll: document.documentElement.scrollHeight - document.documentElement.clientHeight,
    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    timer: timer ? parseFloat(getComputedStyle(timer).fontSize) : 0,
    height: document.documentElement.clientHeight,
    cursor: getComputedStyle(document.body).cursor,
    header: header ? header.getClientRects().length : 0,
    controls: controls.map(el => el.outerHTML.slice(0, 60)),
  };
}"""


def live_room(server: Server, seeded: Seeded) -> None:
    """Item 2 current, member 0 speaking, six requests waiting (one point of order, which
    goes to the head); the member checked (WAITING) is fourth."""
    chair = api(server, seeded.chair)
    assert act(chair, 1, "meeting.start").status_code == 200
    assert act(chair, 1, "agenda.next").status_code == 200
    requests = [(0, "ordinary"), (1, "question"), (2, "point_of_order"), (4, "ordinary")]
    requests += [(WAITING, "reply"), (5, "ordinary"), (6, "question")]
    for index, kind in requests:
        member = api(server, seeded.members[index])
        assert act(member, 1, "floor.request", kind=kind).status_code == 200
    assert act(chair, 1, "floor.grant").status_code == 200  # the point of order speaks


async def open_room(
    browser: Browser,
    server: Server,
    seeded: Seeded,
    token: str,
    size: tuple[int, int],
    path: str,
    prefs: dict[str, str] | None = None,
) -> Page:
    """A device signed in with ``token`` on ``path``; ``prefs`` are display cookies (and let
    the test inject axe-core past the Content-Security-Policy)."""
    context = await browser.new_context(
        viewport={"width": size[0], "height": size[1]}, locale="ja-JP", bypass_csp=bool(prefs)
    )
    if prefs:
        await context.add_cookies(
            [{"name": k, "value": v, "url": server.base} for k, v in prefs.items()]
        )
    page = await context.new_page()
    await page.goto(f"{server.base}/join/{token}")
    await page.goto(server.base + path)
    await expect(page.locator("body")).to_have_attribute("data-live", "connected")
    await expect(page.locator("#floor .queue-entry")).to_have_count(6)
    return page


async def quiet_projector(
    browser: Browser, server: Server, seeded: Seeded, folder: Path, when: str, next_number: str
) -> list[str]:
    """The projector's quiet state: the meeting's title and the next item, large; no floor."""
    name = f"projector-1280x720-quiet-{when}"
    context = await browser.new_context(viewport={"width": 1280, "height": 720}, locale="ja-JP")
    page = await context.new_page()
    await page.goto(f"{server.base}/join/{seeded.observer}")
    await page.goto(server.base + "/meetings/1/projector")
    await expect(page.locator("body")).to_have_attribute("data-live", "connected")
    await expect(page.locator("#floor")).to_be_hidden()
    await expect(page.locator("#current .next-item .number")).to_have_text(next_number)
    problems = await check(page, folder, name, ["#meeting-title", "#current .next-item"])
    facts = await page.evaluate(PROJECTOR_FACTS)
    if facts["scroll"] > 0 or facts["sideways"] > 0:
        problems.append(f"{name}: scrolls by {facts['scroll']}/{facts['sideways']}px")
    title = await page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    )
    if title < 720 / 20:
        problems.append(f"{name}: the meeting's title is {title}px")
    await context.close()
    return problems


async def check(page: Page, folder: Path, name: str, selectors: list[str]) -> list[str]:
    await page.screenshot(path=str(folder / f"{name}.png"))
    problems: list[str] = await page.evaluate(OUTSIDE, selectors)
    return [f"{name}: {problem}" for problem in problems]


async def test_room_fits_every_screen(
    browser: Browser, server: Server, seeded: Seeded, artifacts: Path
) -> None:
    folder = artifacts / "room"
    folder.mkdir(exist_ok=True)
    problems: list[str] = []
    shots = 0
    problems += await quiet_projector(browser, server, seeded, folder, "before", "1.")
    live_room(server, seeded)

    for width, height in PROJECTOR_SIZES:
        name = f"projector-{width}x{height}"
        page = await open_room(
            browser, server, seeded, seeded.observer, (width, height), "/meetings/1/projector"
        )
        problems += await check(page, folder, name, PROJECTOR)
        facts = await page.evaluate(PROJECTOR_FACTS)
        if facts["scroll"] > 0 or facts["sideways"] > 0:
            problems.append(f"{name}: scrolls by {facts['scroll']}/{facts['sideways']}px")
        if facts["timer"] < facts["height"] / 10:
            problems.append(f"{name}: countdown {facts['timer']}px of {facts['height']}px")
        if facts["cursor"] != "none":
            problems.append(f"{name}: pointer shown ({facts['cursor']})")
        if facts["header"] or facts["controls"]:
            problems.append(f"{name}: header or controls shown {facts['controls'][:3]}")
        shots += 1
        await page.context.close()

    speaker, queue = 2, [0, 1, 4, WAITING, 5, 6]
    for size in CHAIR_SIZES:
        name = f"chair-{size[0]}x{size[1]}"
        page = await open_room(browser, server, seeded, seeded.chair, size, "/meetings/1")
        problems += await check(page, folder, f"{name}-speaking", CHAIR_SPEAKING)
        await page.locator('#floor button[data-action="floor.end"]').click()
        await expect(
            page.locator('#floor .speaker button[data-action="floor.grant"]')
        ).to_be_enabled()
        problems += await check(page, folder, f"{name}-free", CHAIR_FREE)
        await page.locator('#floor .speaker button[data-action="floor.grant"]').click()
        await expect(page.locator("#floor .speaker-name")).to_be_visible()
        # The one who just spoke asks again: six wait for the next size.
        ended, speaker = speaker, queue.pop(0)
        queue.append(ended)
        member = api(server, seeded.members[ended])
        assert act(member, 1, "floor.request").status_code == 200
        shots += 2
        await page.context.close()

    for size in MEMBER_SIZES:
        name = f"member-{size[0]}x{size[1]}"
        waiting = seeded.members[WAITING]
        page = await open_room(browser, server, seeded, waiting, size, "/meetings/1")
        await expect(page.locator("#floor .my-place")).not_to_be_empty()
        problems += await check(page, folder, f"{name}-waiting", MEMBER_WAITING)
        await page.context.close()
        idle = seeded.members[IDLE]
        page = await open_room(browser, server, seeded, idle, size, "/meetings/1")
        problems += await check(page, folder, f"{name}-idle", MEMBER_IDLE)
        shots += 2
        await page.context.close()

    # axe in the high-contrast theme, at the largest text size too, on every room screen.
    script = AXE.read_text(encoding="utf-8")
    audits = [
        (seeded.observer, (1280, 720), "/meetings/1/projector", {"theme": "contrast"}),
        (seeded.chair, (1024, 768), "/meetings/1", {"theme": "contrast"}),
        (seeded.members[WAITING], (390, 844), "/meetings/1", {"theme": "contrast"}),
        (
            seeded.members[IDLE],
            (768, 1024),
            "/meetings/1",
            {"theme": "contrast", "text_size": "xlarge"},
        ),
        (seeded.chair, (768, 1024), "/meetings/1", {"text_size": "xlarge"}),
    ]
    for token, size, path, prefs in audits:
        page = await open_room(browser, server, seeded, token, size, path, prefs)
        assert "theme-" + prefs.get("theme", "default") in (
            await page.get_attribute("html", "class") or ""
        )
        await page.add_script_tag(content=script)
        result = await page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
        )
        problems += [
            f"axe {path} {size} {prefs}: {v['id']} {v['nodes'][0]['target']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        await page.context.close()

    # Between speeches on item 2: nobody speaking, nobody waiting.
    chair = api(server, seeded.chair)
    assert act(chair, 1, "floor.end").status_code == 200
    for entry in state(chair)["queue"]:
        assert act(chair, 1, "floor.remove", request_id=entry["id"]).status_code == 200
    problems += await quiet_projector(browser, server, seeded, folder, "between", "3.")
    shots += 2

    assert shots == 2 + len(PROJECTOR_SIZES) + 2 * len(CHAIR_SIZES) + 2 * len(MEMBER_SIZES)
    assert problems == [], "\n".join(problems)


# Three kana and kanji drawn with the page's own font stack. Without a Japanese font every
# one of them is the same empty box (the fallback's missing-glyph shape), so their pixels
# are identical; with one they differ.
GLYPHS = """() => {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d');
  ctx.font = '48px ' + getComputedStyle(document.body).fontFamily;
  return ['A', '会', '議', 'あ'].map(ch => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.fillText(ch, 4, 52);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
  });
}"""


async def test_chromium_renders_japanese(browser: Browser, server: Server) -> None:
    page = await browser.new_page()
    await page.goto(server.base + "/healthz")
    latin, *glyphs = await page.evaluate(GLYPHS)
    assert latin != glyphs[0] and set(latin.split(",")) != {"0"}, "the canvas draws nothing"
    assert len(set(glyphs)) == 3, (
        "Chromium has no Japanese font: every kanji is the same empty box. "
        "Install Debian's fonts-noto-cjk (make chromium)."
    )
    await page.close()
