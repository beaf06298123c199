"""The printed sign-in sheet on a real server: printing makes fresh links (the earlier ones
stop working), shows each person's QR code, and the code holds the link."""

from __future__ import annotations

import re

import httpx
import segno

from tests.support import Seeded, Server, api


def _device(server: Server, token: str) -> httpx.Client:
    client = httpx.Client(
        base_url=server.base, follow_redirects=True, headers={"Origin": server.base}
    )
    server.clients.append(client)
    assert client.get(f"/join/{token}").status_code == 200
    return client


def _sheets(html: str) -> list[tuple[int, str, str]]:
    """(person id, the QR code's SVG, the printed address) of each sheet."""
    found = re.findall(
        r'data-person-id="(\d+)"[^>]*>(<svg.*?</svg>)</div>.*?class="sheet-url">([^<]+)</p>',
        html,
        flags=re.S,
    )
    return [(int(person_id), svg, url) for person_id, svg, url in found]


def test_printing_makes_new_links_and_the_old_ones_stop_working(
    server: Server, seeded: Seeded
) -> None:
    secretariat = _device(server, seeded.secretariat)
    member_id = int(api(server, seeded.members[0]).get("/api/meetings/1/state").status_code)
    assert member_id == 200
    response = secretariat.post("/bodies/1/sign-in-sheet", data={})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert "以前のリンクは使えなくなりました" in response.text
    sheets = _sheets(response.text)
    assert len(sheets) == sum(len(links) for links in seeded.links.values()) - 1  # not the printer
    for _, svg, url in sheets:
        # Re-encoding the printed address gives the very matrix the page shows.
        assert svg == segno.make(url, error="m", micro=False, boost_error=False).svg_inline(
            scale=4, border=4, dark="#000", light="#fff"
        )
        assert url.startswith(f"{server.base}/join/")
    # The old links no longer sign in; the printed ones do.
    stranger = httpx.Client(base_url=server.base)
    server.clients.append(stranger)
    assert stranger.get(f"/join/{seeded.members[0]}").status_code in (401, 403, 404)
    newcomer = httpx.Client(base_url=server.base, follow_redirects=True)
    server.clients.append(newcomer)
    assert newcomer.get(sheets[0][2].removeprefix(server.base)).status_code == 200
    assert newcomer.get("/api/meetings/1/state").status_code == 200
    # The tokens are not in the event log.
    events = api(server, sheets[0][2].rsplit("/", 1)[1]).get("/api/meetings/1/events")
    assert sheets[0][2].rsplit("/", 1)[1] not in events.text


def test_one_person_sheet_and_who_may_print(server: Server, seeded: Seeded) -> None:
    secretariat = _device(server, seeded.secretariat)
    html = secretariat.get("/bodies/1").text
    person_id = int(re.findall(r'<tr data-person-id="(\d+)"', html)[1])
    response = secretariat.post("/bodies/1/sign-in-sheet", data={"person_ids": str(person_id)})
    assert [sheet[0] for sheet in _sheets(response.text)] == [person_id]
    member = _device(server, seeded.members[1])
    refused = member.post("/bodies/1/sign-in-sheet", data={})
    assert refused.status_code == 403
    assert "/join/" not in refused.text
