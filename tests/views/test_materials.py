"""Materials on a real server: each kind, a new version, ranges, refusals, and who may
download what."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psutil
import pytest

from tests.prep_support import JPEG, MARKDOWN, PDF, TEXT, other_body_token, png, upload
from tests.support import Seeded, Server, act, api, events, seed_database


@pytest.fixture
def secretariat(server: Server, seeded: Seeded) -> httpx.Client:
    return api(server, seeded.secretariat)


def _materials(client: httpx.Client) -> list[dict[str, Any]]:
    response = client.get("/api/meetings/1/materials")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["materials"]
    return found


def test_each_kind_is_attached_and_served_as_itself(
    server: Server, seeded: Seeded, secretariat: httpx.Client
) -> None:
    files = [
        ("資料1 DX推進計画（改定案）.pdf", PDF, "application/pdf", "application/pdf"),
        ("窓口の写真.png", png(), "image/png", "image/png"),
        ("会場図.jpg", JPEG, "image/jpeg", "image/jpeg"),
        ("要点.txt", TEXT, "text/plain", "text/plain; charset=utf-8"),
        ("概要.md", MARKDOWN, "", "text/markdown; charset=utf-8"),
    ]
    for filename, content, declared, _ in files:
        response = upload(secretariat, filename, content, declared or "text/markdown", item_id=2)
        assert response.status_code == 200, response.text
    listed = _materials(secretariat)
    assert [m["title"] for m in listed] == [name.rsplit(".", 1)[0] for name, *_ in files]

    member = api(server, seeded.members[0])
    for material, (filename, content, _, media_type) in zip(listed, files, strict=True):
        [version] = material["versions"]
        assert version["sha256"] == hashlib.sha256(content).hexdigest()
        response = member.get(version["url"])
        assert response.status_code == 200
        assert response.content == content
        assert response.headers["content-type"] == media_type
        assert response.headers["x-content-type-options"] == "nosniff"
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("inline;")
        assert f"filename*=UTF-8''{quote(filename, safe='')}" in disposition

    # Text and Markdown are shown in the page, escaped; a PDF is linked for the viewer.
    page = member.get(f"/meetings/1/materials/{listed[4]['id']}")
    assert page.status_code == 200
    assert "<h2>DX推進計画の概要</h2>" in page.text
    assert "<strong>電子申請</strong>" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text
    meeting_page = member.get("/meetings/1").text
    assert f'href="/meetings/1/files/{listed[0]["versions"][0]["id"]}"' in meeting_page


def test_a_replacement_keeps_the_older_versions(
    server: Server, seeded: Seeded, secretariat: httpx.Client
) -> None:
    first = upload(secretariat, "計画案.pdf", PDF, "application/pdf", item_id=2).json()
    newer = PDF.replace(b"filler", b"second")
    replaced = upload(
        secretariat, "計画案_修正版.pdf", newer, "application/pdf", material_id=first["material_id"]
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["version"] == 2
    [material] = _materials(secretariat)
    versions = material["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    assert [v["filename"] for v in versions] == ["計画案.pdf", "計画案_修正版.pdf"]
    member = api(server, seeded.members[0])
    assert member.get(versions[0]["url"]).content == PDF
    assert member.get(versions[1]["url"]).content == newer
    page = member.get(f"/meetings/1/materials/{material['id']}").text
    assert "計画案.pdf" in page and "計画案_修正版.pdf" in page

    same = upload(secretariat, "同じ.pdf", newer, "application/pdf", material_id=material["id"])
    assert same.status_code == 409

    assert act(secretariat, 1, "material.remove", material_id=material["id"]).status_code == 200
    assert _materials(secretariat) == []
    assert member.get(versions[1]["url"]).status_code == 404
    changes = [e["action"] for e in events(secretariat) if e["action"] != "material.open"]
    assert changes == ["material.add", "material.replace", "material.remove"]


def test_a_range_request_gets_part_of_a_large_pdf(
    server: Server, seeded: Seeded, secretariat: httpx.Client
) -> None:
    big = b"%PDF-1.7\n" + bytes(range(256)) * 8192 + b"%%EOF\n"  # about 2 MB
    version_id = upload(secretariat, "大きな資料.pdf", big, "application/pdf", item_id=3).json()[
        "version_id"
    ]
    member = api(server, seeded.members[1])
    url = f"/meetings/1/files/{version_id}"
    head = member.head(url)
    assert head.status_code == 200
    assert head.headers["accept-ranges"] == "bytes"
    assert int(head.headers["content-length"]) == len(big)
    part = member.get(url, headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(big)}"
    assert part.content == big[1000:2000]
    tail = member.get(url, headers={"Range": "bytes=-6"})
    assert tail.status_code == 206 and tail.content == b"%%EOF\n"


# (name, content, declared type, what the refusal must say)
DISGUISED = [
    ("議事次第.pdf", b"MZ\x90\x00\x03\x00" + b"\x00" * 500, "application/pdf", "program"),
    ("議事次第.pdf", b"<!DOCTYPE html><script>alert(1)</script>", "application/pdf", "HTML"),
    ("資料.pdf", b"<html><body>x</body></html>", "application/octet-stream", "HTML"),
    ("写真.png", JPEG, "image/png", "JPEG"),
    ("報告.pdf", b"PK\x03\x04" + b"\x00" * 100, "application/pdf", "Office"),
    ("説明.txt", "説明".encode("shift_jis") + b"\x82", "text/plain", "UTF-8"),
    ("説明.md", b"<!doctype html><script>alert(1)</script>", "text/markdown", "HTML"),
    ("tool.exe", b"MZ\x90\x00", "application/octet-stream", "only PDF"),
    ("資料.pdf", PDF, "text/html", "sent as text/html"),
    ("空.pdf", b"", "application/pdf", "empty"),
]


def test_a_file_that_is_not_what_it_says_is_refused(
    server: Server, secretariat: httpx.Client, seeded: Seeded
) -> None:
    before = events(secretariat)
    for filename, content, declared, says in DISGUISED:
        response = upload(secretariat, filename, content, declared, item_id=2)
        assert response.status_code == 422, (filename, says, response.text)
        message = response.json()["message"]
        assert filename in message and says in message, (says, message)
    assert events(secretariat) == before
    assert _materials(secretariat) == []
    stored = [p for p in (seeded.db_path.parent / "files").rglob("*") if p.is_file()]
    assert stored == []


def test_the_same_bytes_are_stored_once(
    server: Server, seeded: Seeded, secretariat: httpx.Client
) -> None:
    for item_id in (1, 2, 3):
        assert upload(
            secretariat, "共通資料.pdf", PDF, "application/pdf", item_id=item_id
        ).is_success
    sha = hashlib.sha256(PDF).hexdigest()
    stored = [p for p in (seeded.db_path.parent / "files").rglob("*") if p.is_file()]
    assert stored == [seeded.db_path.parent / "files" / sha[:2] / sha]
    assert len(_materials(secretariat)) == 3


def test_only_people_of_the_body_who_may_see_the_meeting_get_the_file(
    server: Server, seeded: Seeded, secretariat: httpx.Client
) -> None:
    url = upload(secretariat, "内部資料.pdf", PDF, "application/pdf", item_id=2).json()
    path = f"/meetings/1/files/{url['version_id']}"
    outsider = api(server, other_body_token(seeded.db_path))
    response = outsider.get(path)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert outsider.get("/api/meetings/1/materials").status_code == 403
    assert httpx.get(server.base + path).status_code == 401
    assert api(server, seeded.observer).get(path).status_code == 200  # published

    # A draft meeting's materials are for the chair and the secretariat only.
    created = secretariat.post(
        "/api/bodies/1/actions/meeting.create",
        json={
            "title": "臨時会議",
            "date": "2026-05-01",
            "start_time": "10:00",
            "planned_end": "11:00",
        },
    ).json()
    meeting_id = created["meeting_id"]
    assert act(secretariat, meeting_id, "agenda.add", title="議題").status_code == 200
    item_id = (
        api(server, seeded.chair).get(f"/api/meetings/{meeting_id}/state").json()["items"][0]["id"]
    )
    draft = upload(
        secretariat,
        "下書き資料.pdf",
        PDF,
        "application/pdf",
        meeting_id=meeting_id,
        item_id=item_id,
    ).json()
    draft_path = f"/meetings/{meeting_id}/files/{draft['version_id']}"
    member, observer = api(server, seeded.members[0]), api(server, seeded.observer)
    assert member.get(draft_path).status_code == 403
    assert observer.get(draft_path).status_code == 403
    assert api(server, seeded.chair).get(draft_path).status_code == 200
    assert act(secretariat, meeting_id, "meeting.publish").status_code == 200
    assert member.get(draft_path).status_code == 200
    assert observer.get(draft_path).status_code == 200


def test_only_the_secretariat_uploads(server: Server, seeded: Seeded) -> None:
    for token in (seeded.members[0], seeded.chair, seeded.observer):
        response = upload(api(server, token), "資料.pdf", PDF, "application/pdf", item_id=2)
        assert response.status_code == 403
    assert (
        act(api(server, seeded.members[0]), 1, "material.remove", material_id=1).status_code == 403
    )


def test_an_oversized_upload_is_refused_while_it_streams(tmp_path: Path) -> None:
    seeded = seed_database(tmp_path / "board.db")
    server = Server(seeded.db_path, env={"BOARD_MAX_UPLOAD_MB": "1"}).start()
    try:
        assert server.process is not None
        process = psutil.Process(server.process.pid)
        secretariat = api(server, seeded.secretariat)
        assert upload(secretariat, "小.pdf", PDF, "application/pdf", item_id=2).status_code == 200
        before = process.memory_info().rss
        body_size = 80 * 1024 * 1024
        boundary = "----boardtest"

        def stream() -> Iterator[bytes]:
            yield (
                f'--{boundary}\r\nContent-Disposition: form-data; name="item_id"\r\n\r\n2\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n'
            ).encode()
            chunk = b"0" * (1024 * 1024)
            for _ in range(body_size // len(chunk)):
                yield chunk
            yield f"\r\n--{boundary}--\r\n".encode()

        headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
        # Streamed without a length: refused once the limit is passed.
        response = secretariat.post("/api/meetings/1/materials", content=stream(), headers=headers)
        assert response.status_code == 413
        assert "1 MB" in response.json()["message"]
        # With a length: refused before reading. From the page's form: the same message.
        whole = b"".join(stream())
        assert (
            secretariat.post(
                "/api/meetings/1/materials", content=whole, headers=headers
            ).status_code
            == 413
        )
        page = secretariat.post(
            "/meetings/1/materials", content=whole, headers=headers, follow_redirects=False
        )
        assert page.status_code == 303
        after = process.memory_info().rss
        assert after - before < body_size / 4, (before, after)
        assert len(_materials(secretariat)) == 1
        leftovers = [p for p in (seeded.db_path.parent / "files" / "tmp").glob("*")]
        assert leftovers == []
        shown = secretariat.get(page.headers["location"]).text
        assert "1 MB" in shown
    finally:
        server.stop()


def test_the_page_form_attaches_and_lands_on_the_material(
    server: Server, seeded: Seeded, secretariat: httpx.Client
) -> None:
    response = secretariat.post(
        "/meetings/1/materials",
        data={"item_id": "3", "title": "窓口の現状"},
        files={"file": ("現状.md", MARKDOWN, "text/markdown")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [material] = _materials(secretariat)
    assert material["title"] == "窓口の現状"
    assert response.headers["location"] == f"/meetings/1#material-{material['id']}"
    assert "資料を添付しました" in secretariat.get(response.headers["location"]).text
    refused = secretariat.post(
        "/meetings/1/materials",
        data={"item_id": "3"},
        files={"file": ("偽.pdf", b"<html></html>", "application/pdf")},
        follow_redirects=False,
    )
    assert refused.status_code == 303
    assert "偽.pdf" in secretariat.get(refused.headers["location"]).text


def test_a_cross_site_upload_is_refused(server: Server, seeded: Seeded) -> None:
    session = httpx.Client(base_url=server.base)
    server.clients.append(session)
    session.get(f"/join/{seeded.secretariat}")  # a browser's session cookie
    form = {"data": {"item_id": "2"}, "files": {"file": ("資料.pdf", PDF, "application/pdf")}}
    for origin in ("https://evil.example", "null"):
        refused = session.post("/meetings/1/materials", headers={"origin": origin}, **form)
        assert refused.status_code == 403
    assert session.get("/api/meetings/1/materials").json()["materials"] == []
    same = session.post(
        "/meetings/1/materials", headers={"origin": server.base}, follow_redirects=False, **form
    )
    assert same.status_code == 303
    # Pages keep the referrer to the board itself: a form post then carries its origin.
    assert same.headers["referrer-policy"] == "same-origin"
