"""Uploaded bytes, the materials attached to agenda items, their versions, and who opened
which version (read-ahead)."""

from __future__ import annotations

from dataclasses import dataclass

from board.models import Material, MaterialRead, MaterialVersion, ReadAhead, build_read_ahead
from board.store import meetings, people
from board.store.db import Conn, Row


@dataclass(frozen=True, slots=True)
class Blob:
    sha256: str
    size: int
    media_type: str


def _version(row: Row) -> MaterialVersion:
    return MaterialVersion(
        id=row["id"],
        material_id=row["material_id"],
        version=row["version"],
        sha256=row["sha256"],
        filename=row["filename"],
        media_type=row["media_type"],
        size=row["size"],
        uploaded_by=row["uploaded_by"],
        uploaded_at=row["uploaded_at"],
    )


async def register_blob(conn: Conn, body_id: int, blob: Blob, at: str) -> None:
    """Record that a body uploaded these bytes (once; the file itself is stored once)."""
    await conn.run(
        "INSERT INTO blobs (body_id, sha256, size, media_type, uploaded_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (body_id, blob.sha256, blob.size, blob.media_type, at),
    )


async def forget_unused_blob(conn: Conn, sha256: str) -> bool:
    """Forget bytes no material version refers to (an attach that was refused); True when
    they were unused, and their file may go."""
    used = await conn.value("SELECT 1 FROM material_versions WHERE sha256 = ? LIMIT 1", (sha256,))
    if used is not None:
        return False
    await conn.run("DELETE FROM blobs WHERE sha256 = ?", (sha256,))
    return True


async def get_blob(conn: Conn, body_id: int, sha256: str) -> Blob | None:
    row = await conn.one(
        "SELECT sha256, size, media_type FROM blobs WHERE body_id = ? AND sha256 = ?",
        (body_id, sha256),
    )
    return None if row is None else Blob(row["sha256"], row["size"], row["media_type"])


async def add_material(conn: Conn, meeting_id: int, item_id: int, title: str, at: str) -> int:
    return await conn.insert(
        "INSERT INTO materials (meeting_id, item_id, title, created_at) VALUES (?, ?, ?, ?)",
        (meeting_id, item_id, title, at),
    )


async def add_version(
    conn: Conn, material_id: int, blob: Blob, filename: str, person_id: int, at: str
) -> tuple[int, int]:
    """Add the next version of a material; return its id and number."""
    number = int(
        await conn.value(
            "SELECT coalesce(max(version), 0) + 1 FROM material_versions WHERE material_id = ?",
            (material_id,),
        )
    )
    version_id = await conn.insert(
        "INSERT INTO material_versions (material_id, version, sha256, filename, media_type, "
        "size, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (material_id, number, blob.sha256, filename, blob.media_type, blob.size, person_id, at),
    )
    return version_id, number


async def rename(conn: Conn, material_id: int, title: str) -> None:
    await conn.run("UPDATE materials SET title = ? WHERE id = ?", (title, material_id))


async def remove(conn: Conn, material_id: int) -> None:
    """Take a material off its item; its versions and reads stay on record."""
    await conn.run("UPDATE materials SET removed = 1 WHERE id = ?", (material_id,))


async def _with_versions(conn: Conn, rows: list[Row]) -> list[Material]:
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ",".join("?" * len(ids))
    versions: dict[int, list[MaterialVersion]] = {material_id: [] for material_id in ids}
    for row in await conn.all(
        f"SELECT * FROM material_versions WHERE material_id IN ({marks}) "
        "ORDER BY material_id, version",
        ids,
    ):
        versions[row["material_id"]].append(_version(row))
    return [
        Material(
            id=row["id"],
            meeting_id=row["meeting_id"],
            item_id=row["item_id"],
            title=row["title"],
            created_at=row["created_at"],
            versions=tuple(versions[row["id"]]),
        )
        for row in rows
        if versions[row["id"]]
    ]


async def materials(conn: Conn, meeting_id: int) -> list[Material]:
    """The materials of a meeting's agenda items, in agenda order, then as added."""
    rows = await conn.all(
        "SELECT m.* FROM materials m JOIN agenda_items i ON i.id = m.item_id "
        "WHERE m.meeting_id = ? AND m.removed = 0 AND i.deleted = 0 "
        "ORDER BY i.position, m.id",
        (meeting_id,),
    )
    return await _with_versions(conn, rows)


async def get_material(conn: Conn, material_id: int) -> Material | None:
    """A material that is still attached (not removed)."""
    rows = await conn.all("SELECT * FROM materials WHERE id = ? AND removed = 0", (material_id,))
    found = await _with_versions(conn, rows)
    return found[0] if found else None


async def get_version(conn: Conn, version_id: int) -> tuple[Material, MaterialVersion] | None:
    """A version of a material that is still attached, with its material."""
    material_id = await conn.value(
        "SELECT material_id FROM material_versions WHERE id = ?", (version_id,)
    )
    material = None if material_id is None else await get_material(conn, material_id)
    if material is None:
        return None
    version = next(v for v in material.versions if v.id == version_id)
    return material, version


async def record_open(conn: Conn, version_id: int, person_id: int, at: str) -> bool:
    """Record that a person opened a version; True the first time only."""
    changed = await conn.changed(
        "INSERT INTO material_reads (version_id, person_id, first_opened_at) "
        "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (version_id, person_id, at),
    )
    return changed > 0


async def has_opened(conn: Conn, version_id: int, person_id: int) -> bool:
    found = await conn.value(
        "SELECT 1 FROM material_reads WHERE version_id = ? AND person_id = ?",
        (version_id, person_id),
    )
    return found is not None


async def reads(conn: Conn, meeting_id: int) -> list[MaterialRead]:
    rows = await conn.all(
        "SELECT r.person_id, v.material_id, r.version_id, v.version, r.first_opened_at "
        "FROM material_reads r JOIN material_versions v ON v.id = r.version_id "
        "JOIN materials m ON m.id = v.material_id "
        "WHERE m.meeting_id = ? AND m.removed = 0",
        (meeting_id,),
    )
    return [
        MaterialRead(
            person_id=row["person_id"],
            material_id=row["material_id"],
            version_id=row["version_id"],
            version=row["version"],
            first_opened_at=row["first_opened_at"],
        )
        for row in rows
    ]


async def read_ahead(conn: Conn, meeting_id: int) -> ReadAhead | None:
    """Read-ahead of a meeting's members; for the meeting report, ``complete_count`` is how
    many members opened every material before the meeting started."""
    meeting = await meetings.get_meeting(conn, meeting_id)
    if meeting is None:
        return None
    return build_read_ahead(
        await materials(conn, meeting_id),
        await reads(conn, meeting_id),
        await people.roster(conn, meeting.body_id),
        meeting.started_at,
    )
