"""Time in one place: stored as ISO 8601 with offset, compared as datetimes."""

from __future__ import annotations

from datetime import UTC, datetime


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
    moment = parse(text).astimezone()
    return f"{moment.month}/{moment.day} {moment:%H:%M}"
