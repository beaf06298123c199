"""The minutes through the JSON API: drafted from the floor, edited by the secretariat,
approved by the chair, frozen, corrected only by a new revision."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

from tests.minutes.driven import Driven, drive, ok, speech_times
from tests.support import Seeded, Server, act, api, events

EXPORTS = ("json", "md", "txt", "csv", "html")


def test_a_driven_meeting_drafts_one_entry_per_speech_in_floor_order(
    server: Server, seeded: Seeded
) -> None:
    meeting = drive(server, seeded)
    statements = meeting.statements()
    assert len(statements) == 6
    times = speech_times(meeting.chair)
    member_names = [name for name, _ in seeded.links["member"][:5]]
    # Floor order: member 0 on item 1; the point of order (member 3) ahead of members 1
    # and 2 on item 2; member 4, then the secretariat on item 3.
    expected_speakers = [
        member_names[0],
        member_names[3],
        member_names[1],
        member_names[2],
        member_names[4],
        seeded.links["secretariat"][0][0],
    ]
    assert [s["speaker"] for s in statements] == expected_speakers
    assert [s["order"] for s in statements] == [1, 2, 3, 4, 5, 6]
    assert [s["item_id"] for s in statements] == [item for _, item, _ in meeting.speeches]
    assert [s["item_number"] for s in statements] == ["1", "2", "2", "2", "3", "3"]
    assert [s["speaker_role"] for s in statements] == [role for *_, role in meeting.speeches]
    assert [s["speaker_title"] for s in statements] == ["本部員"] * 5 + ["事務局"]
    assert all(s["source"] == "floor" and s["public"] for s in statements)
    for statement, (request_id, _, _) in zip(statements, meeting.speeches, strict=True):
        started, ended = times[request_id]
        assert (statement["started_at"], statement["ended_at"]) == (started, ended)
        assert ended is not None  # the last one was ended by the adjournment


def test_the_secretariats_summaries_appear_in_every_export(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    summaries = {}
    for index, statement in enumerate(meeting.statements(), start=1):
        summaries[statement["id"]] = f"要点その{index}：発言の趣旨を記録した。"
        ok(
            act(
                meeting.secretariat,
                1,
                "minutes.edit",
                statement_id=statement["id"],
                text=summaries[statement["id"]],
            )
        )
    for fmt in EXPORTS:
        response = meeting.secretariat.get(f"/meetings/1/minutes.{fmt}")
        assert response.status_code == 200, (fmt, response.text)
        for text in summaries.values():
            assert text in response.text, fmt
    rows = list(
        csv.DictReader(io.StringIO(meeting.secretariat.get("/meetings/1/minutes.csv").text))
    )
    assert [row["text"] for row in rows] == list(summaries.values())
    bom = meeting.secretariat.get("/meetings/1/minutes.csv?bom=1")
    assert bom.content.startswith("\ufeff".encode()) and bom.content.count(b"\r\n") == 7


def test_the_secretariat_adds_reorders_merges_and_removes_with_a_reason(
    server: Server, seeded: Seeded
) -> None:
    meeting = drive(server, seeded, adjourn=False)
    secretariat = meeting.secretariat
    first_item = meeting.items[0]
    # The secretariat still has the floor: its entry has no end yet.
    assert meeting.statements()[-1]["ended_at"] is None
    opening = ok(
        act(
            secretariat,
            1,
            "minutes.add",
            item_id=first_item,
            speaker_role="chair",
            text="開会を宣言した。",
            started_at="14:00",
            ended_at="14:01",
        )
    )
    statements = meeting.statements()
    on_first = [s for s in statements if s["item_id"] == first_item]
    assert [s["id"] for s in on_first][-1] == opening["statement_id"]
    assert on_first[-1]["speaker_title"] == "本部長" and on_first[-1]["source"] == "added"
    assert on_first[-1]["started_at"].endswith("+00:00")
    ok(act(secretariat, 1, "minutes.move", statement_id=opening["statement_id"], to=0))
    on_first = [s for s in meeting.statements() if s["item_id"] == first_item]
    assert on_first[0]["id"] == opening["statement_id"]

    second = [s for s in meeting.statements() if s["item_id"] == meeting.items[1]]
    ok(act(secretariat, 1, "minutes.edit", statement_id=second[0]["id"], text="前半"))
    ok(act(secretariat, 1, "minutes.edit", statement_id=second[1]["id"], text="後半"))
    merged = act(
        secretariat,
        1,
        "minutes.merge",
        statement_id=second[1]["id"],
        into_id=second[0]["id"],
        reason="同じ発言の続き",
    )
    ok(merged)
    after = {s["id"]: s for s in meeting.statements()}
    assert second[1]["id"] not in after
    assert after[second[0]["id"]]["text"] == "前半\n後半"
    assert after[second[0]["id"]]["ended_at"] == second[1]["ended_at"]
    # Merging across items is refused.
    third = [s for s in meeting.statements() if s["item_id"] == meeting.items[2]]
    across = act(
        secretariat, 1, "minutes.merge", statement_id=third[0]["id"], into_id=second[0]["id"]
    )
    assert across.status_code == 409

    assert act(secretariat, 1, "minutes.remove", statement_id=third[0]["id"]).status_code == 422
    ok(act(secretariat, 1, "minutes.remove", statement_id=third[0]["id"], reason="重複"))
    assert third[0]["id"] not in {s["id"] for s in meeting.statements()}
    log = [e for e in events(secretariat) if e["action"] == "minutes.remove"]
    assert log[-1]["payload"] == {"statement_id": third[0]["id"], "reason": "重複"}
    page = secretariat.get("/meetings/1/minutes")
    assert "重複" in page.text  # the removed entry is kept with its reason
    ok(act(secretariat, 1, "minutes.restore", statement_id=third[0]["id"]))
    assert third[0]["id"] in {s["id"] for s in meeting.statements()}


def test_the_event_log_never_carries_the_text(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    statement = meeting.statements()[0]
    ok(act(meeting.secretariat, 1, "minutes.edit", statement_id=statement["id"], text="秘密の要点"))
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.disclosure",
            statement_id=statement["id"],
            public=False,
            reason="非公開情報",
        )
    )
    logged = json.dumps(events(meeting.members[0]), ensure_ascii=False)
    assert "秘密の要点" not in logged and "非公開情報" not in logged
    assert '"fields": ["text"]' in json.dumps(events(meeting.members[0]))


def _finalize(meeting: Driven) -> dict[str, Any]:
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    return ok(act(meeting.chair, 1, "minutes.approve"))


def test_finalized_minutes_are_frozen_and_hashed(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    statement = meeting.statements()[0]
    ok(act(meeting.secretariat, 1, "minutes.edit", statement_id=statement["id"], text="確定前"))
    # Only the chair approves, and only a submitted draft.
    assert act(meeting.chair, 1, "minutes.approve").status_code == 409
    assert act(meeting.secretariat, 1, "minutes.approve").status_code == 403
    approved = _finalize(meeting)
    assert approved["revision"] == 1

    exported = meeting.secretariat.get("/meetings/1/minutes.json")
    assert hashlib.sha256(exported.content).hexdigest() == approved["sha256"]
    assert exported.headers["x-minutes-sha256"] == approved["sha256"]
    document = exported.json()
    assert document["status"] == "finalized" and document["revision"] == 1
    assert document["approved_by"] == "本部長 " + seeded.links["chair"][0][0]
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert canonical.encode() == exported.content
    page = meeting.secretariat.get("/meetings/1/minutes/document")
    assert f'data-sha256="{approved["sha256"]}"' in page.text
    assert (
        f"SHA-256　{approved['sha256']}" in meeting.secretariat.get("/meetings/1/minutes.txt").text
    )

    before = events(meeting.chair)
    refused = {
        "minutes.edit": {"statement_id": statement["id"], "text": "改ざん"},
        "minutes.add": {"item_id": meeting.items[0], "speaker_role": "chair", "text": "追加"},
        "minutes.move": {"statement_id": statement["id"], "to": 1},
        "minutes.remove": {"statement_id": statement["id"], "reason": "削除"},
        "minutes.disclosure": {"statement_id": statement["id"], "public": False, "reason": "x"},
        "minutes.excerpt": {"statement_id": statement["id"], "included": False},
        "minutes.header": {"kind": "full"},
        "minutes.outline": {"item_id": meeting.items[1], "level": 2},
        "minutes.attendance": {"person_id": 2, "present": False},
        "minutes.add_decision": {"item_id": meeting.items[0], "text": "決定"},
        "minutes.add_action_item": {"item_id": meeting.items[0], "what": "対応"},
        "minutes.submit": {},
        "minutes.approve": {},
    }
    for name, payload in refused.items():
        client = meeting.chair if name == "minutes.approve" else meeting.secretariat
        response = act(client, 1, name, **payload)
        assert response.status_code == 409, (name, response.text)
    assert events(meeting.chair) == before
    assert meeting.secretariat.get("/meetings/1/minutes.json").content == exported.content


def test_a_correction_is_a_new_revision_and_both_stay_readable(
    server: Server, seeded: Seeded
) -> None:
    meeting = drive(server, seeded)
    statement = meeting.statements()[0]
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.edit",
            statement_id=statement["id"],
            text="第一版の要点",
        )
    )
    first = _finalize(meeting)
    assert act(meeting.secretariat, 1, "minutes.revise").status_code == 422  # needs a reason
    ok(act(meeting.secretariat, 1, "minutes.revise", reason="発言者の誤記を訂正"))
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.edit",
            statement_id=statement["id"],
            text="第二版の要点",
        )
    )
    # While the correction is drafted, members still read revision 1.
    member_view = meeting.minutes(meeting.members[0])
    assert member_view["document"]["revision"] == 1
    assert member_view["document"]["statements"][0]["text"] == "第一版の要点"
    second = _finalize(meeting)
    assert second["revision"] == 2 and second["sha256"] != first["sha256"]

    one = meeting.secretariat.get("/meetings/1/minutes.json?revision=1")
    two = meeting.secretariat.get("/meetings/1/minutes.json?revision=2")
    assert hashlib.sha256(one.content).hexdigest() == first["sha256"]
    assert hashlib.sha256(two.content).hexdigest() == second["sha256"]
    assert one.json()["statements"][0]["text"] == "第一版の要点"
    assert two.json()["statements"][0]["text"] == "第二版の要点"
    assert two.json()["revision_reason"] == "発言者の誤記を訂正"
    listed = meeting.minutes()["revisions"]
    assert [(r["number"], r["sha256"]) for r in listed] == [
        (1, first["sha256"]),
        (2, second["sha256"]),
    ]
    text = meeting.secretariat.get("/meetings/1/minutes.txt?revision=2").text
    assert "第2版" in text and "訂正理由　発言者の誤記を訂正" in text
    # Members read both revisions too (as public copies).
    assert meeting.members[0].get("/meetings/1/minutes.json?revision=1").status_code == 200


def test_the_chair_returns_a_draft_and_the_secretariat_recalls_one(
    server: Server, seeded: Seeded
) -> None:
    meeting = drive(server, seeded)
    statement = meeting.statements()[0]
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    busy = act(meeting.secretariat, 1, "minutes.edit", statement_id=statement["id"], text="x")
    assert busy.status_code == 409 and "approval" in busy.json()["message"]
    ok(act(meeting.chair, 1, "minutes.return", note="決定事項を追記してください"))
    assert meeting.minutes()["status"] == "draft"
    assert "決定事項を追記してください" in meeting.secretariat.get("/meetings/1/minutes").text
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.add_decision",
            item_id=meeting.items[1],
            text="原案のとおり了承する。",
        )
    )
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    ok(act(meeting.secretariat, 1, "minutes.recall"))
    assert meeting.minutes()["status"] == "draft"


def test_the_minutes_wait_for_the_meeting(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    early = act(secretariat, 1, "minutes.add_decision", item_id=1, text="まだ")
    assert early.status_code == 409
    chair = api(server, seeded.chair)
    ok(act(chair, 1, "meeting.start"))
    assert act(secretariat, 1, "minutes.submit").status_code == 409  # not adjourned yet
    ok(act(secretariat, 1, "minutes.add_decision", item_id=1, text="会議中に記録"))


def test_publishing_needs_finalized_minutes(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    assert act(meeting.secretariat, 1, "minutes.publish").status_code == 409
    _finalize(meeting)
    published = ok(act(meeting.secretariat, 1, "minutes.publish"))
    assert published["revision"] == 1
    assert act(meeting.secretariat, 1, "minutes.publish").status_code == 409
    assert meeting.minutes(meeting.observer)["published_revision"] == 1


def test_decisions_action_items_and_attendance_per_item(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    secretariat = meeting.secretariat
    item = meeting.items[1]
    decision = ok(act(secretariat, 1, "minutes.add_decision", item_id=item, text="原案了承"))
    ok(
        act(
            secretariat,
            1,
            "minutes.edit_decision",
            decision_id=decision["decision_id"],
            text="原案のとおり了承する。",
        )
    )
    task = ok(
        act(
            secretariat,
            1,
            "minutes.add_action_item",
            item_id=item,
            what="調査する",
            department="市民生活部",
            due_date="2027-03-31",
        )
    )
    ok(
        act(
            secretariat,
            1,
            "minutes.edit_action_item",
            action_item_id=task["action_item_id"],
            due_date="2027-06-30",
        )
    )
    extra = ok(act(secretariat, 1, "minutes.add_action_item", item_id=item, what="削除予定"))
    ok(act(secretariat, 1, "minutes.remove_action_item", action_item_id=extra["action_item_id"]))
    assert (
        act(
            secretariat, 1, "minutes.add_action_item", item_id=item, what="x", due_date="2027-02-30"
        ).status_code
        == 422
    )
    document = meeting.minutes()["document"]
    on_item = next(entry for entry in document["items"] if entry["id"] == item)
    assert [d["text"] for d in on_item["decisions"]] == ["原案のとおり了承する。"]
    assert [(a["what"], a["department"], a["due"]) for a in on_item["action_items"]] == [
        ("調査する", "市民生活部", "2027-06-30")
    ]
    text = secretariat.get("/meetings/1/minutes.txt").text
    assert "【決定事項】\n・原案のとおり了承する。" in text
    assert "・調査する（担当：市民生活部、期限：令和9年6月30日）" in text

    present = document["attendance"]["present"]
    members = next(group for group in present if group["role"] == "member")
    assert members["count"] == 5
    absent_name, _ = seeded.links["member"][10]
    absent_id = _person_id(meeting, absent_name)
    ok(act(secretariat, 1, "minutes.attendance", person_id=absent_id, present=True))
    attendance = meeting.minutes()["document"]["attendance"]
    members = next(group for group in attendance["present"] if group["role"] == "member")
    assert members["count"] == 6 and absent_name in members["names"]
    chair_form = meeting.chair.get(
        f"/meetings/1/minutes/statements/{meeting.statements()[0]['id']}"
    )
    assert chair_form.status_code == 200 and 'name="text"' not in chair_form.text


def _person_id(meeting: Driven, name: str) -> int:
    """A person's id from the roster shown in the minutes editor."""
    page = meeting.secretariat.get("/meetings/1/minutes").text
    before = page.split(f"<span>{name}</span>", 1)[1]
    return int(before.split('name="person_id" value="', 1)[1].split('"', 1)[0])
