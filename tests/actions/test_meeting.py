"""The meeting itself through the real server: the day it is held (issue 12, point 6)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from tests.minutes.driven import ok
from tests.support import Seeded, Server, act, api, peek


@pytest.fixture
def later(seeded: Seeded) -> date:
    """Two days after the demo meeting's scheduled date, read from the store (not the
    machine's clock or zone)."""
    (scheduled,) = peek(seeded.db_path, "SELECT date FROM meetings WHERE id = 1")
    return date.fromisoformat(str(scheduled)) + timedelta(days=2)


@pytest.fixture
def server(seeded: Seeded, later: date) -> Iterator[Server]:
    """The board's clock runs two days after the scheduled date, at 10:00 in Tokyo."""
    env = {"BOARD_TIMEZONE": "Asia/Tokyo", "BOARD_CLOCK_START": f"{later}T10:00:00+09:00"}
    running = Server(seeded.db_path, env=env).start()
    try:
        yield running
    finally:
        running.stop()


def test_starting_on_another_day_is_confirmed_and_the_minutes_take_that_day(
    server: Server, seeded: Seeded, later: date
) -> None:
    chair = api(server, seeded.chair)
    scheduled = ok(chair.get("/api/meetings/1/state"))["meeting"]["date"]
    assert scheduled != later.isoformat()
    page = chair.get("/meetings/1")
    assert 'data-start-date="other"' in page.text and 'name="date_confirmed"' in page.text

    refused = act(chair, 1, "meeting.start")
    assert refused.status_code == 409 and refused.json()["error"] == "conflict"
    assert scheduled in refused.json()["message"] and later.isoformat() in refused.json()["message"]
    assert ok(chair.get("/api/meetings/1/state"))["meeting"]["status"] == "published"

    ok(act(chair, 1, "meeting.start", date_confirmed=True))
    ok(act(chair, 1, "meeting.adjourn"))
    document = ok(api(server, seeded.secretariat).get("/api/meetings/1/minutes"))["document"]
    assert document["meeting"]["date"] == later.isoformat()
    assert document["meeting"]["opened"].startswith("10:")
    text = api(server, seeded.secretariat).get("/meetings/1/minutes.txt").text
    assert f"{later.month}月{later.day}日" in text


def test_on_the_scheduled_day_the_chair_just_starts(seeded: Seeded) -> None:
    running = Server(seeded.db_path).start()
    try:
        chair = api(running, seeded.chair)
        assert 'data-start-date="other"' not in chair.get("/meetings/1").text
        ok(act(chair, 1, "meeting.start"))
    finally:
        running.stop()
