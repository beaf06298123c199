"""Time in one place: stored as ISO 8601 with offset, compared as datetimes."""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Tokyo"


@cache
def zone() -> tzinfo:
    """The board's local time zone (BOARD_TIMEZONE, Japan by default): pages, minutes and
    typed-in times use it, whatever the server's own clock is set to."""
    return ZoneInfo(os.environ.get("BOARD_TIMEZONE") or DEFAULT_ZONE)


def local(moment: datetime) -> datetime:
    """An aware time in the board's zone; a naive one is taken to be in that zone."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone())
    return moment.astimezone(zone())


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def now_iso() -> str:
    return iso(now())


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def epoch_ms(text: str) -> int:
    return int(parse(text).timestamp() * 1000)


def month_day_time(text: str) -> str:
    """A stored time as the local month, day and minute: 4/15 17:05."""
    moment = local(parse(text))
    return f"{moment.month}/{moment.day} {moment:%H:%M}"
