"""The meeting report of a driven meeting, against the same figures worked out here by
hand from the event log."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

import pytest

from tests.minutes.driven import drive, ok
from tests.prep_support import PDF, upload
from tests.support import Seeded, Server, act, api, events


def _seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def test_the_report_figures_equal_the_ones_worked_out_by_hand(
    server: Server, seeded: Seeded
) -> None:
    # Before the meeting: one material on item 2, opened by two members ahead of time;
    # three opinions on item 4: one put in the queue, one marked to raise, one noted.
    secretariat = api(server, seeded.secretariat)
    version = ok(upload(secretariat, "資料1.pdf", PDF, "application/pdf", item_id=2))["version_id"]
    readers = [api(server, token) for token in seeded.members[:2]]
    for reader in readers:
        assert reader.get(f"/meetings/1/files/{version}").status_code == 200
    written = [
        ok(act(api(server, token), 1, "opinion.write", item_id=4, stance="concern", text=text))
        for token, text in zip(seeded.members[2:5], ("意見A", "意見B", "意見C"), strict=True)
    ]
    ok(act(api(server, seeded.chair), 1, "opinion.to_queue", opinion_id=written[0]["opinion_id"]))
    ok(act(secretariat, 1, "opinion.triage", opinion_id=written[1]["opinion_id"], triage="raise"))
    ok(act(secretariat, 1, "opinion.triage", opinion_id=written[2]["opinion_id"], triage="noted"))

    meeting = drive(server, seeded)
    # Opened after the start: does not count as read ahead.
    assert api(server, seeded.members[2]).get(f"/meetings/1/files/{version}").status_code == 200
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
    # By hand: two members opened every material before the start; two of the three
    # written opinions reached the floor (one queued by the chair, one marked to raise).
    assert report["materials_read_before"] == 2
    assert report["opinions_raised"] == 2

    page = meeting.secretariat.get("/meetings/1/minutes/report")
    assert page.status_code == 200 and 'data-figure="members_spoke"' in page.text
    assert meeting.members[0].get("/meetings/1/minutes/report.json").status_code == 200
