"""Signed-in devices: which people a device's session key stands for, through which link.

The cookie holds the key; only its hash is stored. A device holds at most one person per
body. Every lookup checks, in the same query, that the session has not expired, that the
link it was opened with has not been revoked and that the person is still active.
"""

from __future__ import annotations

import time

from board.models import Person
from board.store.db import Conn
from board.store.people import joined_person, token_hash
from board.timeutil import now_iso


async def people_for_key(conn: Conn, key: str) -> list[Person]:
    """The people this device is signed in as, newest first: one query."""
    rows = await conn.all(
        "SELECT s.person_id, p.body_id, p.name, p.affiliation, p.role, p.active "
        "FROM sessions s JOIN people p ON p.id = s.person_id "
        "LEFT JOIN sign_in_links l ON l.id = s.link_id "
        "WHERE s.key_hash = ? AND s.expires_at > ? AND p.active = 1 "
        "AND (s.link_id IS NULL OR l.revoked_at IS NULL) "
        "ORDER BY s.id DESC",
        (token_hash(key), int(time.time())),
    )
    return [joined_person(row) for row in rows]


async def link_of(conn: Conn, key: str, person_id: int) -> int | None:
    """The sign-in link this device's session of the person was opened with."""
    value = await conn.value(
        "SELECT link_id FROM sessions WHERE key_hash = ? AND person_id = ?",
        (token_hash(key), person_id),
    )
    return None if value is None else int(value)


async def open_session(
    conn: Conn, key: str, person: Person, link_id: int | None, lifetime: int, most: int
) -> None:
    """Sign the device in as the person, in place of any earlier person of that body;
    keep the ``most`` newest; forget every expired session on the way."""
    hashed, now = token_hash(key), int(time.time())
    await conn.run("DELETE FROM sessions WHERE expires_at <= ?", (now,))
    await conn.run(
        "DELETE FROM sessions WHERE key_hash = ? AND person_id IN "
        "(SELECT id FROM people WHERE body_id = ?)",
        (hashed, person.body_id),
    )
    await conn.run(
        "INSERT INTO sessions (key_hash, person_id, link_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (hashed, person.id, link_id, now_iso(), now + lifetime),
    )
    await conn.run(
        "DELETE FROM sessions WHERE key_hash = ? AND id NOT IN "
        "(SELECT id FROM sessions WHERE key_hash = ? ORDER BY id DESC LIMIT ?)",
        (hashed, hashed, most),
    )


async def end_session(conn: Conn, key: str) -> int:
    """Sign-out: the device's session ends on the server."""
    return await conn.run("DELETE FROM sessions WHERE key_hash = ?", (token_hash(key),))


async def end_sessions_of(conn: Conn, person_id: int) -> int:
    """Every session of the person, and every session opened through one of their links."""
    return await conn.run(
        "DELETE FROM sessions WHERE person_id = ? OR link_id IN "
        "(SELECT id FROM sign_in_links WHERE person_id = ?)",
        (person_id, person_id),
    )
