"""Read-ahead: opening a material is recorded once per person and version, and the
secretariat sees the right counts (API and page)."""

from __future__ import annotations

import re

import httpx

from board.store import materials
from tests.prep_support import MARKDOWN, PDF, png, upload
from tests.support import Seeded, Server, act, api, events, store_for


def _opens(client: httpx.Client) -> list[dict[str, object]]:
    return [e for e in events(client) if e["action"] == "material.open"]


async def test_opening_is_recorded_once_per_person_and_version(
    server: Server, seeded: Seeded
) -> None:
    secretariat, chair = api(server, seeded.secretariat), api(server, seeded.chair)
    first, second, third = (api(server, token) for token in seeded.members[:3])
    plan = upload(secretariat, "計画案.pdf", PDF, "application/pdf", item_id=2).json()
    photo = upload(secretariat, "写真.png", png(), "image/png", item_id=3).json()
    notes = upload(secretariat, "要旨.md", MARKDOWN, "text/markdown", item_id=3).json()
    plan_url = f"/meetings/1/files/{plan['version_id']}"
    photo_url = f"/meetings/1/files/{photo['version_id']}"

    # The first member opens the PDF three times (one a range request, one a HEAD).
    assert first.get(plan_url).status_code == 200
    assert first.get(plan_url, headers={"Range": "bytes=0-99"}).status_code == 206
    assert first.head(plan_url).status_code == 200
    assert len(_opens(chair)) == 1
    # ... and the image and the Markdown (shown in its page).
    assert first.get(photo_url).status_code == 200
    assert first.get(f"/meetings/1/materials/{notes['material_id']}").status_code == 200
    assert first.get(f"/meetings/1/materials/{notes['material_id']}").status_code == 200
    # The second member opens only the PDF.
    assert second.get(plan_url).status_code == 200
    assert len(_opens(chair)) == 4

    # A new version of the PDF: opening it is a new read; the old one still counts as read.
    newer = upload(
        secretariat,
        "計画案_第2版.pdf",
        PDF + b"%v2\n",
        "application/pdf",
        material_id=plan["material_id"],
    ).json()
    assert second.get(f"/meetings/1/files/{newer['version_id']}").status_code == 200
    assert len(_opens(chair)) == 5

    summary = secretariat.get("/api/meetings/1/read-ahead").json()
    assert (summary["members"], summary["materials"]) == (30, 3)
    assert summary["complete"] == 1  # only the first member opened all three
    by_material = {m["material_id"]: m for m in summary["per_material"]}
    assert by_material[plan["material_id"]]["opened"] == 2
    assert by_material[plan["material_id"]]["opened_current_version"] == 1
    assert by_material[photo["material_id"]]["opened"] == 1
    assert summary["before"] is None

    page = secretariat.get("/meetings/1").text
    reading = page[page.index('id="reading"') :]
    assert 'data-complete="1" data-members="30"' in reading
    assert "閲覧 2 / 30" in reading
    assert "（以前の版）" in reading  # the first member read version 1 only

    # After the meeting starts, a late reader is listed but not counted as read ahead.
    assert act(chair, 1, "meeting.start").status_code == 200
    for url in (f"/meetings/1/files/{newer['version_id']}", photo_url):
        assert third.get(url).status_code == 200
    assert third.get(f"/meetings/1/materials/{notes['material_id']}").status_code == 200
    late = secretariat.get("/api/meetings/1/read-ahead").json()
    assert late["before"] is not None
    assert late["complete"] == 1
    third_row = next(m for m in late["per_member"] if m["name"] == seeded.links["member"][2][0])
    assert len(third_row["opened"]) == 3 and third_row["complete"] is False

    # The report reads the same numbers from the store.
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    try:
        async with db.read() as conn:
            found = await materials.read_ahead(conn, 1)
    finally:
        await db.close()
    assert found is not None
    assert (found.complete_count, len(found.members), found.share_percent) == (1, 30, 3)


def test_only_the_secretariat_sees_the_read_ahead(server: Server, seeded: Seeded) -> None:
    for token in (seeded.members[0], seeded.chair, seeded.observer):
        assert api(server, token).get("/api/meetings/1/read-ahead").status_code == 403
    member_page = api(server, seeded.members[0]).get("/meetings/1").text
    assert 'id="reading"' not in member_page
    assert re.search(r'id="items"', member_page)
