"""The sign-in sheet as Chromium renders it: the secretariat prints it from the roster page,
and each QR code, photographed from the page, reads back as that person's new link, which
signs a fresh tablet in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.async_api import Browser, expect

from tests.support import Seeded, Server

pytestmark = pytest.mark.asyncio


async def test_each_printed_code_reads_back_as_its_link(
    browser: Browser, server: Server, seeded: Seeded, artifacts: Path
) -> None:
    context = await browser.new_context(locale="ja-JP")
    page = await context.new_page()
    await page.goto(f"{server.base}/join/{seeded.secretariat}")
    await page.goto(f"{server.base}/bodies/1")
    await page.get_by_role("button", name="サインイン用紙を印刷").click()
    await expect(page.get_by_role("status")).to_contain_text("以前のリンクは使えなくなりました")
    sheets = page.locator("section.sheet")
    count = await sheets.count()
    assert count > 30
    await page.pdf(path=str(artifacts / "sign-in-sheet.pdf"), format="A4")
    for index in (0, 1, count - 1):
        sheet = sheets.nth(index)
        printed = (await sheet.locator(".sheet-url").inner_text()).strip()
        shot = await sheet.locator(".sheet-qr svg").screenshot()
        [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
        assert code.format == zxingcpp.BarcodeFormat.QRCode
        assert code.text == printed
    # The code's link signs a new tablet in.
    tablet = await browser.new_context(locale="ja-JP")
    member_page = await tablet.new_page()
    link = (await sheets.nth(1).locator(".sheet-url").inner_text()).strip()
    response = await member_page.goto(link)
    assert response is not None and response.ok
    await context.close()
    await tablet.close()
