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
