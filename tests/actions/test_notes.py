"""Private notes on material pages are their owner's alone: not readable through the API by
any other role, never pushed, never in the event log, never in an export or in search; kept
across a new version by page number with a mark; listed and exported by the owner."""

from __future__ import annotations

import asyncio
import csv
import io

import pytest

from tests.actions.test_presenting import RawDevice
from tests.pdf_support import pdf
from tests.prep_support import upload
from tests.support import Seeded, Server, act, api, peek

SECRET = "極秘メモ：予算の件 SECRET-NOTE-7f3a"
WORD = "SECRET-NOTE-7f3a"
LEAK = "予算の件 SECRET"


def _material(server: Server, seeded: Seeded) -> tuple[int, int]:
    secretariat = api(server, seeded.secretariat)
    response = upload(secretariat, "資料1.pdf", pdf(12), "application/pdf", item_id=2)
    assert response.status_code == 200, response.text
    return int(response.json()["material_id"]), int(response.json()["version_id"])


def test_the_owner_lists_and_exports_their_notes_kept_across_versions(
    server: Server, seeded: Seeded
) -> None:
    material_id, version_id = _material(server, seeded)
    owner = api(server, seeded.members[0])
    response = act(owner, 1, "note.write", version_id=version_id, page=12, text=SECRET)
    assert response.status_code == 200, response.text
    act(owner, 1, "note.write", version_id=version_id, page=3, text="=SUM(A1)\n二行目")
    listed = owner.get("/api/meetings/1/notes").json()["notes"]
    assert [(n["page"], n["text"]) for n in listed] == [(3, "=SUM(A1)\n二行目"), (12, SECRET)]
    assert not any(n["page_may_have_changed"] for n in listed)

    # A new version: the notes stay on their page numbers, marked.
    secretariat = api(server, seeded.secretariat)
    replaced = upload(secretariat, "資料1.pdf", pdf(13), "application/pdf", material_id=material_id)
    assert replaced.status_code == 200, replaced.text
    listed = owner.get("/api/meetings/1/notes").json()["notes"]
    assert [n["page"] for n in listed] == [3, 12]
    assert all(n["page_may_have_changed"] for n in listed)
    # Writing again on the new version clears the mark for that page.
    new_version = replaced.json()["version_id"]
    act(owner, 1, "note.write", version_id=new_version, page=12, text=SECRET + "（確認済み）")
    marks = {
        n["page"]: n["page_may_have_changed"]
        for n in owner.get("/api/meetings/1/notes").json()["notes"]
    }
    assert marks == {3: True, 12: False}

    exported = owner.get("/meetings/1/notes.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert len(rows) == 3
    assert rows[1][3] == "'=SUM(A1)\\n二行目"  # no formula, no line break in a record
    assert SECRET in rows[2][3]

    # An empty text removes the note.
    act(owner, 1, "note.write", version_id=new_version, page=3, text="")
    assert [n["page"] for n in owner.get("/api/meetings/1/notes").json()["notes"]] == [12]


def test_who_may_write_notes_and_bad_input(server: Server, seeded: Seeded) -> None:
    _material_id, version_id = _material(server, seeded)
    observer = api(server, seeded.observer)
    response = act(observer, 1, "note.write", version_id=version_id, page=1, text="x")
    assert response.status_code == 403
    assert observer.get("/api/meetings/1/notes").status_code == 403
    for token in (seeded.chair, seeded.secretariat, seeded.members[1]):
        response = act(api(server, token), 1, "note.write", version_id=version_id, page=1, text="x")
        assert response.status_code == 200, response.text
    member = api(server, seeded.members[0])
    cases = [
        ({"version_id": version_id, "page": 0, "text": "x"}, 422),
        ({"version_id": version_id, "text": "x"}, 422),
        ({"version_id": version_id, "page": 1, "text": "x" * 5001}, 422),
        ({"version_id": 99999, "page": 1, "text": "x"}, 404),
        ({"version_id": version_id, "page": 1, "text": "x", "person_id": 1}, 422),
    ]
    for payload, status in cases:
        response = act(member, 1, "note.write", **payload)
        assert response.status_code == status, (payload, response.text)
    assert member.get("/api/meetings/1/notes").json()["notes"] == []


@pytest.mark.asyncio
async def test_a_note_reaches_nobody_else_through_any_channel(
    server: Server, seeded: Seeded
) -> None:
    _material_id, version_id = _material(server, seeded)
    owner_token = seeded.members[0]
    others = {
        "chair": seeded.chair,
        "secretariat": seeded.secretariat,
        "member": seeded.members[1],
        "observer": seeded.observer,
    }
    devices = [
        RawDevice(server, owner_token),
        *(RawDevice(server, token) for token in others.values()),
        RawDevice(server, seeded.observer, view="projector"),
    ]
    for device in devices:
        await device.__aenter__()
    try:
        await asyncio.gather(*(device.wait_for("floor", bool) for device in devices))
        await asyncio.sleep(0.3)  # the join's own parts
        before = [len(device.raw) for device in devices]
        owner = api(server, owner_token)
        response = act(owner, 1, "note.write", version_id=version_id, page=4, text=SECRET)
        assert response.status_code == 200, response.text
        await asyncio.sleep(0.5)
        # Pushes: nothing at all was pushed for a note, to anyone (the owner included).
        assert [len(device.raw) for device in devices] == before
        assert not any(SECRET in message for device in devices for message in device.raw)
    finally:
        for device in devices:
            await device.__aexit__(None, None, None)

    # The meeting goes on, so the minutes and the report have something to export.
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    act(chair, 1, "meeting.adjourn")

    # The event log: no row of the note's action, and not its text, in any column.
    assert peek(server.db_path, "SELECT COUNT(*) FROM events WHERE action = 'note.write'") == (0,)
    logged = peek(server.db_path, "SELECT COUNT(*) FROM events WHERE payload LIKE '%SECRET%'")
    assert logged == (0,)

    paths = [
        "/api/meetings/1/notes",
        "/api/meetings/1/state",
        "/api/meetings/1/events",
        "/api/meetings/1/opinions",
        "/api/meetings/1/materials",
        "/api/meetings/1/read-ahead",
        "/api/meetings/1/minutes",
        "/meetings/1/opinions.csv",
        "/meetings/1/notes.csv",
        "/meetings/1/minutes/report.json",
        "/meetings/1/minutes/document",
        "/meetings/1",
        "/meetings/1/projector",
        f"/api/search?q={WORD}",
        "/api/search?q=極秘メモ",
        f"/search?q={WORD}",
        *(f"/meetings/1/minutes.{fmt}?draft=1" for fmt in ("json", "md", "txt", "csv", "html")),
    ]
    for role, token in others.items():
        client = api(server, token)
        for path in paths:
            response = client.get(path)
            if role == "secretariat":  # the staff read every one of them
                assert response.status_code == 200, (path, response.status_code)
            # (A search echoes its query: the part of the note no query names.)
            assert LEAK not in response.text, (role, path)
        notes = client.get("/api/meetings/1/notes")
        if role != "observer":
            assert notes.status_code == 200 and notes.json() == {"notes": []}, role
        search = client.get("/api/search", params={"q": WORD}).json()
        assert search["results"] == [], role
    # The owner's own search does not find it either: notes are not indexed.
    assert api(server, owner_token).get("/api/search", params={"q": WORD}).json()["results"] == []
    # And the owner still has it.
    notes = api(server, owner_token).get("/api/meetings/1/notes").json()["notes"]
    assert [n["text"] for n in notes] == [SECRET]
