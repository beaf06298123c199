"""The authorization matrix, generated from the action registry: every registered action,
as every role, as a person of another body, with a revoked link, as a deactivated person
and without signing in, against a real server. The expected answer comes from each
action's declared permission (board.actions.permissions):

- a role without the permission: 403;
- no credentials, a revoked link, a deactivated person: 401;
- a person of another body (with a role that would hold the permission): 403 or 404,
  except for a global action, which belongs to no body;
- a role with the permission: anything but 401/403 (the empty payload may be refused as
  invalid, 422, or the state may not allow it, 409).

Refused calls leave the meeting's ``seq`` unchanged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from board.actions import REGISTRY
from board.actions.permissions import Permission, allowed
from board.actions.registry import Action, Scope
from board.demo import seed
from board.models import Role
from tests.support import Seeded, Server, seed_database, store_for

ROLES = tuple(Role)
UNAUTHENTICATED = (401,)
FORBIDDEN = (403,)
OTHER_BODY = (403, 404)


@dataclass
class Room:
    server: Server
    clients: dict[str, httpx.Client]  # by principal: a role, or "<kind>:<role>"
    anonymous: httpx.Client


def _client(server: Server, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = httpx.Client(base_url=server.base, headers=headers, timeout=30)
    server.clients.append(client)
    return client


def _second_body(db_path: Path) -> dict[str, list[tuple[str, str]]]:
    """The demo body once more: body 2, with its own roster and meeting."""

    async def run() -> dict[str, list[tuple[str, str]]]:
        db = store_for(db_path)
        await db.open()
        try:
            return await seed(db)
        finally:
            await db.close()

    return asyncio.run(run())


def _person_with_link(secretariat: httpx.Client, name: str, role: Role) -> tuple[int, str]:
    added = secretariat.post(
        "/api/bodies/1/actions/person.add", json={"name": name, "affiliation": "", "role": role}
    )
    assert added.status_code == 200, added.text
    person_id = int(added.json()["person_id"])
    link = secretariat.post("/api/bodies/1/actions/link.issue", json={"person_id": person_id})
    assert link.status_code == 200, link.text
    return person_id, str(link.json()["token"])


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    folder = tmp_path_factory.mktemp("matrix")
    seeded: Seeded = seed_database(folder / "board.db")
    other = _second_body(seeded.db_path)
    server = Server(seeded.db_path).start()
    try:
        clients = {role.value: _client(server, seeded.token(role.value)) for role in ROLES}
        secretariat = clients[Role.SECRETARIAT.value]
        for role in ROLES:
            clients[f"other:{role.value}"] = _client(server, other[role.value][0][1])
            # One person of each role whose link is revoked, one who is deactivated: they
            # would hold every permission of their role.
            person_id, token = _person_with_link(secretariat, f"失効 {role.value}", role)
            revoked = secretariat.post(
                "/api/bodies/1/actions/link.revoke", json={"person_id": person_id}
            )
            assert revoked.status_code == 200, revoked.text
            clients[f"revoked:{role.value}"] = _client(server, token)
            person_id, token = _person_with_link(secretariat, f"退任 {role.value}", role)
            gone = secretariat.post(
                "/api/bodies/1/actions/person.deactivate", json={"person_id": person_id}
            )
            assert gone.status_code == 200, gone.text
            clients[f"deactivated:{role.value}"] = _client(server, token)
        yield Room(server, clients, _client(server, None))
    finally:
        server.stop()


def _url(action: Action) -> str:
    if action.scope is Scope.MEETING:
        return f"/api/meetings/1/actions/{action.name}"
    if action.scope is Scope.BODY:
        return f"/api/bodies/1/actions/{action.name}"
    return f"/api/actions/{action.name}"


def _holder(permission: Permission) -> Role:
    """A role that holds the permission (so a refusal is not merely the role's)."""
    return next(role for role in ROLES if allowed(role, permission))


def _seq(room: Room) -> int:
    response = room.clients[Role.CHAIR.value].get("/api/meetings/1/state")
    assert response.status_code == 200, response.text
    return int(response.json()["seq"])


def test_the_matrix_covers_every_registered_action() -> None:
    assert len(REGISTRY) > 40
    assert {action.scope for action in REGISTRY.values()} == set(Scope)
    for action in REGISTRY.values():
        assert any(allowed(role, action.permission) for role in ROLES), action.name


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_action_answers_as_its_permission_says(room: Room, name: str) -> None:
    action = REGISTRY[name]
    url = _url(action)
    holder = _holder(action.permission).value
    refused: list[tuple[str, httpx.Client, tuple[int, ...]]] = [
        ("no credentials", room.anonymous, UNAUTHENTICATED),
        ("revoked link", room.clients[f"revoked:{holder}"], UNAUTHENTICATED),
        ("deactivated person", room.clients[f"deactivated:{holder}"], UNAUTHENTICATED),
    ]
    if action.scope is not Scope.GLOBAL:
        refused.append(("another body", room.clients[f"other:{holder}"], OTHER_BODY))
    for role in ROLES:
        if not allowed(role, action.permission):
            refused.append((role.value, room.clients[role.value], FORBIDDEN))

    before = _seq(room)
    for who, client, expected in refused:
        response = client.post(url, json={})
        assert response.status_code in expected, f"{name} as {who}: {response.text}"
    assert _seq(room) == before, f"a refused {name} changed the meeting"

    for role in ROLES:
        if allowed(role, action.permission):
            response = room.clients[role.value].post(url, json={})
            assert response.status_code not in (401, 403), f"{name} as {role}: {response.text}"
            assert response.status_code < 500, f"{name} as {role}: {response.text}"
