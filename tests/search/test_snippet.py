"""Snippets: hits found in the normalised text, marked on the original, all escaped."""

from __future__ import annotations

from board.search.snippet import excerpt


def test_full_width_text_is_marked_as_written() -> None:
    html = str(excerpt("本日は５Ｇとｶﾞｽの話 <b>", ("5g", "ガス")))
    assert html == "本日は<mark>５Ｇ</mark>と<mark>ｶﾞｽ</mark>の話 &lt;b&gt;"


def test_a_window_around_the_first_hit() -> None:
    text = "あ" * 100 + "人材" + "い" * 100
    html = str(excerpt(text, ("人材",)))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>人材</mark>" in html and len(html) < 120


def test_overlapping_hits_are_one_mark() -> None:
    assert str(excerpt("人材育成", ("人材", "材育"))) == "<mark>人材育</mark>成"
