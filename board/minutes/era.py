"""Dates and times as Japanese minutes write them.

Dates are stored as ISO 8601 and shown in the Japanese era by default (令和8年11月26日（木）,
元年 for an era's first year), or in the Western calendar on request (2026年11月26日（木）).
Clock times are shown as 午前/午後 with hours 0 to 11 (正午 is 午後0時00分).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class Calendar(StrEnum):
    JAPANESE = "japanese"
    WESTERN = "western"


# (first day, name): the eras a municipal record may need, newest first.
ERAS = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)
WEEKDAYS = "月火水木金土日"


def era_year(day: date) -> tuple[str, int] | None:
    """The era and the year within it, or None before the eras known here."""
    for first, name in ERAS:
        if day >= first:
            return name, day.year - first.year + 1
    return None


def year_text(day: date, calendar: Calendar = Calendar.JAPANESE) -> str:
    found = era_year(day) if calendar is Calendar.JAPANESE else None
    if found is None:
        return f"{day.year}年"
    name, year = found
    return f"{name}{'元' if year == 1 else year}年"


def date_text(day: date, calendar: Calendar = Calendar.JAPANESE, *, weekday: bool = True) -> str:
    """令和8年11月26日（木）, or without the weekday."""
    text = f"{year_text(day, calendar)}{day.month}月{day.day}日"
    return f"{text}（{WEEKDAYS[day.weekday()]}）" if weekday else text


def iso_date_text(
    value: str, calendar: Calendar = Calendar.JAPANESE, *, weekday: bool = True
) -> str:
    return date_text(date.fromisoformat(value[:10]), calendar, weekday=weekday)


def clock_text(hhmm: str) -> str:
    """'14:05' -> '午後2時05分'; '12:00' -> '午後0時00分'; '00:30' -> '午前0時30分'."""
    hours, minutes = (int(part) for part in hhmm.split(":")[:2])
    half = "午前" if hours < 12 else "午後"
    return f"{half}{hours % 12}時{minutes:02d}分"


def span_text(opened: str, closed: str) -> str:
    """'14:00', '15:30' -> '午後2時00分～午後3時30分' (either end may be unknown)."""
    if not opened:
        return ""
    return clock_text(opened) + (f"～{clock_text(closed)}" if closed else "")


def fiscal_year(day: date) -> int:
    """The Japanese fiscal year (年度) a day falls in: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_text(year: int, calendar: Calendar = Calendar.JAPANESE) -> str:
    """令和8年度 for the fiscal year starting in April 2026. A fiscal year takes the name of
    the era in force for most of it, as usage has it: April 2019 to March 2020 is 令和元年度."""
    return year_text(date(year, 5, 1), calendar)[:-1] + "年度"
