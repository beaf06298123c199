"""One normalisation for the index and the query, and the way back to the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from board.search.normalize import bigrams, fold, gram_term, grams, normalize, unigrams


def test_width_and_case_fold_like_people_type() -> None:
    assert normalize("５Ｇ") == normalize("5G") == "5g"
    assert normalize("ｶﾀｶﾅ") == "カタカナ"
    assert normalize("ｶﾞｽ") == "ガス"  # the half-width voiced mark joins its kana
    assert normalize("ＡＢＣ　ｄｅｆ") == "abc def"  # the ideographic space is a space
    assert normalize("髙𠮷") == "髙𠮷"  # rare kanji stay as they are


def test_grams_are_each_character_and_bigram_once() -> None:
    assert bigrams("人材, 育成 人材") == ["人材", "育成"]  # ASCII punctuation and spaces are not
    assert bigrams("材、育") == ["、育", "材、"]  # Japanese punctuation is indexed
    assert grams("予算予算") == ["予", "算", "予算", "算予"]
    assert unigrams("予算予算") == ["予", "算"]
    assert gram_term("人材") and gram_term("5g") and not gram_term("5.g") and not gram_term("")


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_every_normalised_character_points_into_the_original(text: str) -> None:
    folded = fold(text)
    assert folded.text == normalize(text)
    for index in range(len(folded.text)):
        start, end = folded.original_span(index, index + 1)
        assert 0 <= start < end <= len(text)
        assert normalize(text[start:end]).find(folded.text[index]) >= 0
