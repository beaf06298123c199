"""A whole meeting driven through the JSON API, as the tests of the minutes need it:
start, three items, six speeches (one a point of order), adjourn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.support import Seeded, Server, act, api, events


@dataclass
class Driven:
    chair: httpx.Client
    secretariat: httpx.Client
    members: list[httpx.Client]
    observer: httpx.Client
    # (request id, item id, speaker's role) of each speech, in the order given the floor
    speeches: list[tuple[int, int, str]]
    items: list[int]

    def minutes(self, client: httpx.Client | None = None, **query: Any) -> dict[str, Any]:
        response = (client or self.secretariat).get("/api/meetings/1/minutes", params=query)
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    def statements(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.minutes()["document"]["statements"]
        return found


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def drive(server: Server, seeded: Seeded, *, adjourn: bool = True) -> Driven:
    chair = api(server, seeded.chair)
    secretariat = api(server, seeded.secretariat)
    members = [api(server, token) for token in seeded.members[:5]]
    ok(act(chair, 1, "meeting.start"))  # marks the chair present
    for client in (secretariat, *members):
        ok(act(client, 1, "attendance.mark"))
    first = ok(chair.get("/api/meetings/1/state"))["current_item_id"]
    speeches: list[tuple[int, int, str]] = []

    def ask(client: httpx.Client, kind: str = "ordinary") -> None:
        ok(act(client, 1, "floor.request", kind=kind))

    def grant_and_end(item: int, role: str, *, end: bool = True) -> None:
        granted = ok(act(chair, 1, "floor.grant"))
        speeches.append((int(granted["request_id"]), item, role))
        if end:
            ok(act(chair, 1, "floor.end"))

    # Item 1: one member speaks.
    ask(members[0])
    grant_and_end(first, "member")
    # Item 2: two requests, then a point of order goes to the head of the queue.
    second = ok(act(chair, 1, "agenda.next", from_item_id=first))["item_id"]
    ask(members[1])
    ask(members[2], "question")
    ask(members[3], "point_of_order")
    for _ in range(3):
        grant_and_end(second, "member")
    # Item 3: a member, then the secretariat replies until the chair adjourns.
    third = ok(act(chair, 1, "agenda.next", from_item_id=second))["item_id"]
    ask(members[4])
    grant_and_end(third, "member")
    ask(secretariat, "reply")
    grant_and_end(third, "secretariat", end=False)
    if adjourn:
        ok(act(chair, 1, "meeting.adjourn"))
    return Driven(
        chair=chair,
        secretariat=secretariat,
        members=members,
        observer=api(server, seeded.observer),
        speeches=speeches,
        items=[first, second, third],
    )


def speech_times(client: httpx.Client) -> dict[int, tuple[str, str | None]]:
    """Each speech's start and end as the event log of the floor has them."""
    times: dict[int, tuple[str, str | None]] = {}
    for event in events(client):
        payload = event["payload"]
        if event["action"] == "floor.grant":
            times[payload["request_id"]] = (payload["started_at"], None)
        ended = payload if event["action"] == "floor.end" else payload.get("ended_speech")
        if ended:
            times[ended["request_id"]] = (ended["started_at"], ended["ended_at"])
    return times
