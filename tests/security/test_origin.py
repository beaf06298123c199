"""The same-origin rule for state-changing requests compares the scheme as well as the
host: a page served over plain HTTP is not the board served over TLS."""

from __future__ import annotations

import httpx

from tests.support import Seeded, Server, api, events, state


def test_the_same_host_over_another_scheme_is_refused(server: Server, seeded: Seeded) -> None:
    with httpx.Client(base_url=server.base) as device:
        device.get(f"/join/{seeded.chair}")
        chair = api(server, seeded.chair)
        before = events(chair)
        other_scheme = server.base.replace("http://", "https://")
        refused = device.post("/meetings/1/actions/meeting.start", headers={"Origin": other_scheme})
        assert refused.status_code == 403
        assert events(chair) == before
        assert state(chair)["meeting"]["status"] == "published"
        same = device.post(
            "/meetings/1/actions/meeting.start",
            headers={"Origin": server.base},
            follow_redirects=False,
        )
        assert same.status_code in (200, 303)
        assert state(chair)["meeting"]["status"] == "live"


def test_the_base_url_origin_is_allowed(seeded: Seeded) -> None:
    """Behind a TLS proxy the board sees http while the browser sends https: the origin of
    BOARD_BASE_URL is the board's own."""
    public = "https://board.city.example"
    running = Server(seeded.db_path, env={"BOARD_BASE_URL": public + "/"}).start()
    try:
        with httpx.Client(base_url=running.base) as device:
            device.get(f"/join/{seeded.chair}")
            start = "/meetings/1/actions/meeting.start"
            assert (
                device.post(start, headers={"Origin": "http://board.city.example"}).status_code
                == 403
            )
            allowed = device.post(start, headers={"Origin": public}, follow_redirects=False)
            assert allowed.status_code in (200, 303)
    finally:
        running.stop()
