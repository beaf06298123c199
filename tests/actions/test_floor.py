"""The floor's rules, through the real server: order, stale actions, concurrency."""

from __future__ import annotations

import asyncio

import pytest

from tests.support import Seeded, Server, act, api, async_api, events, state


def test_a_point_of_order_goes_to_the_head_of_the_queue(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    first = act(api(server, seeded.members[0]), 1, "floor.request").json()["request_id"]
    second = act(api(server, seeded.members[1]), 1, "floor.request", kind="question").json()
    order1 = act(api(server, seeded.members[2]), 1, "floor.request", kind="point_of_order")
    order2 = act(api(server, seeded.members[3]), 1, "floor.request", kind="point_of_order")
    queue = [entry["id"] for entry in state(chair)["queue"]]
    assert queue == [
        order1.json()["request_id"],
        order2.json()["request_id"],
        first,
        second["request_id"],
    ]
    assert [e["kind"] for e in state(chair)["queue"]] == [
        "point_of_order",
        "point_of_order",
        "ordinary",
        "question",
    ]


def test_the_chair_reorders_removes_and_closes_the_list(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    ids = [
        act(api(server, token), 1, "floor.request").json()["request_id"]
        for token in seeded.members[:3]
    ]
    assert act(chair, 1, "floor.reorder", request_id=ids[2], to=0).status_code == 200
    assert [e["id"] for e in state(chair)["queue"]] == [ids[2], ids[0], ids[1]]
    assert act(chair, 1, "floor.reorder", order=[ids[0], ids[1], ids[2]]).status_code == 200
    stale = act(chair, 1, "floor.reorder", order=[ids[0], ids[1]])
    assert stale.status_code == 409
    assert act(chair, 1, "floor.remove", request_id=ids[1]).status_code == 200
    assert act(chair, 1, "floor.remove", request_id=ids[1]).status_code == 409
    assert act(chair, 1, "floor.close").status_code == 200
    assert act(chair, 1, "floor.close").status_code == 409
    late = act(api(server, seeded.members[5]), 1, "floor.request")
    assert late.status_code == 409 and "closed" in late.json()["message"]
    urgent = act(api(server, seeded.members[5]), 1, "floor.request", kind="point_of_order")
    assert urgent.status_code == 200
    assert act(chair, 1, "floor.open").status_code == 200
    assert act(api(server, seeded.members[6]), 1, "floor.request").status_code == 200


def test_speeches_keep_their_start_and_end_in_the_log(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    act(api(server, seeded.members[0]), 1, "floor.request")
    granted = act(chair, 1, "floor.grant")
    request_id = granted.json()["request_id"]
    speaking = state(chair)["speaking"]
    assert speaking["limit_seconds"] == 180
    assert act(chair, 1, "timer.extend", seconds=60).status_code == 200
    assert state(chair)["speaking"]["limit_seconds"] == 240
    assert act(chair, 1, "floor.end", request_id=request_id).status_code == 200
    # Ending it again is a stale action: refused, nothing changes.
    before = events(chair)
    again = act(chair, 1, "floor.end", request_id=request_id)
    assert again.status_code == 409
    assert events(chair) == before
    log = {e["action"]: e["payload"] for e in before}
    assert log["floor.grant"]["started_at"] == speaking["started_at"]
    assert log["floor.end"]["started_at"] == speaking["started_at"]
    assert log["floor.end"]["ended_at"] >= log["floor.end"]["started_at"]


def test_moving_on_ends_the_speech_and_keeps_each_item_queue(
    server: Server, seeded: Seeded
) -> None:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    act(api(server, seeded.members[0]), 1, "floor.request")
    act(api(server, seeded.members[1]), 1, "floor.request")
    act(chair, 1, "floor.grant")
    first_item = state(chair)["current_item_id"]
    assert act(chair, 1, "agenda.next", from_item_id=first_item).status_code == 200
    now = state(chair)
    assert now["speaking"] is None and now["queue"] == []
    assert act(chair, 1, "agenda.next", from_item_id=first_item).status_code == 409
    moved = next(e for e in events(chair) if e["action"] == "agenda.next")["payload"]
    assert moved["ended_speech"]["ended_at"]
    assert act(chair, 1, "agenda.goto", item_id=first_item).status_code == 200
    assert len(state(chair)["queue"]) == 1


@pytest.mark.asyncio
async def test_twenty_simultaneous_grants_give_one_speaker(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    for token in seeded.members[:5]:
        act(api(server, token), 1, "floor.request")
    async with async_api(server, seeded.chair) as client:
        responses = await asyncio.gather(
            *(client.post("/api/meetings/1/actions/floor.grant", json={}) for _ in range(20))
        )
    codes = sorted(response.status_code for response in responses)
    assert codes == [200] + [409] * 19
    assert len([e for e in events(chair) if e["action"] == "floor.grant"]) == 1
    assert len(state(chair)["queue"]) == 4


@pytest.mark.asyncio
async def test_a_double_tap_gives_one_request(server: Server, seeded: Seeded) -> None:
    act(api(server, seeded.chair), 1, "meeting.start")
    async with async_api(server, seeded.members[0]) as client:
        responses = await asyncio.gather(
            *(client.post("/api/meetings/1/actions/floor.request", json={}) for _ in range(20))
        )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 19
    assert len(state(api(server, seeded.chair))["queue"]) == 1


def test_the_chair_takes_the_floor_for_their_own_remarks(server: Server, seeded: Seeded) -> None:
    """Issue 12, point 4: one tap, timed, recorded as a statement like anyone's."""
    chair, member = api(server, seeded.chair), api(server, seeded.members[0])
    secretariat = api(server, seeded.secretariat)
    act(chair, 1, "meeting.start")
    assert 'data-action="floor.take"' in chair.get("/meetings/1").text
    assert 'data-action="floor.take"' not in member.get("/meetings/1").text
    assert act(member, 1, "floor.take").status_code == 403
    act(chair, 1, "floor.close")  # a closed list does not silence the chair
    taken = act(chair, 1, "floor.take")
    assert taken.status_code == 200, taken.text
    me = chair.get("/api/me").json()
    for client in (chair, member):
        speaking = state(client)["speaking"]
        assert speaking["person"]["id"] == me["person_id"] and speaking["limit_seconds"] > 0
    assert state(chair)["queue"] == []
    again = act(chair, 1, "floor.take")
    assert again.status_code == 409 and "end that speech first" in again.json()["message"]
    ended = act(chair, 1, "floor.end")
    assert ended.status_code == 200 and state(member)["speaking"] is None
    document = secretariat.get("/api/meetings/1/minutes", params={"draft": 1}).json()["document"]
    statement = next(s for s in document["statements"] if s["id"] == taken.json()["statement_id"])
    assert statement["speaker_role"] == "chair" and statement["speaker_title"] == "本部長"
    assert statement["request_id"] == taken.json()["request_id"]
    assert statement["started_at"] and statement["ended_at"]
    assert [e["action"] for e in events(chair)][-2:] == ["floor.take", "floor.end"]
