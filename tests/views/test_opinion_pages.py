"""The author's edit page and the plain forms (no JavaScript) for opinions."""

from __future__ import annotations

from tests.support import Seeded, Server, act, api


def test_the_author_edits_and_withdraws_from_the_page(server: Server, seeded: Seeded) -> None:
    author, other = api(server, seeded.members[0]), api(server, seeded.members[1])
    written = act(author, 1, "opinion.write", item_id=2, stance="concern", text="初稿です")
    opinion_id = written.json()["opinion_id"]
    page = author.get(f"/meetings/1/opinions/{opinion_id}/edit")
    assert page.status_code == 200
    assert "初稿です</textarea>" in page.text
    assert other.get(f"/meetings/1/opinions/{opinion_id}/edit").status_code == 403
    assert author.get("/meetings/1/opinions/999/edit").status_code == 404

    saved = author.post(
        "/meetings/1/actions/opinion.edit",
        data={"opinion_id": str(opinion_id), "stance": "proposal", "text": "修正しました"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/meetings/1#opinion-{opinion_id}"
    landed = author.get(saved.headers["location"]).text
    assert "意見を修正しました" in landed and "修正しました" in landed

    agreed = other.post(
        "/meetings/1/actions/opinion.agree",
        data={"opinion_id": str(opinion_id)},
        headers={"hx-request": "true"},
    )
    assert agreed.status_code == 200
    assert f'id="mine" hidden data-agreed="{opinion_id}"' in agreed.text
    assert 'hx-swap-oob="true"' in agreed.text

    gone = author.post(
        "/meetings/1/actions/opinion.withdraw",
        data={"opinion_id": str(opinion_id), "anchor": "item-2"},
        follow_redirects=False,
    )
    assert gone.headers["location"] == "/meetings/1#item-2"
    assert "修正しました" not in author.get("/meetings/1").text
    assert "取り下げられています" in author.get(f"/meetings/1/opinions/{opinion_id}/edit").text
