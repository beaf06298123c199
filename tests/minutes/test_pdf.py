"""The approved minutes as a PDF from a real server: the text read back out of the file is
the text export line for line, the Japanese font is embedded, title and language are in the
metadata, both copies and both hashes are there."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from tests.minutes.driven import ok
from tests.support import Seeded, Server, act
from tests.views.test_minutes_document import CLOCK_START, write_known_meeting

PAGE_NUMBER = re.compile(r"^- (\d+) / (\d+) -$")


@pytest.fixture
def server(seeded: Seeded) -> Iterator[Server]:
    """The board's clock on the meeting's own day: it is started that day, as held."""
    running = Server(
        seeded.db_path, env={"BOARD_TIMEZONE": "Asia/Tokyo", "BOARD_CLOCK_START": CLOCK_START}
    ).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def approved(server: Server, seeded: Seeded) -> dict[str, Any]:
    clients = write_known_meeting(server, seeded)
    ok(act(clients["secretariat"], 1, "minutes.submit"))
    return {**clients, **ok(act(clients["chair"], 1, "minutes.approve"))}


def extracted_lines(reader: PdfReader) -> tuple[list[str], list[tuple[int, int]]]:
    """Every line of text in the file, page numbers set apart."""
    lines, numbers = [], []
    for page in reader.pages:
        for line in page.extract_text().splitlines():
            found = PAGE_NUMBER.match(line.strip())
            if found:
                numbers.append((int(found.group(1)), int(found.group(2))))
            elif line.strip():
                lines.append(line)
    return lines, numbers


def assert_same_lines(pdf_lines: list[str], text: str) -> None:
    """Each non-empty line of the text export is one paragraph of the PDF: the lines read
    out of the file, taken in order and joined where the margin wrapped them (a space the
    line broke at is not drawn), give exactly the export's lines."""
    remaining = iter(pdf_lines)
    for expected in (line for line in text.splitlines() if line.strip()):
        got = next(remaining)
        while got != expected:
            assert expected.startswith(got), (expected, got)
            broke_at_space = expected[len(got)] == " "
            got += (" " if broke_at_space else "") + next(remaining)
    assert next(remaining, None) is None


@pytest.mark.parametrize("copy", ["original", "public"])
def test_the_pdf_reads_back_as_the_text_export(approved: dict[str, Any], copy: str) -> None:
    secretariat = approved["secretariat"]
    query = {"copy": copy}
    response = secretariat.get("/meetings/1/minutes.pdf", params=query)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    data = response.content
    assert response.headers["x-pdf-sha256"] == hashlib.sha256(data).hexdigest()
    sha = approved["sha256"] if copy == "original" else approved["public_sha256"]
    assert response.headers["x-minutes-sha256"] == sha
    text = secretariat.get("/meetings/1/minutes.txt", params=query).text
    assert f"SHA-256　{sha}" in text

    reader = PdfReader(io.BytesIO(data))
    lines, numbers = extracted_lines(reader)
    assert_same_lines(lines, text)
    pages = len(reader.pages)
    assert numbers == [(n, pages) for n in range(1, pages + 1)]
    # A4, title and language in the metadata.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata is not None and reader.metadata.title == text.splitlines()[0]
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    # The fonts are embedded (subsets of Noto Sans JP), none left to the viewer.
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                fonts[str(descriptor["/FontName"])] = "/FontFile2" in descriptor
    assert fonts and all(fonts.values()), fonts
    assert all("NotoSansJP" in name for name in fonts)
    # The same revision gives the same bytes.
    again = secretariat.get("/meetings/1/minutes.pdf", params=query)
    assert again.headers["x-pdf-sha256"] == response.headers["x-pdf-sha256"]


def test_no_pdf_of_a_draft(server: Server, seeded: Seeded) -> None:
    clients = write_known_meeting(server, seeded)
    response = clients["secretariat"].get("/meetings/1/minutes.pdf", params={"draft": "1"})
    assert response.status_code in (404, 409), response.text


def test_the_document_page_links_its_pdf(approved: dict[str, Any]) -> None:
    page = approved["secretariat"].get("/meetings/1/minutes/document").text
    assert 'href="/meetings/1/minutes.pdf?revision=1&amp;copy=original">PDF</a>' in page
