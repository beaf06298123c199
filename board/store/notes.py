"""Private notes on material pages. Every read here takes the owner: there is no query for
another person's notes, so no view, push, export or search can reach them."""

from __future__ import annotations

from board.models import Note
from board.store.db import Conn


async def write(
    conn: Conn,
    person_id: int,
    meeting_id: int,
    material_id: int,
    version_id: int,
    page: int,
    text: str,
    at: str,
) -> None:
    """The person's note on this page of the material (written on ``version_id``)."""
    await conn.run(
        "INSERT INTO notes (person_id, meeting_id, material_id, version_id, page, text, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (person_id, material_id, page) DO UPDATE SET "
        "version_id = excluded.version_id, text = excluded.text, updated_at = excluded.updated_at",
        (person_id, meeting_id, material_id, version_id, page, text, at),
    )


async def remove(conn: Conn, person_id: int, material_id: int, page: int) -> bool:
    count = await conn.run(
        "DELETE FROM notes WHERE person_id = ? AND material_id = ? AND page = ?",
        (person_id, material_id, page),
    )
    return count > 0


async def of_owner(conn: Conn, person_id: int, meeting_id: int) -> list[Note]:
    """The owner's notes in a meeting's materials still attached, in agenda and page order,
    each marked when its material has a newer version than the one it was written on."""
    rows = await conn.all(
        "SELECT n.id, n.material_id, n.version_id, n.page, n.text, n.updated_at, "
        "m.title, i.position, v.version AS written_on, "
        "(SELECT MAX(c.version) FROM material_versions c WHERE c.material_id = m.id) AS latest "
        "FROM notes n "
        "JOIN materials m ON m.id = n.material_id "
        "JOIN agenda_items i ON i.id = m.item_id "
        "JOIN material_versions v ON v.id = n.version_id "
        "WHERE n.person_id = ? AND n.meeting_id = ? AND m.removed = 0 "
        "ORDER BY i.position, m.id, n.page",
        (person_id, meeting_id),
    )
    return [
        Note(
            id=row["id"],
            material_id=row["material_id"],
            material_title=row["title"],
            item_position=row["position"],
            version_id=row["version_id"],
            written_on_version=row["written_on"],
            latest_version=row["latest"],
            page=row["page"],
            text=row["text"],
            updated_at=row["updated_at"],
        )
        for row in rows
    ]
