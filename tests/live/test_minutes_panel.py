"""The secretariat's live minutes panel: a speech given the floor is an entry at once."""

from __future__ import annotations

import pytest

from tests.live.test_push import Device
from tests.support import Seeded, Server, act, api

pytestmark = pytest.mark.asyncio


async def test_a_granted_speech_appears_in_the_secretariats_panel_at_once(
    server: Server, seeded: Seeded
) -> None:
    chair = api(server, seeded.chair)
    secretariat_api = api(server, seeded.secretariat)
    speaker = seeded.links["member"][0][0]
    secretariat = Device(server, seeded.secretariat)
    member = Device(server, seeded.members[1])
    async with secretariat, member:
        await secretariat.wait_for("minutes", lambda html: "minutes" in html)
        await member.wait_for("floor", bool)
        act(chair, 1, "meeting.start")
        act(api(server, seeded.members[0]), 1, "floor.request")
        assert act(chair, 1, "floor.grant").status_code == 200
        html = await secretariat.wait_for("minutes", lambda h: speaker in h)
        assert "本部員（" + speaker + "）" in html and "badge-live" in html
        assert act(chair, 1, "floor.end").status_code == 200
        await secretariat.wait_for("minutes", lambda h: "badge-live" not in h)
        entry = secretariat_api.get("/api/meetings/1/minutes").json()["document"]["statements"]
        act(secretariat_api, 1, "minutes.edit", statement_id=entry[0]["id"], text="要点を記録")
        await secretariat.wait_for("minutes", lambda h: "要点を記録" in h)
        assert "minutes" not in member.parts
