"""An opinion can point at a page of a material: 「資料1 p.12 について」 is a link that opens
that page, on the member's page, the chair's list and in the opinions CSV."""

from __future__ import annotations

import csv
import io

from tests.pdf_support import pdf
from tests.prep_support import upload
from tests.support import Seeded, Server, act, api

LINK = "資料1 p.12 について"


def test_an_opinion_points_at_a_page(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    response = upload(secretariat, "資料1.pdf", pdf(20), "application/pdf", item_id=2)
    material_id = response.json()["material_id"]
    member = api(server, seeded.members[0])
    response = act(
        member,
        1,
        "opinion.write",
        item_id=2,
        stance="question",
        text="12ページの数値の根拠は。",
        material_id=material_id,
        page=12,
    )
    assert response.status_code == 200, response.text
    opinion_id = response.json()["opinion_id"]
    listed = {o["id"]: o for o in member.get("/api/meetings/1/opinions").json()["opinions"]}
    assert (listed[opinion_id]["material_id"], listed[opinion_id]["page"]) == (material_id, 12)

    href = f'href="/meetings/1/materials/{material_id}#page=12"'
    for token in (seeded.members[1], seeded.chair, seeded.secretariat):
        page = api(server, token).get("/meetings/1", headers={"accept-language": "ja"})
        entry = page.text[page.text.index(f'id="opinion-{opinion_id}"') :]
        entry = entry[: entry.index("</li>")]
        assert href in entry and LINK in entry, token

    exported = secretariat.get("/meetings/1/opinions.csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    row = next(r for r in rows[1:] if r[0] == str(opinion_id))
    assert row[-1] == "資料1 p.12"


def test_a_page_reference_is_checked(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    material_id = upload(secretariat, "資料1.pdf", pdf(2), "application/pdf", item_id=2).json()[
        "material_id"
    ]
    member = api(server, seeded.members[0])
    base = {"item_id": 2, "stance": "support", "text": "賛成です。"}
    cases = [
        ({"page": 3}, 422),  # a page without its material
        ({"material_id": material_id, "page": 0}, 422),
        ({"material_id": 99999, "page": 1}, 404),
    ]
    for extra, status in cases:
        response = act(member, 1, "opinion.write", **base, **extra)
        assert response.status_code == status, (extra, response.text)
    assert member.get("/api/meetings/1/opinions").json()["opinions"] == []
