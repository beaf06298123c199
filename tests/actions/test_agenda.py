"""The agenda with sub-items from the start (issue 12, point 1): built while preparing,
moved with their main item, skipped as headings when stepping, numbered 1. 2. 3. and
(1) (2) the same on every page, in the opinions CSV, the minutes and the report."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from tests.minutes.driven import ok
from tests.support import Seeded, Server, act, api, state


def numbers(client: httpx.Client) -> list[tuple[str, str]]:
    return [(item["number"], item["title"]) for item in state(client)["items"]]


def build(secretariat: httpx.Client) -> dict[str, int]:
    """開会 / 報告 / 議事 (1) (2) / 閉会, the sub-items added after 閉会 exists."""
    for item in state(secretariat)["items"]:
        ok(act(secretariat, 1, "agenda.delete", item_id=item["id"]))
    ids = {}
    for title in ("開会", "報告", "議事", "閉会"):
        ids[title] = ok(act(secretariat, 1, "agenda.add", title=title))["item_id"]
    for title in ("人材育成", "窓口改革"):
        ids[title] = ok(act(secretariat, 1, "agenda.add", title=title, parent_id=ids["議事"]))[
            "item_id"
        ]
    return ids


BUILT = [
    ("1.", "開会"),
    ("2.", "報告"),
    ("3.", "議事"),
    ("(1)", "人材育成"),
    ("(2)", "窓口改革"),
    ("4.", "閉会"),
]


def test_sub_items_are_built_moved_and_refused_where_they_cannot_go(
    server: Server, seeded: Seeded
) -> None:
    secretariat = api(server, seeded.secretariat)
    ids = build(secretariat)
    assert numbers(secretariat) == BUILT
    items = {item["title"]: item for item in state(secretariat)["items"]}
    assert items["窓口改革"]["path"] == "3(2)" and items["窓口改革"]["parent_id"] == ids["議事"]
    assert items["議事"]["heading"] is True and items["開会"]["heading"] is False

    # A main item moves with its sub-items; a sub-item moves among its siblings.
    ok(act(secretariat, 1, "agenda.move", item_id=ids["議事"], to=0))
    assert [title for _, title in numbers(secretariat)][:3] == ["議事", "人材育成", "窓口改革"]
    ok(act(secretariat, 1, "agenda.move", item_id=ids["議事"], to=2))
    assert numbers(secretariat) == BUILT
    ok(act(secretariat, 1, "agenda.move", item_id=ids["窓口改革"], to=0))
    assert numbers(secretariat)[3:5] == [("(1)", "窓口改革"), ("(2)", "人材育成")]
    ok(act(secretariat, 1, "agenda.move", item_id=ids["窓口改革"], to=1))
    # An item becomes a sub-item and a main item again with agenda.edit.
    ok(act(secretariat, 1, "agenda.edit", item_id=ids["報告"], parent_id=ids["開会"]))
    assert numbers(secretariat)[:3] == [("1.", "開会"), ("(1)", "報告"), ("2.", "議事")]
    ok(act(secretariat, 1, "agenda.edit", item_id=ids["報告"], parent_id=""))
    assert numbers(secretariat) == BUILT

    refused = {
        "under a sub-item": act(secretariat, 1, "agenda.add", title="x", parent_id=ids["人材育成"]),
        "a heading under another": act(
            secretariat, 1, "agenda.edit", item_id=ids["議事"], parent_id=ids["開会"]
        ),
        "under itself": act(
            secretariat, 1, "agenda.edit", item_id=ids["開会"], parent_id=ids["開会"]
        ),
        "a heading deleted": act(secretariat, 1, "agenda.delete", item_id=ids["議事"]),
        "another meeting's item": act(secretariat, 1, "agenda.add", title="x", parent_id=99999),
    }
    assert {name: r.status_code for name, r in refused.items()} == {
        "under a sub-item": 422,
        "a heading under another": 409,
        "under itself": 422,
        "a heading deleted": 409,
        "another meeting's item": 404,
    }
    assert numbers(secretariat) == BUILT


def test_the_chair_steps_past_a_heading_and_every_page_numbers_alike(
    server: Server, seeded: Seeded
) -> None:
    chair, secretariat = api(server, seeded.chair), api(server, seeded.secretariat)
    member, observer = api(server, seeded.members[0]), api(server, seeded.observer)
    ids = build(secretariat)
    ok(act(chair, 1, "meeting.start"))

    def current() -> int:
        found: int = state(chair)["current_item_id"]
        return found

    assert current() == ids["開会"]
    ok(act(chair, 1, "agenda.next"))
    ok(act(chair, 1, "agenda.next"))
    assert current() == ids["人材育成"]  # 3. 議事 only groups its sub-items
    ok(act(chair, 1, "agenda.prev"))
    assert current() == ids["報告"]
    ok(act(chair, 1, "agenda.goto", item_id=ids["議事"]))  # goto may land on it
    ok(act(chair, 1, "agenda.next"))
    assert current() == ids["人材育成"]

    for client, path in (
        (chair, "/meetings/1"),
        (member, "/meetings/1"),
        (observer, "/meetings/1/projector"),
    ):
        page = client.get(path).text
        assert '<span class="number">(1)</span>' in page, path
    for client in (chair, member):
        page = client.get("/meetings/1").text
        for number, title in BUILT:
            assert f'data-number="{number}"' in page and title in page

    ok(act(member, 1, "opinion.write", item_id=ids["窓口改革"], stance="question", text="質問"))
    exported = secretariat.get("/meetings/1/opinions.csv")
    rows = list(csv.reader(io.StringIO(exported.text, newline="")))
    assert rows[1][1] == "3(2)"

    ok(act(member, 1, "floor.request"))
    ok(act(chair, 1, "floor.grant"))
    ok(act(chair, 1, "meeting.adjourn"))
    document: dict[str, Any] = ok(secretariat.get("/api/meetings/1/minutes"))["document"]
    by_title = {item["title"]: item for item in document["items"]}
    assert (by_title["人材育成"]["number"], by_title["人材育成"]["level"]) == ("3(1)", 2)
    assert (by_title["閉会"]["number"], by_title["閉会"]["level"]) == ("4", 1)
    assert document["statements"][0]["item_number"] == "3(1)"
    text = secretariat.get("/meetings/1/minutes.txt").text
    assert "3. 議事" in text and "(1) 人材育成" in text and "4. 閉会" in text
    report = ok(secretariat.get("/meetings/1/minutes/report.json"))
    assert [entry["number"] for entry in report["items"]] == ["1", "2", "3", "3(1)", "3(2)", "4"]
