"""The search language: AND by spaces, OR, -exclusions and "phrases"."""

from __future__ import annotations

from board.search.query import MAX_TERMS, Query, parse


def test_words_phrases_or_and_not() -> None:
    query = parse('人材 ５Ｇ OR ｶﾞｽ -"予算 案" "デジタル 人材')
    assert query.groups == (("人材",), ("5g", "ガス"), ("デジタル 人材",))
    assert query.excluded == ("予算 案",)
    assert query.terms == ("人材", "5g", "ガス", "デジタル 人材")


def test_meaning_on_a_text() -> None:
    query = parse("人材 OR 予算 -防災")
    assert query.matches("人材の育成")
    assert query.matches("予算案")
    assert not query.matches("人材と防災")
    assert not query.matches("教育")


def test_a_query_of_exclusions_or_noise_finds_nothing() -> None:
    assert not parse("-人材")
    assert not parse("OR")
    assert not parse('"  "')
    assert parse("OR 人材") == Query((("人材",),))


def test_the_number_of_terms_is_bounded() -> None:
    query = parse(" ".join(f"w{n}" for n in range(MAX_TERMS + 5)))
    assert len(query.terms) == MAX_TERMS
