"""The in-page PDF viewer and the presenter's page (画面同期) in real Chromium.

A 50 MB PDF's first page is shown from byte ranges (the bytes are counted on the wire, by a
proxy between the browser and the board); the presenter turns pages and the follower, the
projector and a joining device follow, a member who turns a page stops following and comes
back with one tap, and a device that reconnects lands on the presented page."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from playwright.async_api import Browser, Page, Request, expect

from tests.browser.pages import open_as
from tests.pdf_support import pdf
from tests.prep_support import upload
from tests.support import Seeded, Server, act, api, free_port, state

BIG = 50_000_000  # bytes of image data in the large PDF: about 50 MB, under the 50 MiB limit


class CountingProxy:
    """A TCP proxy that counts the bytes the board sends towards the browser."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = free_port()
        self.to_browser = 0

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, count: bool
    ) -> None:
        try:
            while data := await reader.read(65536):
                if count:
                    self.to_browser += len(data)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        await asyncio.gather(
            self._pipe(reader, up_writer, False), self._pipe(up_reader, writer, True)
        )

    @asynccontextmanager
    async def running(self) -> AsyncIterator[CountingProxy]:
        server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        try:
            yield self
        finally:
            server.close()


async def test_a_large_pdf_shows_its_first_page_from_byte_ranges(
    browser: Browser, server: Server, seeded: Seeded
) -> None:
    secretariat = api(server, seeded.secretariat)
    big = pdf(3, padding=BIG)
    assert 49_900_000 < len(big) < 50 * 1024 * 1024
    response = upload(secretariat, "大きな資料.pdf", big, "application/pdf", item_id=1)
    assert response.status_code == 200, response.text
    material_id = response.json()["material_id"]
    proxy = CountingProxy(server.port)
    async with proxy.running():
        context = await browser.new_context(viewport={"width": 768, "height": 1024})
        try:
            page = await context.new_page()
            file_bytes: list[tuple[str, int]] = []

            async def finished(request: Request) -> None:
                response = await request.response()
                assert response is not None
                if "/files/" in request.url:
                    assert response.status == 206, response.status  # never the whole file
                sizes = await request.sizes()
                file_bytes.append((request.url, sizes["responseBodySize"]))

            context.on("requestfinished", finished)
            problems: list[str] = []
            page.on(
                "console",
                lambda message: problems.append(message.text) if message.type == "error" else None,
            )
            base = f"http://127.0.0.1:{proxy.port}"
            await page.goto(f"{base}/join/{seeded.members[0]}")
            before = proxy.to_browser
            await page.goto(f"{base}/meetings/1/materials/{material_id}")
            viewer = page.locator("[data-pdf-viewer]")
            await expect(viewer).to_have_attribute("data-state", "shown", timeout=20_000)
            await expect(viewer).to_have_attribute("data-pages", "3")
            # The text layer: what a screen reader and search in the page find.
            await expect(viewer.locator(".textLayer")).to_contain_text("Material text on page 1")
            await page.wait_for_timeout(500)  # anything still streaming would show now
            sent = proxy.to_browser - before
            ranges = [size for url, size in file_bytes if "/files/" in url]
            # The page, its scripts (PDF.js and its worker: about 1.8 MB) and the ranges the
            # first page needs: far below the file's 50 MB.
            assert sent < 4_000_000, sent
            # The file itself: only ranges, and only those the first page needs.
            assert ranges and sum(ranges) < 500_000, ranges
            print(
                f"first page of a {len(big):,}-byte PDF: {sum(ranges):,} bytes of the file in "
                f"{len(ranges)} ranges; {sent:,} bytes on the wire with the page and PDF.js"
            )
            # Fit to width: the page fills the sheet's width.
            sheet = await page.locator(".pdf-sheet").bounding_box()
            canvas = await page.locator(".pdf-page canvas").bounding_box()
            assert sheet is not None and canvas is not None
            assert abs(canvas["width"] - (sheet["width"] - 2)) < 4
            # Keyboard: the arrow keys turn pages; "+" zooms in, "0" fits again.
            await page.locator(".pdf-sheet").focus()
            await page.keyboard.press("ArrowRight")
            await expect(viewer).to_have_attribute("data-page", "2")
            await expect(viewer.locator(".textLayer")).to_contain_text("page 2")
            await page.keyboard.press("End")
            await expect(viewer).to_have_attribute("data-page", "3")
            await page.keyboard.press("+")
            await _width_becomes(page, lambda width: width > sheet["width"])
            await page.keyboard.press("0")
            await _width_becomes(page, lambda width: width < sheet["width"])
            # The other orientation: fitted again to the new width.
            await page.set_viewport_size({"width": 1024, "height": 768})
            await _width_becomes(page, lambda width: width > sheet["width"])
            # A private note on the page shown, kept for this reader and this page.
            note = page.locator("[data-page-note] textarea")
            await note.fill("3ページの数字を確認する")
            await page.locator("[data-page-note] button").click()
            await expect(page.locator(".note-status")).to_have_text("Your note is saved.")
            await page.goto(f"{base}/meetings/1/materials/{material_id}#page=3")
            await expect(viewer).to_have_attribute("data-page", "3", timeout=20_000)
            await expect(note).to_have_value("3ページの数字を確認する")
            await page.keyboard.press("Tab")  # leave nothing focused in the note
            await page.locator(".pdf-sheet").focus()
            await page.keyboard.press("Home")
            await expect(viewer).to_have_attribute("data-page", "1")
            await expect(note).to_have_value("")
            assert not [text for text in problems if "Content Security Policy" in text], problems
        finally:
            await context.close()


async def _width_becomes(page: Page, wanted: Callable[[float], bool]) -> None:
    """Wait until the page's canvas has a width ``wanted`` accepts (a render is async)."""
    width = 0.0
    for _ in range(100):
        box = await page.locator(".pdf-page canvas").bounding_box()
        width = box["width"] if box else 0.0
        if wanted(width):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the canvas stayed {width}px wide")


async def _on_page(page: Page, number: int) -> None:
    viewer = page.locator("#stage [data-pdf-viewer]")
    await expect(page.locator("#stage")).to_be_visible()
    await expect(viewer).to_have_attribute("data-page", str(number), timeout=10_000)
    await expect(viewer).to_have_attribute("data-state", "shown")
    await expect(viewer.locator(".textLayer")).to_contain_text(f"page {number}")


async def test_presenter_follower_detached_follower_and_projector(
    browser: Browser, server: Server, seeded: Seeded
) -> None:
    secretariat = api(server, seeded.secretariat)
    response = upload(secretariat, "資料1.pdf", pdf(40), "application/pdf", item_id=1)
    assert response.status_code == 200, response.text
    version_id = response.json()["version_id"]
    devices = [
        await open_as(browser, server, seeded, role, "ja", viewport)
        for role, viewport in (
            ("secretariat", (1024, 768)),
            ("member", (768, 1024)),
            ("observer", (1280, 720)),
        )
    ]
    (_, presenter), (_, follower), (_, projector) = devices
    reader_context = await browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="ja-JP"
    )
    reader = await reader_context.new_page()
    await reader.goto(f"{server.base}/join/{seeded.members[1]}")
    try:
        for page in (presenter, follower, reader):
            await page.goto(f"{server.base}/meetings/1")
        await projector.goto(f"{server.base}/meetings/1/projector")
        for page in (presenter, follower, reader, projector):
            await expect(page.locator("body")).to_have_attribute("data-live", "connected")
            await expect(page.locator("#stage")).to_be_hidden()

        # The secretariat presents from its room page; every device opens page 1.
        await presenter.locator(".present-form button").click()
        for page in (presenter, follower, reader, projector):
            await _on_page(page, 1)
        # On the projector the page takes the floor's place, most of the screen.
        await expect(projector.locator("#floor")).to_be_hidden()
        box = await projector.locator("#stage canvas").bounding_box()
        assert box is not None and box["height"] > 720 * 0.6, box

        # The presenter turns the page in the viewer: the room follows.
        await presenter.locator("#stage [data-viewer=next]").click()
        await presenter.locator("#stage [data-viewer=next]").click()
        for page in (presenter, follower, reader, projector):
            await _on_page(page, 3)
        assert state(secretariat)["presenting"]["page"] == 3

        # A member reads ahead: they stop following, and a quiet banner says so.
        await reader.locator("#stage [data-viewer=next]").click()
        await _on_page(reader, 4)
        banner = reader.locator(".follow-banner")
        await expect(banner).to_be_visible()
        await expect(banner.get_by_role("button")).to_have_text("発表者のページに戻る")
        await expect(follower.locator(".follow-banner")).to_be_hidden()

        act(secretariat, 1, "material.present", version_id=version_id, page=7)
        for page in (presenter, follower, projector):
            await _on_page(page, 7)
        await reader.wait_for_timeout(300)
        await _on_page(reader, 4)  # still where they were reading

        # One tap: back on the presenter's page, following again.
        await banner.get_by_role("button").click()
        await _on_page(reader, 7)
        await expect(banner).to_be_hidden()
        act(secretariat, 1, "material.present", version_id=version_id, page=8)
        await _on_page(reader, 8)

        # A device that joins lands on the presented page.
        late_context, late = await open_as(browser, server, seeded, "member", "en")
        devices.append((late_context, late))
        await late.goto(f"{server.base}/meetings/1")
        await _on_page(late, 8)

        # A device that reconnects lands on the presented page, even one that had left it.
        await reader.locator("#stage [data-viewer=prev]").click()
        await _on_page(reader, 7)
        await expect(banner).to_be_visible()
        server.stop()
        await expect(reader.locator("body")).not_to_have_attribute("data-live", "connected")
        server.start()
        for page in (reader, follower, projector, late):
            await expect(page.locator("body")).to_have_attribute(
                "data-live", "connected", timeout=20_000
            )
            await _on_page(page, 8)
        await expect(banner).to_be_hidden()

        # The presentation ends: the stage goes away everywhere.
        act(api(server, seeded.secretariat), 1, "material.present_stop")
        for page in (follower, reader, projector):
            await expect(page.locator("#stage")).to_be_hidden()
    finally:
        for context, _page in devices:
            await context.close()
        await reader_context.close()


async def test_the_viewer_and_the_stage_pass_axe(
    browser: Browser, server: Server, seeded: Seeded
) -> None:
    """axe-core (WCAG 2.x A/AA) on the material page's viewer with its note and opinion
    forms, and on the room pages while a page is presented: no serious or critical issue."""
    from tests.browser.test_accessibility import AXE, TAGS

    secretariat = api(server, seeded.secretariat)
    response = upload(secretariat, "資料1.pdf", pdf(4), "application/pdf", item_id=1)
    material_id, version_id = response.json()["material_id"], response.json()["version_id"]
    act(secretariat, 1, "material.present", version_id=version_id, page=2)
    script = (AXE).read_text(encoding="utf-8")
    failures = []
    for role, path in (
        ("member", f"/meetings/1/materials/{material_id}"),
        ("member", "/meetings/1"),
        ("secretariat", "/meetings/1"),
        ("observer", "/meetings/1/projector"),
    ):
        context, page = await open_as(browser, server, seeded, role, "ja", bypass_csp=True)
        try:
            await page.goto(server.base + path)
            viewer = page.locator("[data-pdf-viewer]")
            await expect(viewer).to_have_attribute("data-state", "shown", timeout=20_000)
            if role == "member" and path == "/meetings/1":
                await page.locator("#stage [data-viewer=next]").click()  # the banner shows
                await expect(page.locator(".follow-banner")).to_be_visible()
            await page.add_script_tag(content=script)
            result = await page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
            )
            failures += [
                (path, role, v["id"], v["nodes"][0]["target"])
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
        finally:
            await context.close()
    assert failures == []
