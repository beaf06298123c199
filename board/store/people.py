"""Bodies, their people, sign-in links and the one-time setup link."""

from __future__ import annotations

import hashlib

from board.models import Body, Person, Role, RosterEntry
from board.store.db import Conn, Row
from board.timeutil import now_iso


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _body(row: Row) -> Body:
    return Body(
        id=row["id"],
        name=row["name"],
        chair_title=row["chair_title"],
        secretariat_title=row["secretariat_title"],
        member_title=row["member_title"],
        observer_title=row["observer_title"],
        show_names=bool(row["show_names"]),
        seq=row["seq"],
        minutes_style=row["minutes_style"],
    )


def joined_person(row: Row, id_column: str = "person_id") -> Person:
    """The person of a row joined on ``people`` (their id as ``person_id``)."""
    return Person(
        id=row[id_column],
        body_id=row["body_id"],
        name=row["name"],
        affiliation=row["affiliation"],
        role=Role(row["role"]),
        active=bool(row["active"]),
    )


def _person(row: Row) -> Person:
    return joined_person(row, "id")


async def get_setting(conn: Conn, key: str) -> str | None:
    value = await conn.value("SELECT value FROM settings WHERE key = ?", (key,))
    return None if value is None else str(value)


async def put_setting(conn: Conn, key: str, value: str) -> None:
    await conn.run(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


async def is_empty(conn: Conn) -> bool:
    return int(await conn.value("SELECT count(*) FROM bodies")) == 0


async def add_setup_token(conn: Conn, token: str) -> None:
    await conn.run(
        "INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)",
        (token_hash(token), now_iso()),
    )


async def setup_token_valid(conn: Conn, token: str) -> bool:
    row = await conn.one(
        "SELECT used_at FROM setup_tokens WHERE token_hash = ?", (token_hash(token),)
    )
    return row is not None and row["used_at"] is None


async def use_setup_token(conn: Conn, token: str) -> bool:
    changed = await conn.run(
        "UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
        (now_iso(), token_hash(token)),
    )
    return changed == 1


async def create_body(conn: Conn, name: str, titles: dict[str, str] | None = None) -> int:
    titles = titles or {}
    return await conn.insert(
        "INSERT INTO bodies (name, chair_title, secretariat_title, member_title, "
        "observer_title, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            name,
            titles.get("chair_title", "議長"),
            titles.get("secretariat_title", "事務局"),
            titles.get("member_title", "委員"),
            titles.get("observer_title", "傍聴者"),
            now_iso(),
        ),
    )


BODY_FIELDS = (
    "name",
    "chair_title",
    "secretariat_title",
    "member_title",
    "observer_title",
    "show_names",
)
PERSON_FIELDS = ("name", "affiliation", "role", "active", "reading", "email")


async def update_body(conn: Conn, body_id: int, fields: dict[str, object]) -> None:
    await conn.update("bodies", body_id, fields, BODY_FIELDS)


async def set_minutes_style(conn: Conn, body_id: int, setting: str | None) -> None:
    await conn.run("UPDATE bodies SET minutes_style = ? WHERE id = ?", (setting, body_id))


async def get_body(conn: Conn, body_id: int) -> Body | None:
    row = await conn.one("SELECT * FROM bodies WHERE id = ?", (body_id,))
    return None if row is None else _body(row)


async def bodies_of(conn: Conn, person_ids: list[int]) -> list[Body]:
    if not person_ids:
        return []
    marks = ",".join("?" * len(person_ids))
    rows = await conn.all(
        f"SELECT DISTINCT b.* FROM bodies b JOIN people p ON p.body_id = b.id "
        f"WHERE p.id IN ({marks}) AND p.active = 1 ORDER BY b.id",
        person_ids,
    )
    return [_body(row) for row in rows]


async def add_person(conn: Conn, body_id: int, name: str, affiliation: str, role: Role) -> int:
    return await conn.insert(
        "INSERT INTO people (body_id, name, affiliation, role, created_at) VALUES (?, ?, ?, ?, ?)",
        (body_id, name, affiliation, role.value, now_iso()),
    )


async def update_person(conn: Conn, person_id: int, fields: dict[str, object]) -> None:
    await conn.update("people", person_id, fields, PERSON_FIELDS)


async def get_person(conn: Conn, person_id: int) -> Person | None:
    row = await conn.one("SELECT * FROM people WHERE id = ?", (person_id,))
    return None if row is None else _person(row)


_ROLE_ORDER = {Role.CHAIR: 0, Role.MEMBER: 1, Role.SECRETARIAT: 2, Role.OBSERVER: 3}


def _roster_key(row: Row) -> tuple[int, int, str, int]:
    # By role, then by reading (stored in hiragana, whose code points run in 五十音 order),
    # people without a reading after those with one; sorted here rather than in SQL, where
    # PostgreSQL's collation would decide. The secretariat's order, the same on both stores.
    reading = row["reading"]
    return (_ROLE_ORDER[Role(row["role"])], 0 if reading else 1, reading, row["id"])


async def _roster_rows(conn: Conn, body_id: int, include_inactive: bool) -> list[Row]:
    rows = await conn.all(
        "SELECT * FROM people WHERE body_id = ? AND (active = 1 OR ?)",
        (body_id, include_inactive),
    )
    return sorted(rows, key=_roster_key)


async def roster(conn: Conn, body_id: int, *, include_inactive: bool = False) -> list[Person]:
    return [_person(row) for row in await _roster_rows(conn, body_id, include_inactive)]


async def roster_entries(conn: Conn, body_id: int) -> list[RosterEntry]:
    """The active roster with each person's reading and e-mail, in the roster's order."""
    return [
        RosterEntry(_person(row), row["reading"], row["email"])
        for row in await _roster_rows(conn, body_id, False)
    ]


async def add_roster_entry(conn: Conn, body_id: int, entry: RosterEntry) -> int:
    person = entry.person
    return await conn.insert(
        "INSERT INTO people (body_id, name, affiliation, role, reading, email, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            body_id,
            person.name,
            person.affiliation,
            person.role.value,
            entry.reading,
            entry.email,
            now_iso(),
        ),
    )


async def add_link(conn: Conn, person_id: int, token: str) -> int:
    return await conn.insert(
        "INSERT INTO sign_in_links (person_id, token_hash, created_at) VALUES (?, ?, ?)",
        (person_id, token_hash(token), now_iso()),
    )


async def revoke_links(conn: Conn, person_id: int) -> int:
    return await conn.run(
        "UPDATE sign_in_links SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL",
        (now_iso(), person_id),
    )


async def link_counts(conn: Conn, body_id: int) -> dict[int, int]:
    rows = await conn.all(
        "SELECT l.person_id, count(*) AS n FROM sign_in_links l "
        "JOIN people p ON p.id = l.person_id "
        "WHERE p.body_id = ? AND l.revoked_at IS NULL GROUP BY l.person_id",
        (body_id,),
    )
    return {row["person_id"]: row["n"] for row in rows}


async def person_for_token(conn: Conn, token: str) -> Person | None:
    found = await link_for_token(conn, token)
    return None if found is None else found[0]


async def link_for_token(conn: Conn, token: str) -> tuple[Person, int] | None:
    """The active person of a valid (unrevoked) link, and the link's id."""
    row = await conn.one(
        "SELECT p.*, l.id AS link_id FROM sign_in_links l JOIN people p ON p.id = l.person_id "
        "WHERE l.token_hash = ? AND l.revoked_at IS NULL AND p.active = 1",
        (token_hash(token),),
    )
    return None if row is None else (_person(row), int(row["link_id"]))


async def append_body_event(
    conn: Conn, body_id: int, actor_id: int | None, action: str, payload: str, at: str
) -> int:
    return await conn.append_log("body", body_id, actor_id, action, payload, at)
