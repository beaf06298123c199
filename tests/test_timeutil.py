"""The board's clock and zone are settings, not the machine's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from board import timeutil
from board.config import Settings
from board.timeutil import Clock


@pytest.fixture(autouse=True)
def restore_clock() -> Iterator[None]:
    before = timeutil.clock()
    yield
    timeutil.configure(before)


def test_the_zone_and_the_start_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {"BOARD_TIMEZONE": "Asia/Tokyo", "BOARD_CLOCK_START": "2027-02-15T08:00:00+09:00"}
    )
    timeutil.configure(settings.clock())
    now = timeutil.now()
    # Tokyo's morning is the evening before in UTC: the board's day is Tokyo's.
    assert now.astimezone(UTC).date().isoformat() == "2027-02-14"
    assert timeutil.local(now).date().isoformat() == "2027-02-15"
    assert abs((now - datetime(2027, 2, 14, 23, 0, tzinfo=UTC)).total_seconds()) < 5


def test_a_started_clock_runs_on() -> None:
    clock = Clock.of("Asia/Tokyo", datetime(2027, 1, 1, 0, 0))
    first = clock.now()
    assert first.tzinfo is UTC
    assert clock.now() >= first
    assert timeutil.iso(first).startswith("2026-12-31T15:00")


def test_without_a_start_the_clock_is_the_real_one() -> None:
    timeutil.configure(Settings.from_env({}).clock())
    assert abs((timeutil.now() - datetime.now(UTC)).total_seconds()) < 1
    assert str(timeutil.zone()) == "Asia/Tokyo"


def test_bad_clock_settings_are_refused_with_the_variable_named() -> None:
    with pytest.raises(ValueError, match="BOARD_TIMEZONE"):
        Settings.from_env({"BOARD_TIMEZONE": "Mars/Olympus"})
    with pytest.raises(ValueError, match="BOARD_CLOCK_START"):
        Settings.from_env({"BOARD_CLOCK_START": "tomorrow"})
