"""The vote actions both ways, with payloads that would succeed: every role without the
permission is refused (403) and nothing changes; every role with it succeeds. (The
generated matrix in test_matrix.py checks every action with an empty payload; this one
takes a vote through its lifecycle so the allowed side really acts.)"""

from __future__ import annotations

from typing import Any

import httpx

from board.actions import REGISTRY
from board.actions.permissions import allowed
from board.models import Role
from tests.support import Seeded, Server, api, state

VOTE_ACTIONS = sorted(name for name in REGISTRY if name.startswith("vote."))


def _post(client: httpx.Client, name: str, payload: dict[str, Any]) -> httpx.Response:
    return client.post(f"/api/meetings/1/actions/{name}", json=payload)


def _both_ways(
    clients: dict[Role, httpx.Client], name: str, payload: dict[str, Any]
) -> dict[Role, httpx.Response]:
    """Refused for every role without the permission (the seq unchanged), then done by
    every role with it."""
    permission = REGISTRY[name].permission
    watcher = clients[Role.CHAIR]
    answers = {}
    for role in Role:
        if allowed(role, permission):
            continue
        before = state(watcher)["seq"]
        answers[role] = refused = _post(clients[role], name, payload)
        assert refused.status_code == 403, (name, role, refused.text)
        assert state(watcher)["seq"] == before, (name, role)
    for role in Role:
        if allowed(role, permission):
            answers[role] = done = _post(clients[role], name, payload)
            assert done.status_code == 200, (name, role, done.text)
    return answers


def test_every_vote_action_both_ways(server: Server, seeded: Seeded) -> None:
    clients = {role: api(server, seeded.token(role.value)) for role in Role}
    clients[Role.MEMBER] = api(server, seeded.members[0])
    rules = {"chair_votes": True}
    for role in (Role.CHAIR, Role.MEMBER, Role.OBSERVER):
        refused = clients[role].post("/api/bodies/1/actions/body.vote_rules", json=rules)
        assert refused.status_code == 403
    secretariat = clients[Role.SECRETARIAT]
    assert secretariat.post("/api/bodies/1/actions/body.vote_rules", json=rules).status_code == 200
    chair = clients[Role.CHAIR]
    assert _post(chair, "meeting.start", {}).status_code == 200
    for token in seeded.members[:20]:
        assert _post(api(server, token), "attendance.mark", {}).status_code == 200
    assert _post(chair, "attendance.mark", {}).status_code == 200

    prepared = _both_ways(clients, "vote.prepare", {"question": "第1号議案", "method": "named"})
    vote_id = prepared[Role.CHAIR].json()["vote_id"]
    _both_ways(clients, "vote.open", {"vote_id": vote_id})
    _both_ways(clients, "vote.cast", {"vote_id": vote_id, "choice": "yes"})
    _both_ways(clients, "vote.close", {"vote_id": vote_id})
    _both_ways(clients, "vote.announce", {"vote_id": vote_id})
    vote = next(v for v in state(chair)["votes"] if v["id"] == vote_id)
    assert vote["counts"] == {"yes": 2, "no": 0, "abstain": 0}  # the member and the chair
    other = prepared[Role.SECRETARIAT].json()["vote_id"]
    _both_ways(clients, "vote.cancel", {"vote_id": other, "reason": "重複"})
    covered = {"vote.prepare", "vote.open", "vote.cast", "vote.close", "vote.announce"}
    assert set(VOTE_ACTIONS) == covered | {"vote.cancel"}
