"""The material page a presenter shows to the room (画面同期): one row per meeting at most."""

from __future__ import annotations

from board.models import Presenting
from board.store.db import Conn


async def current(conn: Conn, meeting_id: int) -> Presenting | None:
    """What is presented now; nothing when its material has been removed since."""
    row = await conn.one(
        "SELECT p.version_id, p.page, p.presenter_id, p.started_at, p.updated_at, "
        "v.material_id, v.version, v.size, m.title "
        "FROM presentations p "
        "JOIN material_versions v ON v.id = p.version_id "
        "JOIN materials m ON m.id = v.material_id "
        "WHERE p.meeting_id = ? AND m.removed = 0",
        (meeting_id,),
    )
    if row is None:
        return None
    return Presenting(
        material_id=row["material_id"],
        version_id=row["version_id"],
        version=row["version"],
        size=row["size"],
        title=row["title"],
        page=row["page"],
        presenter_id=row["presenter_id"],
        started_at=row["started_at"],
        updated_at=row["updated_at"],
    )


async def present(
    conn: Conn, meeting_id: int, version_id: int, page: int, presenter_id: int, at: str
) -> None:
    """Show this page; the start time is kept while the same version stays presented."""
    await conn.run(
        "INSERT INTO presentations "
        "(meeting_id, version_id, page, presenter_id, started_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (meeting_id) DO UPDATE SET "
        "started_at = CASE WHEN presentations.version_id = excluded.version_id "
        "THEN presentations.started_at ELSE excluded.started_at END, "
        "version_id = excluded.version_id, page = excluded.page, "
        "presenter_id = excluded.presenter_id, updated_at = excluded.updated_at",
        (meeting_id, version_id, page, presenter_id, at, at),
    )


async def stop(conn: Conn, meeting_id: int) -> bool:
    """Nothing is presented any more; False when nothing was."""
    return await conn.run("DELETE FROM presentations WHERE meeting_id = ?", (meeting_id,)) > 0
