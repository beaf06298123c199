"""Bad input gets a clear error and changes nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.support import Seeded, Server, act, api, events, state


@pytest.fixture
def chair(server: Server, seeded: Seeded) -> httpx.Client:
    return api(server, seeded.chair)


def _unchanged(client: httpx.Client, before: list[dict[str, object]]) -> None:
    assert events(client) == before


def test_unknown_action(server: Server, chair: httpx.Client) -> None:
    response = act(chair, 1, "floor.dance")
    assert response.status_code == 404
    assert "unknown action" in response.json()["message"]


def test_malformed_json(server: Server, chair: httpx.Client) -> None:
    before = events(chair)
    response = chair.post(
        "/api/meetings/1/actions/meeting.start",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert "malformed JSON" in response.json()["message"]
    response = chair.post("/api/meetings/1/actions/meeting.start", json=[1, 2])
    assert response.status_code == 400
    _unchanged(chair, before)


def test_unknown_ids(server: Server, seeded: Seeded, chair: httpx.Client) -> None:
    act(chair, 1, "meeting.start")
    before = events(chair)
    assert act(chair, 999, "meeting.start").status_code == 404
    assert chair.get("/api/meetings/999/state").status_code == 404
    assert act(chair, 1, "agenda.goto", item_id=9999).status_code == 404
    assert act(chair, 1, "floor.grant", request_id=424242).status_code == 404
    assert act(chair, 1, "floor.remove", request_id="abc").status_code == 422
    secretariat = api(server, seeded.secretariat)
    response = secretariat.post("/api/bodies/1/actions/link.issue", json={"person_id": 99999})
    assert response.status_code == 404
    _unchanged(chair, before)


def test_oversized_and_invalid_text(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    before = events(secretariat)
    long_title = act(secretariat, 1, "agenda.add", title="議" * 201)
    assert long_title.status_code == 422
    assert "too long" in long_title.json()["message"] and "200" in long_title.json()["message"]
    assert act(secretariat, 1, "agenda.add", title="").status_code == 422
    assert act(secretariat, 1, "agenda.add", title="ok", kind="party").status_code == 422
    assert act(secretariat, 1, "agenda.add", title="ok", planned_minutes=-5).status_code == 422
    assert act(secretariat, 1, "agenda.add", title="a\x00b").status_code == 422
    huge = secretariat.post(
        "/api/meetings/1/actions/agenda.add",
        content=b'{"title": "' + b"x" * 70_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413
    created = secretariat.post(
        "/api/bodies/1/actions/meeting.create",
        json={"title": "t", "date": "2027-13-01", "start_time": "10:00", "planned_end": "11:00"},
    )
    assert created.status_code == 422 and "date" in created.json()["message"]
    backwards = secretariat.post(
        "/api/bodies/1/actions/meeting.create",
        json={"title": "t", "date": "2027-01-01", "start_time": "10:00", "planned_end": "09:00"},
    )
    assert backwards.status_code == 422
    _unchanged(secretariat, before)


def test_html_in_names_and_titles_is_escaped_everywhere(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert act(secretariat, 1, "agenda.add", title=evil, presenter=evil).status_code == 200
    added = secretariat.post(
        "/api/bodies/1/actions/person.add",
        json={"name": evil, "affiliation": evil, "role": "member"},
    )
    assert added.status_code == 200
    token = secretariat.post(
        "/api/bodies/1/actions/link.issue", json={"person_id": added.json()["person_id"]}
    ).json()["token"]
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    act(api(server, token), 1, "floor.request")
    pages = []
    for who in (seeded.chair, seeded.secretariat, seeded.members[0], token):
        with httpx.Client(base_url=server.base, follow_redirects=True) as device:
            device.get(f"/join/{who}")
            pages.append(device.get("/meetings/1").text)
            pages.append(device.get("/meetings/1/projector").text)
            pages.append(device.get("/").text)
    with httpx.Client(base_url=server.base, follow_redirects=True) as device:
        device.get(f"/join/{seeded.secretariat}")
        pages.append(device.get("/bodies/1").text)
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert any("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html for html in pages)
    assert state(chair)["queue"][0]["name"] == evil  # stored faithfully, escaped on output


def test_cross_site_form_posts_are_refused(server: Server, seeded: Seeded) -> None:
    with httpx.Client(base_url=server.base, follow_redirects=True) as device:
        device.get(f"/join/{seeded.chair}")
        before = events(api(server, seeded.chair))
        response = device.post(
            "/meetings/1/actions/meeting.start", headers={"Origin": "https://evil.example"}
        )
        assert response.status_code == 403
        assert events(api(server, seeded.chair)) == before
        same = device.post("/meetings/1/actions/meeting.start", headers={"Origin": server.base})
        assert same.status_code == 200
        assert state(api(server, seeded.chair))["meeting"]["status"] == "live"


def test_rare_kanji_are_kept_faithfully(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    name = "𠮷野 髙﨑"
    person = secretariat.post("/api/bodies/1/actions/person.add", json={"name": name})
    assert person.status_code == 200
    token = secretariat.post(
        "/api/bodies/1/actions/link.issue", json={"person_id": person.json()["person_id"]}
    ).json()["token"]
    act(api(server, seeded.chair), 1, "meeting.start")
    act(api(server, token), 1, "floor.request")
    assert state(secretariat)["queue"][0]["name"] == name
