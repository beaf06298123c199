"""Japanese era dates and clock times, as the minutes write them."""

from __future__ import annotations

from datetime import date

import pytest

from board.minutes.era import (
    Calendar,
    clock_text,
    date_text,
    fiscal_year,
    fiscal_year_text,
    span_text,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 26), "令和8年11月26日（木）"),
        (date(2019, 5, 1), "令和元年5月1日（水）"),
        (date(2019, 4, 30), "平成31年4月30日（火）"),
        (date(1989, 1, 8), "平成元年1月8日（日）"),
        (date(1989, 1, 7), "昭和64年1月7日（土）"),
        (date(2020, 1, 1), "令和2年1月1日（水）"),
    ],
)
def test_the_japanese_era_with_weekday(day: date, expected: str) -> None:
    assert date_text(day) == expected


def test_the_western_year_on_request() -> None:
    assert date_text(date(2026, 11, 26), Calendar.WESTERN) == "2026年11月26日（木）"
    assert date_text(date(2027, 3, 31), weekday=False) == "令和9年3月31日"


@pytest.mark.parametrize(
    ("hhmm", "expected"),
    [
        ("14:00", "午後2時00分"),
        ("09:05", "午前9時05分"),
        ("12:00", "午後0時00分"),
        ("00:30", "午前0時30分"),
        ("23:59", "午後11時59分"),
    ],
)
def test_clock_times(hhmm: str, expected: str) -> None:
    assert clock_text(hhmm) == expected


def test_a_span_and_an_open_end() -> None:
    assert span_text("14:00", "15:30") == "午後2時00分～午後3時30分"
    assert span_text("14:00", "") == "午後2時00分"
    assert span_text("", "") == ""


def test_fiscal_years() -> None:
    assert fiscal_year(date(2027, 3, 31)) == 2026
    assert fiscal_year(date(2026, 4, 1)) == 2026
    assert fiscal_year_text(2026) == "令和8年度"
    assert fiscal_year_text(2019) == "令和元年度"
    assert fiscal_year_text(2018) == "平成30年度"
