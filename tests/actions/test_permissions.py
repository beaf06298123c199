"""Both sides of every permission: denied without it (nothing changed), allowed with it."""

from __future__ import annotations

import httpx
import pytest

from board.actions import REGISTRY
from board.actions.permissions import ROLE_PERMISSIONS
from board.actions.registry import Scope
from board.models import Role
from tests.support import Seeded, Server, act, api, events, state


def _url(name: str) -> str:
    scope = REGISTRY[name].scope
    if scope is Scope.MEETING:
        return f"/api/meetings/1/actions/{name}"
    if scope is Scope.BODY:
        return f"/api/bodies/1/actions/{name}"
    return f"/api/actions/{name}"


def test_every_action_is_refused_for_roles_without_its_permission(
    server: Server, seeded: Seeded
) -> None:
    secretariat = api(server, seeded.secretariat)
    before_state = state(secretariat)
    before_events = events(secretariat)
    checked = 0
    for name, entry in sorted(REGISTRY.items()):
        for role in Role:
            if entry.permission in ROLE_PERMISSIONS[role]:
                continue
            client = api(server, seeded.token(role.value))
            response = client.post(
                _url(name),
                json={"item_id": 1, "request_id": 1, "person_id": 1, "title": "x", "name": "x"},
            )
            assert response.status_code == 403, (name, role, response.text)
            assert response.json()["error"] == "forbidden"
            checked += 1
    assert checked > 40
    assert state(secretariat) == before_state
    assert events(secretariat) == before_events


def test_every_role_can_run_the_actions_it_is_given(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    member = api(server, seeded.members[0])
    secretariat = api(server, seeded.secretariat)
    assert act(secretariat, 1, "agenda.add", title="追加議題").status_code == 200
    assert act(chair, 1, "meeting.start").status_code == 200
    assert act(member, 1, "floor.request").status_code == 200
    assert act(secretariat, 1, "floor.request", kind="reply").status_code == 200
    assert act(chair, 1, "floor.grant").status_code == 200
    assert act(chair, 1, "timer.extend", seconds=30).status_code == 200
    assert act(chair, 1, "floor.end").status_code == 200
    assert [e["action"] for e in events(chair)] == [
        "agenda.add",
        "meeting.start",
        "floor.request",
        "floor.request",
        "floor.grant",
        "timer.extend",
        "floor.end",
    ]


def test_a_member_cannot_act_for_another_member(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    first, second = api(server, seeded.members[0]), api(server, seeded.members[1])
    act(chair, 1, "meeting.start")
    request_id = act(first, 1, "floor.request").json()["request_id"]
    before = events(chair)
    response = act(second, 1, "floor.withdraw", request_id=request_id)
    assert response.status_code == 403
    assert events(chair) == before
    assert [entry["id"] for entry in state(chair)["queue"]] == [request_id]


def test_a_person_of_another_body_is_refused(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    created = secretariat.post("/api/actions/body.create", json={"name": "別の審議会"})
    assert created.status_code == 200, created.text
    other_body = created.json()["body_id"]
    # The secretariat's person in the new body issues a link for a member there.
    response = secretariat.post(
        f"/api/bodies/{other_body}/actions/person.add", json={"name": "他の委員", "role": "member"}
    )
    assert response.status_code == 403  # the Bearer token is a person of body 1 only
    # Through the new body's own secretariat person (signed in by session) instead:
    with httpx.Client(base_url=server.base, follow_redirects=True) as browser:
        assert browser.get(f"/join/{seeded.secretariat}").status_code in (200, 303)
        page = browser.post("/bodies", data={"name": "第三の会議"}, headers={"Origin": server.base})
        assert page.status_code == 200
        body_id = int(str(page.url).rstrip("/").split("/")[-1])
        added = browser.post(
            f"/bodies/{body_id}/actions/person.add",
            data={"name": "外部 委員", "role": "member"},
            headers={"Origin": server.base},
        )
        assert added.status_code == 200
        person_id = int(added.text.split('data-person-id="')[-1].split('"')[0])
        issued = browser.post(
            f"/bodies/{body_id}/actions/link.issue",
            data={"person_id": person_id},
            headers={"Origin": server.base},
        )
        other_secretariat_token = issued.text.split("/join/")[1].split('"')[0]
    outsider = api(server, other_secretariat_token)
    assert outsider.get("/api/meetings/1/state").status_code == 403
    assert act(outsider, 1, "floor.request").status_code == 403
    # Nothing was logged: the refused requests changed nothing, and opening the meeting's
    # page before it starts records no attendance.
    assert events(secretariat) == []


def test_a_revoked_link_no_longer_signs_in(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    person_id = state(api(server, seeded.members[2]))  # the member can read the meeting
    members = secretariat.get("/api/meetings/1/state").json()
    assert members["meeting"]["id"] == 1 and person_id
    with httpx.Client(base_url=server.base, follow_redirects=True) as device:
        assert device.get(f"/join/{seeded.members[2]}").status_code == 200
        assert device.get("/api/meetings/1/state").status_code == 200
    target = _person_id_of(server, seeded, seeded.members[2])
    revoked = secretariat.post("/api/bodies/1/actions/link.revoke", json={"person_id": target})
    assert revoked.status_code == 200
    with httpx.Client(base_url=server.base, follow_redirects=True) as device:
        response = device.get(f"/join/{seeded.members[2]}")
        assert response.status_code == 404
        assert "revoked" in response.text or "無効" in response.text
        assert device.get("/api/meetings/1/state").status_code == 401
    assert api(server, seeded.members[2]).get("/api/meetings/1/state").status_code == 401


def _person_id_of(server: Server, seeded: Seeded, token: str) -> int:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    member = api(server, token)
    response = act(member, 1, "floor.request")
    if response.status_code == 200:
        person_id: int = state(chair)["queue"][-1]["person_id"]
        act(member, 1, "floor.withdraw")
        return person_id
    raise AssertionError(response.text)


@pytest.mark.parametrize("role", ["member", "observer", "chair"])
def test_only_the_secretariat_sees_a_draft(server: Server, seeded: Seeded, role: str) -> None:
    secretariat = api(server, seeded.secretariat)
    created = secretariat.post(
        "/api/bodies/1/actions/meeting.create",
        json={
            "title": "下書きの会議",
            "date": "2027-01-10",
            "start_time": "10:00",
            "planned_end": "11:00",
        },
    )
    meeting_id = created.json()["meeting_id"]
    response = api(server, seeded.token(role)).get(f"/api/meetings/{meeting_id}/state")
    assert response.status_code == (200 if role == "chair" else 403)
    assert secretariat.get(f"/api/meetings/{meeting_id}/state").status_code == 200
