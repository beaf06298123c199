"""Time in one place: stored as ISO 8601 with offset, compared as datetimes.

The board's clock and time zone are settings (``BOARD_TIMEZONE``, ``BOARD_CLOCK_START``),
installed once at start-up with :func:`configure`; a test sets them the same way, so
nothing here depends on the machine's own zone."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Tokyo"


@dataclass(frozen=True, slots=True)
class Clock:
    """The board's zone and its notion of now. With ``start`` set, the clock begins at that
    moment when configured and then runs at real speed (a test pins "today" this way)."""

    zone: tzinfo
    start: datetime | None = None
    _offset: float = 0.0

    @classmethod
    def of(cls, zone_name: str = DEFAULT_ZONE, start: datetime | None = None) -> Clock:
        zone = ZoneInfo(zone_name)
        if start is None:
            return cls(zone)
        if start.tzinfo is None:
            start = start.replace(tzinfo=zone)
        return cls(zone, start, start.timestamp() - time.time())

    def now(self) -> datetime:
        if self.start is None:
            return datetime.now(UTC)
        return datetime.fromtimestamp(time.time() + self._offset, UTC)


_clock = Clock.of()


def configure(clock: Clock) -> None:
    """Install the board's clock and zone (the app does it from its settings)."""
    global _clock
    _clock = clock


def clock() -> Clock:
    return _clock


def zone() -> tzinfo:
    """The board's local time zone: pages, minutes and typed-in times use it, whatever
    the server's own clock is set to."""
    return _clock.zone


def local(moment: datetime) -> datetime:
    """An aware time in the board's zone; a naive one is taken to be in that zone."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone())
    return moment.astimezone(zone())


def now() -> datetime:
    return _clock.now()


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def now_iso() -> str:
    return iso(now())


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def epoch_ms(text: str) -> int:
    return int(parse(text).timestamp() * 1000)


def today() -> str:
    """The board's local date, ISO (2026-11-26): what "today" is for a meeting's date."""
    return local(now()).date().isoformat()


def local_iso(text: str | None) -> str:
    """A stored instant as the board's local time with its offset, to the second
    (2026-11-26T14:03:05+09:00), as the CSV exports print it; nothing gives ""."""
    if not text:
        return ""
    return local(parse(text)).isoformat(timespec="seconds")


def month_day_time(text: str) -> str:
    """A stored time as the local month, day and minute: 4/15 17:05."""
    moment = local(parse(text))
    return f"{moment.month}/{moment.day} {moment:%H:%M}"
