"""Every marked string has a translation in both catalogs."""

from __future__ import annotations

from board import catalog, i18n


def test_no_string_is_missing_from_either_catalog() -> None:
    assert catalog.missing() == {"ja": [], "en": []}


def test_japanese_is_the_default_and_the_browser_chooses() -> None:
    assert i18n.negotiate(None, None) == "ja"
    assert i18n.negotiate(None, "en-US,en;q=0.9") == "en"
    assert i18n.negotiate(None, "fr-FR, en;q=0.5, ja;q=0.8") == "ja"
    assert i18n.negotiate("en", "ja") == "en"
    assert i18n.negotiate("xx", "de") == "ja"


def test_dates_follow_the_language() -> None:
    from board.render import local_date

    assert local_date("2026-11-26", "ja") == "令和8年11月26日（木）"
    assert local_date("2019-05-01", "ja") == "令和元年5月1日（水）"
    assert local_date("2026-11-26", "en") == "Thu 26 Nov 2026"
