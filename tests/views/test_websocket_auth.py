"""The push channel refuses the unauthenticated, the wrong meeting and other sites."""

from __future__ import annotations

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.support import Seeded, Server, api

pytestmark = pytest.mark.asyncio


async def _refused(url: str, **kwargs: object) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(url, **kwargs):  # type: ignore[arg-type]
            pass
    assert refused.value.response.status_code == 403


async def test_unauthenticated_is_refused(server: Server) -> None:
    await _refused(f"{server.ws_base}/meetings/1/live")


async def test_a_revoked_or_bogus_token_is_refused(server: Server) -> None:
    await _refused(
        f"{server.ws_base}/meetings/1/live", additional_headers={"Authorization": "Bearer nope"}
    )


async def test_another_meeting_or_body_is_refused(server: Server, seeded: Seeded) -> None:
    headers = {"Authorization": f"Bearer {seeded.members[0]}"}
    await _refused(f"{server.ws_base}/meetings/77/live", additional_headers=headers)
    secretariat = api(server, seeded.secretariat)
    draft = secretariat.post(
        "/api/bodies/1/actions/meeting.create",
        json={
            "title": "非公開の準備",
            "date": "2027-02-01",
            "start_time": "10:00",
            "planned_end": "11:00",
        },
    ).json()["meeting_id"]
    await _refused(f"{server.ws_base}/meetings/{draft}/live", additional_headers=headers)


async def test_a_browser_from_another_site_is_refused(server: Server, seeded: Seeded) -> None:
    headers = {"Authorization": f"Bearer {seeded.members[0]}"}
    await _refused(
        f"{server.ws_base}/meetings/1/live",
        additional_headers=headers,
        origin="https://evil.example",
    )
    async with websockets.connect(
        f"{server.ws_base}/meetings/1/live", additional_headers=headers, origin=server.base
    ) as socket:
        first = await socket.recv()
        assert 'id="floor"' in first
