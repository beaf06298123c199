"""What a file claims by its name, and what its first bytes say it is."""

from __future__ import annotations

import pytest

from board.actions.errors import Invalid
from board.blobs import claimed_type, clean_filename, sniff


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00", "png"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"MZ\x90\x00", "executable"),
        (b"\x7fELF\x02", "executable"),
        (b"PK\x03\x04", "zip"),
        (b"  <!DOCTYPE html><html>", "html"),
        (b"\xef\xbb\xbf<html>", "html"),
        (b"<svg xmlns=", "html"),
        ("# 見出し".encode(), None),
    ],
)
def test_sniff(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


def test_claimed_type() -> None:
    assert claimed_type("資料.PDF", "application/pdf") == "application/pdf"
    assert claimed_type("写真.jpeg", "") == "image/jpeg"
    assert claimed_type("メモ.md", "text/plain") == "text/markdown; charset=utf-8"
    with pytest.raises(Invalid, match="only PDF"):
        claimed_type("表.xlsx", "application/octet-stream")
    with pytest.raises(Invalid, match="sent as image/png"):
        claimed_type("資料.pdf", "image/png")


def test_clean_filename_keeps_any_script_and_drops_paths() -> None:
    assert clean_filename("C:\\Users\\髙橋\\資料 第2版.pdf") == "資料 第2版.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("bad\x00\nname.txt") == "badname.txt"
    assert clean_filename("") == "file"
    long = clean_filename("あ" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
