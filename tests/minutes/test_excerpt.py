"""Omitted items in an excerpt (抄) (issue 12, point 2): whole items, or a run of them, are
left out and marked the way municipal excerpts mark them; the JSON says which."""

from __future__ import annotations

from typing import Any

from tests.minutes.driven import drive, ok
from tests.support import Seeded, Server, act


def test_an_excerpt_omits_whole_items_and_marks_them(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    secretariat = meeting.secretariat
    first, second, third = meeting.items
    ok(act(secretariat, 1, "minutes.add_decision", item_id=second, text="原案のとおり了承した。"))
    ok(act(secretariat, 1, "minutes.header", kind="excerpt"))
    ok(act(secretariat, 1, "minutes.omit", item_ids=[second, third]))  # a run of items

    document: dict[str, Any] = meeting.minutes()["document"]
    omitted = {item["id"]: item["omitted"] for item in document["items"]}
    assert omitted[first] is False and omitted[second] is True and omitted[third] is True
    assert document["omitted_mark"] == "※省略"
    assert {s["item_id"] for s in document["statements"]} == {first}
    assert all(not item["decisions"] for item in document["items"])
    text = secretariat.get("/meetings/1/minutes.txt").text
    titles = {item["id"]: item["title"] for item in document["items"]}
    assert f"2. {titles[second]}　※省略" in text and f"3. {titles[third]}　※省略" in text
    assert f"1. {titles[first]}\n" in text
    assert "原案のとおり了承した" not in text
    html = secretariat.get("/meetings/1/minutes/document").text
    assert html.count('data-omitted="1"') == 2
    assert "※省略" in secretariat.get("/meetings/1/minutes.md").text

    # The mark is the body's own, and an item comes back.
    ok(act(secretariat, 1, "minutes.header", omitted_mark="（省略）"))
    ok(act(secretariat, 1, "minutes.omit", item_ids=[third], omitted=False))
    document = meeting.minutes()["document"]
    assert document["omitted_mark"] == "（省略）"
    assert [item["omitted"] for item in document["items"]][:3] == [False, True, False]
    assert f"2. {titles[second]}　（省略）" in secretariat.get("/meetings/1/minutes.txt").text

    # Omission belongs to an excerpt: the full minutes print everything.
    ok(act(secretariat, 1, "minutes.header", kind="full"))
    document = meeting.minutes()["document"]
    assert not any(item["omitted"] for item in document["items"])
    assert {s["item_id"] for s in document["statements"]} == {first, second, third}

    refused = act(secretariat, 1, "minutes.omit", item_ids=[99999])
    assert refused.status_code == 404
    assert act(meeting.members[0], 1, "minutes.omit", item_ids=[first]).status_code == 403
