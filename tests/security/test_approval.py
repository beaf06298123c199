"""Approval means the chair approved: only the chair who chaired the meeting (the one who
started it), or the deputy (職務代理者) designated before it, approves or returns its
minutes; a chair role granted afterwards does not, and the minutes name who approved."""

from __future__ import annotations

import httpx

from tests.minutes.driven import drive, ok
from tests.support import Seeded, Server, act, api, state


def new_person(server: Server, seeded: Seeded, name: str, role: str) -> tuple[int, httpx.Client]:
    secretariat = api(server, seeded.secretariat)
    added = secretariat.post(
        "/api/bodies/1/actions/person.add", json={"name": name, "affiliation": "", "role": role}
    )
    assert added.status_code == 200, added.text
    person_id = int(added.json()["person_id"])
    link = secretariat.post("/api/bodies/1/actions/link.issue", json={"person_id": person_id})
    assert link.status_code == 200, link.text
    return person_id, api(server, link.json()["token"])


def minutes_status(client: httpx.Client) -> str:
    return str(ok(client.get("/api/meetings/1/minutes"))["status"])


def test_a_chair_role_granted_after_the_meeting_cannot_approve(
    server: Server, seeded: Seeded
) -> None:
    meeting = drive(server, seeded)
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    # The secretariat alone makes a person with the chair role and signs in as them.
    _, stand_in = new_person(server, seeded, "臨時 議長", "chair")
    seq = state(meeting.chair)["seq"]
    for client in (stand_in, meeting.secretariat):
        for name in ("minutes.approve", "minutes.return"):
            refused = act(client, 1, name)
            assert refused.status_code == 403, refused.text
    assert "chaired this meeting" in act(stand_in, 1, "minutes.approve").json()["message"]
    assert state(meeting.chair)["seq"] == seq
    assert minutes_status(meeting.secretariat) == "submitted"
    # The chair who started the meeting approves; the document names them.
    ok(act(meeting.chair, 1, "minutes.approve"))
    document = meeting.minutes()["document"]
    chair_name = seeded.links["chair"][0][0]
    assert document["approved_by"] == f"本部長 {chair_name}"
    html = meeting.secretariat.get("/meetings/1/minutes/document").text
    assert f"承認　本部長 {chair_name}" in html
    approved = [e for e in meeting.secretariat.get("/api/meetings/1/events").json()["events"]]
    assert approved[-1]["action"] == "minutes.approve"
    assert approved[-1]["payload"]["approved_by"] == state(meeting.chair)["meeting"]["chair_id"]
    # The stand-in is offered no approval in the editor either.
    assert "minutes.approve" not in stand_in.get("/meetings/1/minutes").text


def test_the_deputy_designated_before_the_meeting_approves(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    deputy_id, deputy = new_person(server, seeded, "髙橋 美智子（代理）", "chair")
    member_id = 2  # the demo roster: the chair, then the members (board/demo.py)
    not_a_chair = act(secretariat, 1, "meeting.deputy", person_id=member_id)
    assert not_a_chair.status_code == 409
    assert (
        act(api(server, seeded.members[0]), 1, "meeting.deputy", person_id=deputy_id).status_code
        == 403
    )
    ok(act(secretariat, 1, "meeting.deputy", person_id=deputy_id))
    meeting = drive(server, seeded)
    assert state(meeting.chair)["meeting"]["deputy_id"] == deputy_id
    # Too late to designate anyone else once the meeting has been held.
    late_id, late = new_person(server, seeded, "後任 議長", "chair")
    assert act(secretariat, 1, "meeting.deputy", person_id=late_id).status_code == 409
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    assert act(late, 1, "minutes.approve").status_code == 403
    ok(act(deputy, 1, "minutes.return", note="決定事項を追記してください"))
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    ok(act(deputy, 1, "minutes.approve"))
    document = meeting.minutes()["document"]
    assert document["approved_by"] == "本部長職務代理者 髙橋 美智子（代理）"


def test_the_secretariat_designates_the_deputy_on_the_details_page(
    server: Server, seeded: Seeded
) -> None:
    secretariat = api(server, seeded.secretariat)
    deputy_id, _ = new_person(server, seeded, "副 本部長", "chair")
    page = secretariat.get("/meetings/1/edit")
    assert page.status_code == 200
    assert f'<option value="{deputy_id}">副 本部長</option>' in page.text
    saved = secretariat.post(
        "/meetings/1/actions/meeting.deputy",
        data={"person_id": str(deputy_id)},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert state(secretariat)["meeting"]["deputy_id"] == deputy_id
    ok(act(api(server, seeded.chair), 1, "meeting.start"))
    assert "meeting.deputy" not in secretariat.get("/meetings/1/edit").text
