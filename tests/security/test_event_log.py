"""The event log says what happened, not what was written where that is private: no
opinion text (withdrawn, edited or answered) and, for members, no reason for removing or
merging a statement."""

from __future__ import annotations

import json

from board.actions import log_access
from board.models import Role
from tests.minutes.driven import drive, ok
from tests.support import Seeded, Server, act, api, events, state


def test_opinion_texts_are_not_in_the_log(server: Server, seeded: Seeded) -> None:
    author, reader = api(server, seeded.members[0]), api(server, seeded.members[1])
    secretariat, chair = api(server, seeded.secretariat), api(server, seeded.chair)
    item = state(author)["items"][1]["id"]
    kept = ok(act(author, 1, "opinion.write", item_id=item, stance="concern", text="最初の本文"))
    ok(act(author, 1, "opinion.edit", opinion_id=kept["opinion_id"], text="直した本文"))
    gone = ok(
        act(author, 1, "opinion.write", item_id=item, stance="question", text="取り下げる本文")
    )
    ok(act(author, 1, "opinion.withdraw", opinion_id=gone["opinion_id"]))
    ok(act(secretariat, 1, "opinion.answer", opinion_id=kept["opinion_id"], answer="書面の回答"))
    for client in (reader, author, secretariat, chair):
        logged = json.dumps(events(client), ensure_ascii=False)
        for text in ("最初の本文", "直した本文", "取り下げる本文", "書面の回答"):
            assert text not in logged
    # What happened is there: which opinion, and which fields changed.
    by_action = {e["action"]: e["payload"] for e in events(reader)}
    assert by_action["opinion.edit"] == {
        "opinion_id": kept["opinion_id"],
        "item_id": item,
        "fields": ["text"],
    }
    assert by_action["opinion.withdraw"]["opinion_id"] == gone["opinion_id"]
    assert by_action["opinion.answer"] == {"opinion_id": kept["opinion_id"], "fields": ["answer"]}


def test_reasons_for_removing_and_merging_are_for_staff(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    second = [s for s in meeting.statements() if s["item_id"] == meeting.items[1]]
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.remove",
            statement_id=second[0]["id"],
            reason="私的な発言",
        )
    )
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.merge",
            statement_id=second[2]["id"],
            into_id=second[1]["id"],
            reason="同一人物の続きの発言",
        )
    )
    member_log = json.dumps(events(meeting.members[0]), ensure_ascii=False)
    assert "私的な発言" not in member_log and "同一人物の続きの発言" not in member_log
    removed = [e for e in events(meeting.members[0]) if e["action"] == "minutes.remove"]
    assert removed[-1]["payload"] == {"statement_id": second[0]["id"]}
    for staff in (meeting.secretariat, meeting.chair):
        staff_log = json.dumps(events(staff), ensure_ascii=False)
        assert "私的な発言" in staff_log and "同一人物の続きの発言" in staff_log
    assert meeting.observer.get("/api/meetings/1/events").status_code == 403


def test_texts_logged_before_are_read_without_them() -> None:
    """Events written before the opinion actions stopped logging texts."""
    legacy = {"opinion_id": 3, "item_id": 2, "stance": "concern", "text": "古い本文"}
    for role in (Role.MEMBER, Role.SECRETARIAT, Role.CHAIR):
        read = log_access.readable(role, "opinion.write", legacy)
        assert read == {"opinion_id": 3, "item_id": 2, "stance": "concern"}
    answered = {"opinion_id": 3, "answer": "古い回答"}
    assert log_access.readable(Role.MEMBER, "opinion.answer", answered) == {"opinion_id": 3}
    reason = {"statement_id": 1, "reason": "理由"}
    assert log_access.readable(Role.MEMBER, "minutes.remove", reason) == {"statement_id": 1}
    assert log_access.readable(Role.CHAIR, "minutes.remove", reason) == reason
