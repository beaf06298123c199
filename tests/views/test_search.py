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
