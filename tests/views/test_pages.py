"""Pages through a real server: first-run setup, the secretariat's forms, the role pages."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.support import Seeded, Server, act, api, state


def _browser(server: Server) -> httpx.Client:
    client = httpx.Client(
        base_url=server.base, follow_redirects=True, headers={"Origin": server.base}
    )
    server.clients.append(client)
    return client


def test_first_run_prints_a_one_time_setup_link(tmp_path: Path) -> None:
    server = Server(tmp_path / "empty.db").start()
    try:
        link = re.search(r"(/setup/[\w-]+)", server.log())
        assert link, server.log()
        device = _browser(server)
        form = device.get(link.group(1))
        assert form.status_code == 200 and "初期設定" in form.text
        missing = device.post(link.group(1), data={"body_name": "", "name": "山田 花子"})
        assert missing.status_code == 422 and "body_name" in missing.text
        created = device.post(
            link.group(1),
            data={"body_name": "まちづくり審議会", "name": "山田 花子", "affiliation": "企画課"},
        )
        assert created.status_code == 200
        assert str(created.url).endswith("/bodies/1")
        assert "まちづくり審議会" in created.text
        again = _browser(server).get(link.group(1))
        assert again.status_code == 404
        server.stop()
        # A restart on a database that is no longer empty prints no new setup link.
        server.start()
        assert server.log().count("/setup/") == 1
    finally:
        server.stop()


def test_the_secretariat_edits_details_and_keeps_typed_values(
    server: Server, seeded: Seeded
) -> None:
    device = _browser(server)
    device.get(f"/join/{seeded.secretariat}")
    page = device.get("/meetings/1/edit")
    assert page.status_code == 200 and "会議の情報" in page.text
    bad = device.post(
        "/meetings/1/actions/meeting.update",
        data={
            "title": "新しい件名",
            "date": "2027-02-30",
            "start_time": "14:00",
            "planned_end": "15:00",
        },
    )
    assert bad.status_code == 422
    assert 'value="新しい件名"' in bad.text and "2026-04-15" in bad.text
    good = device.post(
        "/meetings/1/actions/meeting.update",
        data={
            "title": "新しい件名",
            "date": "2027-02-27",
            "start_time": "14:00",
            "planned_end": "15:00",
            "place": "議会棟",
        },
    )
    assert good.status_code == 200 and "会議の情報を保存しました" in good.text
    assert state(api(server, seeded.chair))["meeting"]["title"] == "新しい件名"
    member = _browser(server)
    member.get(f"/join/{seeded.members[0]}")
    assert member.get("/meetings/1/edit").status_code == 403


def test_roster_forms_add_issue_and_remove(server: Server, seeded: Seeded) -> None:
    device = _browser(server)
    device.get(f"/join/{seeded.secretariat}")
    added = device.post(
        "/bodies/1/actions/person.add",
        data={"name": "新人 委員", "affiliation": "市民委員", "role": "member"},
    )
    assert "名簿に追加しました" in added.text
    person_id = int(re.findall(r'data-person-id="(\d+)"', added.text)[-1])
    issued = device.post("/bodies/1/actions/link.issue", data={"person_id": person_id})
    token = re.search(r"/join/([\w-]+)", issued.text)
    assert token and "一度しか表示されません" in issued.text
    newcomer = _browser(server)
    assert newcomer.get(f"/join/{token.group(1)}").status_code == 200
    removed = device.post("/bodies/1/actions/person.deactivate", data={"person_id": person_id})
    assert "名簿から外しました" in removed.text
    assert newcomer.get("/api/meetings/1/state").status_code == 401


def test_every_role_lands_on_its_page(server: Server, seeded: Seeded) -> None:
    act(api(server, seeded.chair), 1, "meeting.start")
    expected = {
        "chair": "view-chair",
        "secretariat": "view-secretariat",
        "member": "view-member",
        "observer": "view-projector",
    }
    for role, marker in expected.items():
        device = _browser(server)
        token = seeded.members[0] if role == "member" else seeded.token(role)
        landed = device.get(f"/join/{token}")
        assert landed.status_code == 200 and marker in landed.text, role
        assert 'hx-ws:connect="/meetings/1/live' in landed.text
    english = _browser(server)
    english.get(f"/join/{seeded.members[0]}")
    switched = english.post("/language", data={"lang": "en", "next": "/meetings/1"})
    assert "Ask for the floor" in switched.text
    assert "Ask for the floor" in english.get("/meetings/1").text
