"""Who reads what: non-public statements stay with the secretariat and the chair; members
read finalized minutes; observers and the public read published public copies; search
follows the same rules."""

from __future__ import annotations

import httpx

from tests.minutes.driven import Driven, drive, ok
from tests.support import Seeded, Server, act

SECRET = "個別の人事案件に関する発言"
OPEN = "窓口改革の進め方に関する発言"
EXPORTS = ("json", "md", "txt", "csv", "html")


def _record(meeting: Driven) -> None:
    statements = meeting.statements()
    ok(act(meeting.secretariat, 1, "minutes.edit", statement_id=statements[0]["id"], text=OPEN))
    ok(act(meeting.secretariat, 1, "minutes.edit", statement_id=statements[1]["id"], text=SECRET))
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.disclosure",
            statement_id=statements[1]["id"],
            public=False,
            reason="人事に関する情報のため",
        )
    )


def _exports(client: httpx.Client, query: str = "") -> dict[str, httpx.Response]:
    return {fmt: client.get(f"/meetings/1/minutes.{fmt}{query}") for fmt in EXPORTS}


def _search(client: httpx.Client, query: str) -> list[str]:
    response = client.get("/api/search", params={"q": query})
    assert response.status_code == 200, response.text
    return [hit["snippet"] for hit in response.json()["results"]]


def test_non_public_statements_reach_only_the_secretariat_and_the_chair(
    server: Server, seeded: Seeded
) -> None:
    meeting = drive(server, seeded)
    _record(meeting)
    anonymous = httpx.Client(base_url=server.base)
    server.clients.append(anonymous)
    # Before approval: only staff read the draft; members, observers, the public nothing.
    for client in (meeting.members[0], meeting.observer, anonymous):
        assert client.get("/meetings/1/minutes.json").status_code == 404
        assert _search(client, "発言に") == [] and _search(client, "窓口改革") == []
    assert _search(meeting.secretariat, "人事案件")  # staff search the working draft
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    ok(act(meeting.chair, 1, "minutes.approve"))

    # Finalized, not yet published: members read the public copy; observers nothing yet.
    member = _exports(meeting.members[0])
    for fmt, response in member.items():
        assert response.status_code == 200, fmt
        assert OPEN in response.text and SECRET not in response.text, fmt
    assert (
        meeting.members[0].get("/meetings/1/minutes.json?copy=original").json()["copy"] == "public"
    )
    assert _search(meeting.members[0], "窓口改革") and not _search(meeting.members[0], "人事案件")
    assert not _search(meeting.members[0], "人事")  # the short-query scan follows the rules
    assert meeting.observer.get("/meetings/1/minutes.json").status_code == 404
    assert not _search(meeting.observer, "窓口改革")

    ok(act(meeting.secretariat, 1, "minutes.publish"))
    for client in (meeting.observer, anonymous):
        for fmt, response in _exports(client).items():
            assert response.status_code == 200, fmt
            assert OPEN in response.text and SECRET not in response.text, fmt
            assert "人事に関する情報のため" not in response.text
        assert _search(client, "窓口改革")
        assert not _search(client, "人事案件") and not _search(client, "人事")
        page = client.get("/meetings/1/minutes/document")
        assert page.status_code == 200 and SECRET not in page.text
        assert client.get("/meetings/1/minutes/document?revision=1").status_code == 200

    # Staff keep the original, with the statement and its reason, and find it.
    for staff in (meeting.secretariat, meeting.chair):
        for fmt, response in _exports(staff).items():
            assert SECRET in response.text, fmt
        assert "【非公開：人事に関する情報のため】" in staff.get("/meetings/1/minutes.txt").text
        assert _search(staff, "人事案件") and _search(staff, "人事")


def test_the_archive_lists_what_each_reader_may_read(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    _record(meeting)
    title = "令和8年度第2回 みなと市行政経営推進本部会議"
    assert title not in meeting.members[0].get("/archive").text
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    ok(act(meeting.chair, 1, "minutes.approve"))
    assert title in meeting.members[0].get("/archive").text
    assert title in meeting.secretariat.get("/archive").text
    assert title not in meeting.observer.get("/archive").text
    ok(act(meeting.secretariat, 1, "minutes.publish"))
    archive = meeting.observer.get("/archive")
    assert title in archive.text and "令和8年度" in archive.text
    assert "/meetings/1/minutes/document?revision=1" in archive.text


def test_the_editor_is_for_the_staff(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    assert meeting.secretariat.get("/meetings/1/minutes").status_code == 200
    assert meeting.chair.get("/meetings/1/minutes").status_code == 200
    redirected = meeting.members[0].get("/meetings/1/minutes")
    assert redirected.status_code == 303
    assert redirected.headers["location"] == "/meetings/1/minutes/document"
    statement = meeting.statements()[0]["id"]
    fragment = meeting.members[0].get(f"/meetings/1/minutes/statements/{statement}")
    assert fragment.status_code == 403
    form = meeting.secretariat.get(f"/meetings/1/minutes/statements/{statement}")
    assert form.status_code == 200 and 'name="text"' in form.text
    report = meeting.observer.get("/meetings/1/minutes/report.json")
    assert report.status_code == 403
