"""Hostile and careless input, case by case (issue 11, point 3): each gets a clear 4xx in
JSON (or the error page for a page), changes nothing, and breaks no page afterwards."""

from __future__ import annotations

import http.client
import json

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.minutes.driven import drive, ok
from tests.support import Seeded, Server, act, api, events

BEYOND_64_BITS = "9" * 25  # SQLite binds at most 2**63 - 1
PAGE_ROLES = ("chair", "secretariat", "member", "observer")


@pytest.fixture
def secretariat(server: Server, seeded: Seeded) -> httpx.Client:
    return api(server, seeded.secretariat)


def _refused(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()["message"]
    for word in words:
        assert word in message, message


def _raw(client: httpx.Client, path: str, body: bytes) -> httpx.Response:
    return client.post(path, content=body, headers={"content-type": "application/json"})


def _pages_work(server: Server, seeded: Seeded) -> None:
    for role in PAGE_ROLES:
        client = api(server, seeded.token(role))
        for path in ("/meetings/1", "/meetings/1/projector", "/api/meetings/1/state"):
            assert client.get(path).status_code == 200, (role, path)


def test_ids_beyond_64_bits_in_paths(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    before = events(chair)
    _refused(chair.get(f"/api/meetings/{BEYOND_64_BITS}/state"), 404, BEYOND_64_BITS[:20])
    _refused(chair.get(f"/meetings/{BEYOND_64_BITS}/minutes.json"), 404)
    _refused(act(chair, int(BEYOND_64_BITS), "meeting.start"), 404)
    _refused(chair.post(f"/api/bodies/{BEYOND_64_BITS}/actions/person.add", json={}), 404)
    page = chair.get(f"/meetings/{BEYOND_64_BITS}", headers={"accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert chair.get(f"/meetings/1/opinions/{BEYOND_64_BITS}/edit").status_code == 404
    assert chair.get("/meetings/" + "1" * 5000).status_code == 404  # beyond int()'s digits
    assert events(chair) == before


async def test_ids_beyond_64_bits_refuse_the_live_channel(server: Server, seeded: Seeded) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(
            f"{server.ws_base}/meetings/{BEYOND_64_BITS}/live",
            additional_headers={"Authorization": f"Bearer {seeded.chair}"},
        ):
            pass
    assert refused.value.response.status_code == 404


def test_ids_beyond_64_bits_in_queries(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    _refused(chair.get(f"/api/meetings/1/events?after={BEYOND_64_BITS}"), 422, "after")
    _refused(chair.get("/api/meetings/1/events?after=²"), 422, "after")
    _refused(chair.get(f"/meetings/1/minutes.json?revision={BEYOND_64_BITS}"), 422, "revision")
    _refused(chair.get(f"/api/search?q=meeting&body={BEYOND_64_BITS}"), 422, "body")
    assert chair.get(f"/archive?body={BEYOND_64_BITS}").status_code == 422
    assert chair.get(f"/archive?year={BEYOND_64_BITS}").status_code == 422
    _refused(act(chair, 1, "floor.reorder", order=[int(BEYOND_64_BITS)]), 422, "order")


def test_a_nul_in_a_search(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    _refused(chair.get("/api/search", params={"q": "会議\x00録"}), 422, "q")
    page = chair.get("/search", params={"q": "会議\x00録"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")


def test_json_nested_thousands_deep(server: Server, secretariat: httpx.Client) -> None:
    before = events(secretariat)
    deep = b'{"title": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    _refused(_raw(secretariat, "/api/meetings/1/actions/agenda.add", deep), 400, "deeply")
    _refused(_raw(secretariat, "/api/bodies/1/actions/person.add", b"[" * 30_000), 400)
    assert events(secretariat) == before


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_numbers_json_does_not_allow(server: Server, seeded: Seeded, number: str) -> None:
    secretariat, chair = api(server, seeded.secretariat), api(server, seeded.chair)
    before = events(chair)
    body = f'{{"title": "x", "planned_minutes": {number}}}'.encode()
    _refused(_raw(secretariat, "/api/meetings/1/actions/agenda.add", body), 400, number)
    act(chair, 1, "meeting.start")
    before = events(chair)
    order = f'{{"order": [{number}]}}'.encode()
    _refused(_raw(chair, "/api/meetings/1/actions/floor.reorder", order), 400, number)
    assert events(chair) == before


def test_a_lone_surrogate_in_text(server: Server, secretariat: httpx.Client) -> None:
    before = events(secretariat)
    for path, required, field in (
        ("/api/meetings/1/actions/agenda.add", "title", "title"),
        ("/api/meetings/1/actions/agenda.add", "title", "presenter"),
        ("/api/bodies/1/actions/person.add", "name", "name"),
        ("/api/bodies/1/actions/body.update", "name", "chair_title"),
    ):
        payload = {required: "ok", field: "a\ud800b"}
        body = json.dumps(payload).encode()  # \ud800 stays escaped: it is not UTF-8
        _refused(_raw(secretariat, path, body), 422, field)
    unknown = json.dumps({"title": "ok", "\udfff": 1}).encode()
    _refused(_raw(secretariat, "/api/meetings/1/actions/agenda.add", unknown), 422, "\\udfff")
    assert events(secretariat) == before


def test_dates_and_times_outside_the_years(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    before = events(secretariat)
    for deadline in ("0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:59+09:00"):
        _refused(act(secretariat, 1, "comments.deadline", deadline=deadline), 422, "deadline")
        _refused(act(secretariat, 1, "comments.open", deadline=deadline), 422, "deadline")
    for date in ("0001-01-01", "9999-12-31", "2201-01-01"):
        created = secretariat.post(
            "/api/bodies/1/actions/meeting.create",
            json={"title": "t", "date": date, "start_time": "10:00", "planned_end": "11:00"},
        )
        _refused(created, 422, "date")
        _refused(act(secretariat, 1, "meeting.update", date=date), 422, "date")
    assert events(secretariat) == before
    _pages_work(server, seeded)
    # The edges themselves are fine.
    assert act(secretariat, 1, "comments.deadline", deadline="2200-12-31T23:59").status_code == 200


def test_statement_times_outside_the_years(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded, adjourn=False)
    statement = meeting.statements()[0]["id"]
    before = events(meeting.secretariat)
    for moment in ("9999-12-31T10:00:00+09:00", "0001-01-01T00:00:00+00:00"):
        edited = act(
            meeting.secretariat, 1, "minutes.edit", statement_id=statement, ended_at=moment
        )
        _refused(edited, 422, "ended_at")
        added = act(
            meeting.secretariat,
            1,
            "minutes.add",
            item_id=1,
            speaker_role="member",
            started_at=moment,
        )
        _refused(added, 422, "started_at")
    task = act(
        meeting.secretariat,
        1,
        "minutes.add_action_item",
        item_id=1,
        what="x",
        due_date="0001-01-01",
    )
    _refused(task, 422, "due_date")
    assert events(meeting.secretariat) == before
    assert meeting.secretariat.get("/meetings/1/minutes").status_code == 200
    assert meeting.secretariat.get("/meetings/1/minutes/document").status_code == 200


def test_draft_of_finalized_minutes(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    ok(act(meeting.chair, 1, "minutes.approve"))
    for client in (meeting.secretariat, meeting.chair):
        _refused(client.get("/meetings/1/minutes.json?draft=1"), 404, "finalized")
        _refused(client.get("/api/meetings/1/minutes?draft=1"), 404, "finalized")
        page = client.get("/meetings/1/minutes/document?draft=1")
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert client.get("/meetings/1/minutes/document").status_code == 200


def test_unknown_fields_are_refused_by_name(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    before = events(meeting.secretariat)
    header = act(meeting.secretariat, 1, "minutes.header", omitted_items=[1, 2])
    _refused(header, 422, "minutes.header", "omitted_items")
    mixed = act(meeting.secretariat, 1, "minutes.header", kind="excerpt", omited="typo")
    _refused(mixed, 422, "omited")
    _refused(act(meeting.chair, 1, "meeting.start", force=True), 422, "force")
    person = meeting.secretariat.post(
        "/api/bodies/1/actions/person.add", json={"name": "新委員", "role": "member", "admin": 1}
    )
    _refused(person, 422, "admin")
    assert events(meeting.secretariat) == before


def test_the_same_keep_alive_connection_works_after_a_refusal(
    server: Server, seeded: Seeded
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    headers = {"Authorization": f"Bearer {seeded.secretariat}", "Content-Type": "application/json"}
    try:
        refusals = [
            ("GET", f"/api/meetings/{BEYOND_64_BITS}/state", None),
            ("GET", "/api/search?q=a%00b", None),
            ("POST", "/api/meetings/1/actions/agenda.add", b"[" * 20_000),
            ("POST", "/api/meetings/1/actions/agenda.add", b'{"title": NaN}'),
            ("POST", "/api/meetings/1/actions/agenda.add", b'{"title": "\\ud800"}'),
            ("POST", "/api/meetings/1/actions/agenda.add", b'{"title": "x", "extra": 1}'),
        ]
        connection.connect()
        socket = connection.sock
        for method, path, body in refusals:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            assert 400 <= response.status < 500, (path, response.status)
            assert not response.will_close
            connection.request("GET", "/api/meetings/1/state", headers=headers)
            following = connection.getresponse()
            assert following.status == 200
            json.loads(following.read())
            assert connection.sock is socket  # the very same connection
    finally:
        connection.close()
