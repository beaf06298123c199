"""material.present / material.present_stop: who may, what is checked, the state JSON's
``presenting``, and a page turn as a small push of its own (not a re-render of the room)."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.live.test_push import ID_AND_SEQ, Device
from tests.pdf_support import pdf
from tests.prep_support import PDF, png, upload
from tests.support import Seeded, Server, act, api, events, state


class RawDevice(Device):
    """A device that also keeps every message it received, whole."""

    def __init__(self, server: Server, token: str, view: str = "") -> None:
        super().__init__(server, token, view=view)
        self.raw: list[str] = []

    async def _read(self) -> None:
        async for message in self.socket:
            self.raw.append(message)
            self.messages += 1
            for fragment in re.split(r"(?=<(?:section|div|article) id=)", message):
                match = ID_AND_SEQ.match(fragment)
                if match:
                    self.parts[match.group(2)] = fragment
                    self.seqs[match.group(2)] = int(match.group(3))
            self.changed.set()


def _pdf_version(server: Server, seeded: Seeded) -> int:
    secretariat = api(server, seeded.secretariat)
    response = upload(secretariat, "資料1.pdf", pdf(5), "application/pdf", item_id=1)
    assert response.status_code == 200, response.text
    return int(response.json()["version_id"])


def test_only_the_secretariat_presents_and_a_refusal_changes_nothing(
    server: Server, seeded: Seeded
) -> None:
    version_id = _pdf_version(server, seeded)
    for token in (seeded.members[0], seeded.chair, seeded.observer):
        client = api(server, token)
        before = state(client)["seq"]
        response = act(client, 1, "material.present", version_id=version_id, page=2)
        assert response.status_code == 403, response.text
        assert state(client)["presenting"] is None
        assert state(client)["seq"] == before
        assert act(client, 1, "material.present_stop").status_code == 403
    secretariat = api(server, seeded.secretariat)
    response = act(secretariat, 1, "material.present", version_id=version_id, page=3)
    assert response.status_code == 200, response.text
    shown = state(api(server, seeded.members[0]))["presenting"]
    assert shown["version_id"] == version_id and shown["page"] == 3
    assert shown["title"] == "資料1"
    log = [e for e in events(secretariat) if e["action"] == "material.present"]
    assert log[-1]["payload"]["page"] == 3
    assert act(secretariat, 1, "material.present_stop").status_code == 200
    assert state(secretariat)["presenting"] is None
    # Stopping again is a no-op: nothing logged.
    seq = state(secretariat)["seq"]
    assert act(secretariat, 1, "material.present_stop").status_code == 200
    assert state(secretariat)["seq"] == seq


def test_bad_input_is_refused(server: Server, seeded: Seeded) -> None:
    version_id = _pdf_version(server, seeded)
    secretariat = api(server, seeded.secretariat)
    image = upload(secretariat, "図.png", png(), "image/png", item_id=1).json()["version_id"]
    cases = [
        ({"version_id": image, "page": 1}, 422),  # not a PDF
        ({"version_id": 99999, "page": 1}, 404),
        ({"version_id": version_id, "page": 0}, 422),
        ({"version_id": version_id, "page": "two"}, 422),
        ({"version_id": version_id, "page": 1, "zoom": 2}, 422),  # undeclared field
    ]
    for payload, status in cases:
        response = act(secretariat, 1, "material.present", **payload)
        assert response.status_code == status, (payload, response.text)
        assert "error" in response.json()
    assert state(secretariat)["presenting"] is None


def test_a_removed_material_is_no_longer_presented(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    response = upload(secretariat, "資料.pdf", PDF, "application/pdf", item_id=1)
    material_id, version_id = response.json()["material_id"], response.json()["version_id"]
    assert act(secretariat, 1, "material.present", version_id=version_id).status_code == 200
    assert state(secretariat)["presenting"]["page"] == 1
    assert act(secretariat, 1, "material.remove", material_id=material_id).status_code == 200
    assert state(secretariat)["presenting"] is None


def test_nothing_is_presented_once_the_meeting_is_over(server: Server, seeded: Seeded) -> None:
    version_id = _pdf_version(server, seeded)
    secretariat, chair = api(server, seeded.secretariat), api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    assert act(secretariat, 1, "material.present", version_id=version_id).status_code == 200
    assert state(secretariat)["presenting"]["page"] == 1
    act(chair, 1, "meeting.adjourn")
    assert state(secretariat)["presenting"] is None
    response = act(secretariat, 1, "material.present", version_id=version_id, page=2)
    assert response.status_code == 409


@pytest.mark.asyncio
async def test_a_page_turn_is_a_small_push_of_its_own(server: Server, seeded: Seeded) -> None:
    version_id = _pdf_version(server, seeded)
    secretariat = api(server, seeded.secretariat)
    member = RawDevice(server, seeded.members[0])
    projector = RawDevice(server, seeded.observer, view="projector")
    async with member, projector:
        await asyncio.gather(member.wait_for("floor", bool), projector.wait_for("floor", bool))
        await asyncio.sleep(0.3)  # the member's own part follows a join
        before = len(member.raw)
        for page in (1, 2, 3):
            response = act(secretariat, 1, "material.present", version_id=version_id, page=page)
            assert response.status_code == 200, response.text
            for device in (member, projector):
                await device.wait_for("presenting", lambda h, p=page: f'data-page="{p}"' in h)
        assert f'data-version-id="{version_id}"' in member.parts["presenting"]
        # Each turn pushed the presenting part alone: a few hundred bytes, no room parts.
        turns = member.raw[before:]
        assert 1 <= len(turns) <= 3
        for message in turns:
            assert message.startswith('<section id="presenting"'), message[:80]
            assert message.count(' id="') == 1 and len(message.encode()) < 1000, message
        # No other part of the room was sent again: theirs are still the seq of the join.
        others = {part: seq for part, seq in member.seqs.items() if part != "presenting"}
        assert others and all(seq < member.seqs["presenting"] for seq in others.values())
        assert len(set(others.values())) == 1
