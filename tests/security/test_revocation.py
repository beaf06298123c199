"""Taking access away takes it away: removing a person, revoking their link or changing
their role closes their live connections at once, and ends the sessions opened with it."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from board.live.hub import CLOSE_SIGN_IN_AGAIN, Hub, Subscriber
from board.render import Audience, Renderer
from tests.security.conftest import Socket, cookie_of, signed_in_device
from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio


def _second_secretariat(secretariat: httpx.Client) -> tuple[int, str]:
    added = secretariat.post(
        "/api/bodies/1/actions/person.add", json={"name": "失くした端末", "role": "secretariat"}
    )
    assert added.status_code == 200, added.text
    person_id = int(added.json()["person_id"])
    issued = secretariat.post("/api/bodies/1/actions/link.issue", json={"person_id": person_id})
    assert issued.status_code == 200, issued.text
    return person_id, str(issued.json()["token"])


def _body_action(client: httpx.Client, name: str, **payload: Any) -> httpx.Response:
    return client.post(f"/api/bodies/1/actions/{name}", json=payload)


async def test_removing_a_person_closes_their_sockets_and_nothing_more_reaches_them(
    server: Server, seeded: Seeded
) -> None:
    chair = api(server, seeded.chair)
    staff = api(server, seeded.secretariat)
    lost_id, lost_token = _second_secretariat(staff)
    act(chair, 1, "meeting.start")
    item_id = staff.get("/api/meetings/1/state").json()["items"][0]["id"]
    tablet = signed_in_device(server, lost_token)
    by_token = await Socket.open(server, token=lost_token)
    by_cookie = await Socket.open(server, cookie=cookie_of(tablet))
    watching = await Socket.open(server, token=seeded.secretariat)
    try:
        for socket in (by_token, by_cookie, watching):
            await socket.wait_for('id="minutes"')
        removed = _body_action(staff, "person.deactivate", person_id=lost_id)
        assert removed.status_code == 200, removed.text
        # The secret arrives right after the removal commits.
        added = act(
            staff, 1, "minutes.add", item_id=item_id, speaker_role="member", text="非公開の核心"
        )
        assert added.status_code == 200, added.text
        statement_id = added.json()["statement_id"]
        hidden = act(
            staff,
            1,
            "minutes.disclosure",
            statement_id=statement_id,
            public=False,
            reason="個人情報",
        )
        assert hidden.status_code == 200, hidden.text
        assert await by_token.wait_closed() == CLOSE_SIGN_IN_AGAIN
        assert await by_cookie.wait_closed() == CLOSE_SIGN_IN_AGAIN
        await watching.wait_for("非公開の核心")  # the push went out, to others
        assert not any("非公開の核心" in message for message in by_token.messages)
        assert not any("非公開の核心" in message for message in by_cookie.messages)
        # The removed person's session no longer reads anything.
        assert tablet.get("/meetings/1").status_code == 401
        assert tablet.get("/api/meetings/1/state").status_code == 401
    finally:
        for socket in (by_token, by_cookie, watching):
            await socket.close()


async def test_a_revoked_link_ends_its_sessions_and_sockets(server: Server, seeded: Seeded) -> None:
    staff = api(server, seeded.secretariat)
    lost_id, lost_token = _second_secretariat(staff)
    tablet = signed_in_device(server, lost_token)
    cookie = cookie_of(tablet)
    assert tablet.get("/api/meetings/1/state").status_code == 200
    live = await Socket.open(server, cookie=cookie)
    try:
        await live.wait_for('id="floor"')
        assert _body_action(staff, "link.revoke", person_id=lost_id).status_code == 200
        assert await live.wait_closed() == CLOSE_SIGN_IN_AGAIN
    finally:
        await live.close()
    assert tablet.get("/meetings/1").status_code == 401
    assert tablet.get("/bodies/1").status_code == 401
    assert tablet.get("/api/meetings/1/state").status_code == 401
    # It cannot issue itself a new link.
    reissued = _body_action(tablet, "link.issue", person_id=lost_id)
    assert reissued.status_code == 401, reissued.text
    with pytest.raises(InvalidStatus) as refused:
        await Socket.open(server, cookie=cookie)
    assert refused.value.response.status_code == 403
    # A new link is a new sign-in, and works.
    fresh = _body_action(staff, "link.issue", person_id=lost_id).json()["token"]
    again = signed_in_device(server, fresh)
    assert again.get("/api/meetings/1/state").status_code == 200


async def test_a_new_role_closes_the_sockets_of_the_old_one(server: Server, seeded: Seeded) -> None:
    staff = api(server, seeded.secretariat)
    person_id, token = _second_secretariat(staff)
    live = await Socket.open(server, token=token)
    try:
        await live.wait_for('id="minutes"')
        changed = _body_action(staff, "person.edit", person_id=person_id, role="observer")
        assert changed.status_code == 200, changed.text
        assert await live.wait_closed() == CLOSE_SIGN_IN_AGAIN
    finally:
        await live.close()
    # The same link now opens the projector view: the new audience.
    again = await Socket.open(server, token=token)
    try:
        await again.wait_for('id="floor"')
        assert not any('id="minutes"' in message for message in again.messages)
    finally:
        await again.close()


async def test_a_device_whose_person_was_revoked_while_connecting_is_refused() -> None:
    """The race the live handler closes: credentials read before a revocation commits,
    the join after it."""

    async def no_state(*args: object) -> None:
        return None

    async def no_mine(*args: object) -> dict[int, Any]:
        return {}

    hub = Hub(Renderer(), no_state, no_mine)
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    since = hub.revocations
    hub.revoke(frozenset({7}))
    late = Subscriber(Audience("member", "ja"), 7, send)
    assert hub.admit(late, since) == CLOSE_SIGN_IN_AGAIN
    other = Subscriber(Audience("member", "ja"), 8, send)
    assert hub.admit(other, since) is None
    assert hub.admit(Subscriber(Audience("member", "ja"), 7, send), hub.revocations) is None
    await asyncio.sleep(0)
