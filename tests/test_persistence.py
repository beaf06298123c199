"""kill -9 mid-speech loses nothing committed."""

from __future__ import annotations

from tests.support import Seeded, Server, act, api, state


def test_state_survives_sigkill_mid_speech(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    act(chair, 1, "agenda.next")
    for token in seeded.members[:4]:
        act(api(server, token), 1, "floor.request", kind="question")
    act(api(server, seeded.members[4]), 1, "floor.request", kind="point_of_order")
    act(chair, 1, "floor.grant")
    act(chair, 1, "timer.extend", seconds=90)
    act(chair, 1, "floor.close")
    before = state(chair)
    assert before["speaking"] is not None

    server.kill9()
    server.start()

    after = state(api(server, seeded.chair))
    assert after == before
    assert after["speaking"]["started_at"] == before["speaking"]["started_at"]
    assert after["items"][1]["list_closed"] is True
