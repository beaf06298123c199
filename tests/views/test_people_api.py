"""An API a secretariat's script drives without scraping HTML (issue 12, point 7): who the
caller is, the roster, the statement a grant opened, and errors in the caller's language."""

from __future__ import annotations

import httpx

from tests.minutes.driven import ok
from tests.support import Seeded, Server, act, api


def test_me_says_who_the_caller_is(server: Server, seeded: Seeded) -> None:
    member = api(server, seeded.members[0])
    found = ok(member.get("/api/me", headers={"accept-language": "en-GB,en;q=0.8"}))
    assert found["role"] == "member" and found["body_id"] == 1
    assert found["title"] == "本部員" and found["language"] == "en"
    assert isinstance(found["person_id"], int) and found["name"]
    assert found["people"] == [{k: v for k, v in found.items() if k not in ("language", "people")}]
    chair = ok(api(server, seeded.chair).get("/api/me"))
    assert chair["role"] == "chair" and chair["language"] == "ja"
    anonymous = httpx.get(server.base + "/api/me")
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "unauthenticated"


def test_the_roster_is_for_the_secretariat(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    roster = ok(secretariat.get("/api/bodies/1/people"))
    roles = [person["role"] for person in roster["people"]]
    assert roles.count("chair") == 1 and roles.count("member") == len(seeded.members)
    me = ok(secretariat.get("/api/me"))
    mine = next(person for person in roster["people"] if person["person_id"] == me["person_id"])
    assert mine["active"] is True and mine["links"] >= 1 and mine["title"] == "事務局"
    removed = next(person for person in roster["people"] if person["role"] == "member")
    ok(act_body(secretariat, "person.deactivate", person_id=removed["person_id"]))
    again = ok(secretariat.get("/api/bodies/1/people"))["people"]
    assert next(p for p in again if p["person_id"] == removed["person_id"])["active"] is False
    member = api(server, seeded.members[1])
    refused = member.get("/api/bodies/1/people")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert secretariat.get("/api/bodies/99/people").status_code == 404


def act_body(client: httpx.Client, name: str, **payload: object) -> httpx.Response:
    return client.post(f"/api/bodies/1/actions/{name}", json=payload)


def test_a_grant_returns_its_statement_and_the_statement_its_request(
    server: Server, seeded: Seeded
) -> None:
    chair, member = api(server, seeded.chair), api(server, seeded.members[0])
    secretariat = api(server, seeded.secretariat)
    ok(act(chair, 1, "meeting.start"))
    asked = ok(act(member, 1, "floor.request"))
    granted = ok(act(chair, 1, "floor.grant"))
    assert granted["request_id"] == asked["request_id"]
    document = ok(secretariat.get("/api/meetings/1/minutes", params={"draft": 1}))["document"]
    statement = next(s for s in document["statements"] if s["id"] == granted["statement_id"])
    assert statement["request_id"] == asked["request_id"] and statement["source"] == "floor"


def test_error_messages_follow_accept_language_and_codes_stay(
    server: Server, seeded: Seeded
) -> None:
    member = api(server, seeded.members[0])
    english = member.get("/api/bodies/1/people")
    japanese = member.get("/api/bodies/1/people", headers={"accept-language": "ja,en;q=0.5"})
    explicit = member.get("/api/bodies/1/people", headers={"accept-language": "en"})
    assert (
        english.json()
        == explicit.json()
        == {
            "error": "forbidden",
            "message": "only the secretariat may manage this body",
        }
    )
    assert japanese.json() == {
        "error": "forbidden",
        "message": "会議体の管理は事務局だけが行えます",
    }
    action = act(member, 1, "no.such", **{})
    localized = member.post(
        "/api/meetings/1/actions/no.such", json={}, headers={"accept-language": "ja"}
    )
    assert action.json()["error"] == localized.json()["error"] == "not_found"
    assert localized.json()["message"] == "不明な操作です：no.such"
