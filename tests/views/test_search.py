"""Full-text search through the API: Japanese of two characters and longer, English, and
always the text as it is now."""

from __future__ import annotations

import httpx

from tests.minutes.driven import drive, ok
from tests.support import Seeded, Server, act


def _found(client: httpx.Client, query: str) -> list[dict[str, str]]:
    response = client.get("/api/search", params={"q": query})
    assert response.status_code == 200, response.text
    results: list[dict[str, str]] = response.json()["results"]
    return results


def test_search_finds_japanese_and_english_and_follows_every_change(
    server: Server, seeded: Seeded
) -> None:
    meeting = drive(server, seeded)
    secretariat = meeting.secretariat
    statements = meeting.statements()
    ok(
        act(
            secretariat,
            1,
            "minutes.edit",
            statement_id=statements[0]["id"],
            text="デジタル人材の確保と育成について意見があった。",
        )
    )
    ok(
        act(
            secretariat,
            1,
            "minutes.edit",
            statement_id=statements[1]["id"],
            text="The Digital Transformation plan needs a budget review.",
        )
    )
    decision = ok(
        act(
            secretariat,
            1,
            "minutes.add_decision",
            item_id=meeting.items[1],
            text="書かない窓口を令和9年度に全庁展開する。",
        )
    )
    ok(
        act(
            secretariat,
            1,
            "minutes.add_action_item",
            item_id=meeting.items[2],
            what="窓口の混雑状況を調査する",
            department="市民生活部",
        )
    )

    two = _found(secretariat, "人材")
    assert [hit["id"] for hit in two] == [statements[0]["id"]]
    assert "<mark>人材</mark>" in two[0]["snippet"]
    assert two[0]["url"] == f"/meetings/1/minutes#s-{statements[0]['id']}"
    phrase = _found(secretariat, "人材の確保と育成")
    assert [hit["id"] for hit in phrase] == [statements[0]["id"]]
    assert "<mark>人材の確保と育成</mark>" in phrase[0]["snippet"]
    english = _found(secretariat, "digital transformation")
    assert [hit["id"] for hit in english] == [statements[1]["id"]]
    assert "<mark>Digital</mark>" in english[0]["snippet"]
    assert [hit["kind"] for hit in _found(secretariat, "全庁展開")] == ["decision"]
    assert [hit["kind"] for hit in _found(secretariat, "市民生活部")] == ["action_item"]
    assert _found(secretariat, "予算") == []

    # Text added a moment ago is found; text that was replaced or removed is not.
    ok(
        act(
            secretariat,
            1,
            "minutes.edit",
            statement_id=statements[0]["id"],
            text="予算の確保について質問があった。",
        )
    )
    assert _found(secretariat, "人材") == [] and _found(secretariat, "人材の確保") == []
    assert [hit["id"] for hit in _found(secretariat, "予算")] == [statements[0]["id"]]
    added = ok(
        act(
            secretariat,
            1,
            "minutes.add",
            item_id=meeting.items[0],
            speaker_role="chair",
            text="閉会を宣言した。",
        )
    )
    assert [hit["id"] for hit in _found(secretariat, "閉会を宣言")] == [added["statement_id"]]
    ok(
        act(
            secretariat,
            1,
            "minutes.remove",
            statement_id=added["statement_id"],
            reason="誤って追加",
        )
    )
    assert _found(secretariat, "閉会を宣言") == [] and _found(secretariat, "閉会") == []
    ok(act(secretariat, 1, "minutes.remove_decision", decision_id=decision["decision_id"]))
    assert _found(secretariat, "全庁展開") == []


def test_the_search_page_highlights_safely(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    statement = meeting.statements()[0]
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.edit",
            statement_id=statement["id"],
            text="<b>太字</b>にしない人材の話",
        )
    )
    page = meeting.secretariat.get("/search", params={"q": "人材"})
    assert page.status_code == 200
    assert "&lt;b&gt;太字&lt;/b&gt;にしない<mark>人材</mark>の話" in page.text
    assert f'href="/meetings/1/minutes#s-{statement["id"]}"' in page.text
    too_long = meeting.secretariat.get("/api/search", params={"q": "あ" * 201})
    assert too_long.status_code == 422


def test_what_the_secretariat_said_about_a_term_in_a_fiscal_year(
    server: Server, seeded: Seeded
) -> None:
    """The issue's question in one search: role, term and 年度 together, full-width input
    finding half-width text, a total and pages, through the page and the API alike."""
    meeting = drive(server, seeded)
    client = meeting.secretariat
    for statement in meeting.statements():
        text = f"５Ｇと人材の話（{statement['id']}）"
        ok(act(client, 1, "minutes.edit", statement_id=statement["id"], text=text))
    everyone = client.get("/api/search", params={"q": "5g 人材", "per_page": 2}).json()
    assert everyone["total"] == len(meeting.statements()) and len(everyone["results"]) == 2
    assert everyone["pages"] == (everyone["total"] + 1) // 2
    every = client.get("/api/search", params={"q": "人材", "per_page": 100}).json()["results"]
    day = every[0]["meeting_date"]
    year = int(day[:4]) if day[5:] >= "04-01" else int(day[:4]) - 1
    asked = {"q": "人材", "role": "事務局", "year": year, "kind": "statement", "order": "date"}
    found = client.get("/api/search", params=asked).json()
    secretariat_said = [hit for hit in every if hit["label"].startswith("事務局")]
    assert found["total"] == len(secretariat_said) > 0, found
    assert all("事務局" in hit["label"] for hit in found["results"])
    other_year = client.get("/api/search", params={**asked, "year": year - 1}).json()
    assert other_year["total"] == 0
    page = client.get("/search", params=asked)
    assert page.status_code == 200 and '<option value="statement" selected>' in page.text
    for bad in ({"from": "2021-13-01"}, {"kind": "vote"}, {"order": "random"}, {"page": "0"}):
        response = client.get("/api/search", params={"q": "人材", **bad})
        assert response.status_code == 422 and response.json()["error"] == "invalid", bad
