"""Helpers for the tests of what happens before the meeting: sample files, uploads, more
members, and a person of another body."""

from __future__ import annotations

import asyncio
import struct
import zlib
from pathlib import Path
from typing import Any

import httpx

from board.actions.body import new_token
from board.models import Role
from board.store import people
from tests.support import Server, api, store_for

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"% filler\n" * 2000 + b"%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200
TEXT = "財政計画の要点\n1. 歳入の見通し\n2. 歳出の見直し\n".encode()
MARKDOWN = (
    "# DX推進計画の概要\n\n- 書かない窓口\n- **電子申請**の拡大\n\n<script>alert(1)</script>\n"
).encode()


def png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(
    client: httpx.Client,
    filename: str,
    content: bytes,
    media_type: str = "application/octet-stream",
    meeting_id: int = 1,
    **fields: Any,
) -> httpx.Response:
    return client.post(
        f"/api/meetings/{meeting_id}/materials",
        data={key: str(value) for key, value in fields.items()},
        files={"file": (filename, content, media_type)},
    )


def add_members(server: Server, secretariat_token: str, count: int) -> list[tuple[int, str]]:
    """More members through the API (person.add, link.issue): (person_id, token) each."""
    client = api(server, secretariat_token)
    added = []
    for index in range(count):
        person = client.post(
            "/api/bodies/1/actions/person.add",
            json={"name": f"追加 委員{index + 1:02d}", "affiliation": "追加", "role": "member"},
        )
        assert person.status_code == 200, person.text
        person_id = person.json()["person_id"]
        link = client.post("/api/bodies/1/actions/link.issue", json={"person_id": person_id})
        assert link.status_code == 200, link.text
        added.append((person_id, link.json()["token"]))
    return added


def other_body_token(db_path: Path) -> str:
    """A member of a second body, written straight into the database (WAL lets the running
    server's connections carry on beside it)."""

    async def run() -> str:
        db = store_for(db_path)
        await db.open()
        try:
            async with db.write() as conn:
                body_id = await people.create_body(conn, "別の審議会")
                person_id = await people.add_person(conn, body_id, "外部 太郎", "", Role.MEMBER)
                token = new_token()
                await people.add_link(conn, person_id, token)
                return token
        finally:
            await db.close()

    return asyncio.run(run())


def person_ids(client: httpx.Client, meeting_id: int = 1) -> dict[str, int]:
    """Names to ids, from the read-ahead of the secretariat (every member is listed)."""
    data = client.get(f"/api/meetings/{meeting_id}/read-ahead").json()
    return {entry["name"]: entry["person_id"] for entry in data["per_member"]}
