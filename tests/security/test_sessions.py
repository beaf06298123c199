"""A session lives on the server: signing out ends it there, not only in the browser."""

from __future__ import annotations

import httpx

from board.app import SESSION_COOKIE
from tests.security.conftest import cookie_of, signed_in_device
from tests.support import Seeded, Server


def test_sign_out_ends_the_session_on_the_server(server: Server, seeded: Seeded) -> None:
    device = signed_in_device(server, seeded.members[0])
    cookie = cookie_of(device)
    assert device.get("/api/meetings/1/state").status_code == 200
    assert device.post("/sign-out").status_code == 303
    copied = httpx.Client(base_url=server.base, cookies={SESSION_COOKIE: cookie}, timeout=30)
    server.clients.append(copied)
    assert copied.get("/api/meetings/1/state").status_code == 401
    assert copied.get("/meetings/1").status_code == 401


def test_a_session_from_a_link_is_signed_out_by_removing_the_person(
    server: Server, seeded: Seeded
) -> None:
    staff = httpx.Client(
        base_url=server.base, headers={"Authorization": f"Bearer {seeded.secretariat}"}
    )
    server.clients.append(staff)
    added = staff.post(
        "/api/bodies/1/actions/person.add", json={"name": "新任委員", "role": "member"}
    )
    person_id = added.json()["person_id"]
    token = staff.post("/api/bodies/1/actions/link.issue", json={"person_id": person_id})
    device = signed_in_device(server, token.json()["token"])
    assert device.get("/api/meetings/1/state").status_code == 200
    removed = staff.post("/api/bodies/1/actions/person.deactivate", json={"person_id": person_id})
    assert removed.status_code == 200, removed.text
    assert device.get("/api/meetings/1/state").status_code == 401
