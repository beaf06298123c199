"""The meeting report of a driven meeting, against the same figures worked out here by
hand from the event log."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

import pytest

from tests.minutes.driven import drive, ok
from tests.support import Seeded, Server, act, events


def _seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def test_the_report_figures_equal_the_ones_worked_out_by_hand(
    server: Server, seeded: Seeded
) -> None:
    meeting = drive(server, seeded)
    # An explanation the secretariat records with its times counts as its speaking time.
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.add",
            item_id=meeting.items[1],
            speaker_role="secretariat",
            started_at="2026-11-26T05:00:00+00:00",
            ended_at="2026-11-26T05:02:30+00:00",
            text="資料の説明",
        )
    )
    log = events(meeting.chair)

    # By hand: the meeting, each item while current, each speech by its speaker's role.
    start = next(e for e in log if e["action"] == "meeting.start")
    adjourn = next(e for e in log if e["action"] == "meeting.adjourn")
    meeting_seconds = _seconds(start["at"], adjourn["at"])
    moves = [e for e in log if e["action"] in ("meeting.start", "agenda.next", "meeting.adjourn")]
    per_item: dict[int, float] = {}
    for here, after in pairwise(moves):
        item = here["payload"]["item_id"]
        per_item[item] = per_item.get(item, 0.0) + _seconds(here["at"], after["at"])
    role_of = {request_id: role for request_id, _, role in meeting.speeches}
    spoken = {"chair": 0.0, "secretariat": 150.0, "member": 0.0}
    for e in log:
        ended = e["payload"] if e["action"] == "floor.end" else e["payload"].get("ended_speech")
        if e["action"] in ("floor.end", "meeting.adjourn") and ended:
            spoken[role_of[ended["request_id"]]] += _seconds(ended["started_at"], ended["ended_at"])

    report = ok(meeting.secretariat.get("/meetings/1/minutes/report.json"))
    assert report["meeting_seconds"] == pytest.approx(meeting_seconds, abs=0.001)
    items = {item["item_id"]: item for item in report["items"]}
    assert len(items) == 4
    for item_id, seconds in per_item.items():
        assert items[item_id]["actual_seconds"] == pytest.approx(seconds, abs=0.001)
    unreached = [item for item in report["items"] if item["item_id"] not in per_item]
    assert [item["actual_seconds"] for item in unreached] == [0.0]
    assert items[meeting.items[1]]["planned_minutes"] == 20
    assert items[meeting.items[1]]["difference_seconds"] == pytest.approx(
        per_item[meeting.items[1]] - 1200, abs=0.001
    )
    for role, seconds in spoken.items():
        assert report["speaking_seconds"][role] == pytest.approx(seconds, abs=0.001), role
    assert report["share"]["members"] == pytest.approx(
        spoken["member"] / meeting_seconds, abs=0.001
    )
    assert report["share"]["chair_and_secretariat"] == pytest.approx(
        (spoken["chair"] + spoken["secretariat"]) / meeting_seconds, abs=0.001
    )
    assert report["members_spoke"] == 5
    assert report["members_present"] == 5
    assert report["members_total"] == 30
    assert report["statements"] == 7
    # Read-ahead and written opinions are not recorded on this board yet.
    assert report["materials_read_before"] is None
    assert report["opinions_raised"] is None

    page = meeting.secretariat.get("/meetings/1/minutes/report")
    assert page.status_code == 200 and 'data-figure="members_spoke"' in page.text
    assert meeting.members[0].get("/meetings/1/minutes/report.json").status_code == 200
