"""The minutes: statement entries drawn from the floor, the secretariat's edits, decisions,
action items, and the frozen revisions."""

from __future__ import annotations

import json
from typing import Any

from board import agenda
from board.minutes.floorlog import ACTIONS, LogEntry
from board.minutes.model import (
    ActionItem,
    Copy,
    Decision,
    Minutes,
    MinutesKind,
    MinutesStatus,
    Panel,
    Revision,
    Sources,
    Statement,
)
from board.models import AgendaItem, Person, Role
from board.store import materials as material_store
from board.store import meetings, people, votes
from board.store import opinions as opinion_store
from board.store.db import Conn, Row
from board.store.meetings import _item as agenda_item
from board.timeutil import now_iso

PANEL_ENTRIES = 20
PANEL_TEXT = 120


def _minutes(row: Row) -> Minutes:
    materials = row["materials"]
    return Minutes(
        meeting_id=row["meeting_id"],
        kind=MinutesKind(row["kind"]),
        status=MinutesStatus(row["status"]),
        title=row["title"],
        opened=row["opened"],
        closed=row["closed"],
        place=row["place"],
        observers=row["observers"],
        materials=None if materials is None else list(json.loads(materials)),
        revision=row["revision"],
        published_revision=row["published_revision"],
        pending_reason=row["pending_reason"],
        note=row["note"],
        omitted_items=tuple(json.loads(row["omitted_items"] or "[]")),
        omitted_mark=row["omitted_mark"],
    )


def _statement(row: Row) -> Statement:
    return Statement(
        id=row["id"],
        meeting_id=row["meeting_id"],
        item_id=row["item_id"],
        request_id=row["request_id"],
        person_id=row["person_id"],
        speaker_name=row["speaker_name"],
        speaker_role=Role(row["speaker_role"]),
        speaker_title=row["speaker_title"],
        speaker_position=row["speaker_position"],
        position=row["position"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        text=row["text"],
        public=bool(row["public"]),
        non_public_reason=row["non_public_reason"],
        in_excerpt=bool(row["in_excerpt"]),
        removed_at=row["removed_at"],
        removed_reason=row["removed_reason"],
        merged_into=row["merged_into"],
    )


def _decision(row: Row) -> Decision:
    return Decision(
        id=row["id"],
        meeting_id=row["meeting_id"],
        item_id=row["item_id"],
        position=row["position"],
        text=row["text"],
        vote_id=row["vote_id"],
    )


def _action_item(row: Row) -> ActionItem:
    return ActionItem(
        id=row["id"],
        meeting_id=row["meeting_id"],
        item_id=row["item_id"],
        position=row["position"],
        what=row["what"],
        department=row["department"],
        due_date=row["due_date"],
    )


def _revision(row: Row) -> Revision:
    return Revision(
        meeting_id=row["meeting_id"],
        number=row["number"],
        reason=row["reason"],
        approved_by=row["approved_by"],
        finalized_at=row["finalized_at"],
        sha256=row["sha256"],
        public_sha256=row["public_sha256"],
        published_at=row["published_at"],
    )


# The minutes row -------------------------------------------------------------------


async def get(conn: Conn, meeting_id: int) -> Minutes:
    row = await conn.one("SELECT * FROM minutes WHERE meeting_id = ?", (meeting_id,))
    return Minutes(meeting_id=meeting_id) if row is None else _minutes(row)


async def ensure(conn: Conn, meeting_id: int) -> None:
    await conn.run(
        "INSERT INTO minutes (meeting_id, updated_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (meeting_id, now_iso()),
    )


HEADER_FIELDS = (
    "kind",
    "title",
    "opened",
    "closed",
    "place",
    "observers",
    "materials",
    "omitted_mark",
)


async def update_header(conn: Conn, meeting_id: int, fields: dict[str, Any]) -> None:
    await ensure(conn, meeting_id)
    names = [name for name in HEADER_FIELDS if name in fields]
    values = [
        json.dumps(fields[name], ensure_ascii=False)
        if name == "materials" and fields[name] is not None
        else fields[name]
        for name in names
    ]
    assignments = ", ".join(f"{name} = ?" for name in [*names, "updated_at"])
    await conn.run(
        f"UPDATE minutes SET {assignments} WHERE meeting_id = ?",
        [*values, now_iso(), meeting_id],
    )


async def set_omitted(conn: Conn, meeting_id: int, item_ids: list[int]) -> None:
    """The items an excerpt omits whole (in agenda order; empty: none)."""
    await ensure(conn, meeting_id)
    await conn.run(
        "UPDATE minutes SET omitted_items = ?, updated_at = ? WHERE meeting_id = ?",
        (json.dumps(item_ids) if item_ids else None, now_iso(), meeting_id),
    )


async def set_state(conn: Conn, meeting_id: int, status: MinutesStatus, **columns: Any) -> None:
    """Move the minutes to a status, with any of revision, published_revision,
    pending_reason, note."""
    allowed = {"revision", "published_revision", "pending_reason", "note"}
    assert set(columns) <= allowed, columns
    await ensure(conn, meeting_id)
    names = ["status", *columns, "updated_at"]
    await conn.run(
        f"UPDATE minutes SET {', '.join(f'{name} = ?' for name in names)} WHERE meeting_id = ?",
        [status.value, *columns.values(), now_iso(), meeting_id],
    )


async def set_published(conn: Conn, meeting_id: int, revision: int) -> None:
    await conn.run(
        "UPDATE minutes SET published_revision = ?, updated_at = ? WHERE meeting_id = ?",
        (revision, now_iso(), meeting_id),
    )


# Statement entries -----------------------------------------------------------------


async def next_position(conn: Conn, meeting_id: int) -> int:
    return int(
        await conn.value(
            "SELECT coalesce(max(position), 0) + 1 FROM minutes_statements WHERE meeting_id = ?",
            (meeting_id,),
        )
    )


async def record_speech(
    conn: Conn, meeting_id: int, request_id: int, item_id: int, person: Person, started_at: str
) -> int:
    """A speech granted on the floor becomes a statement entry at once."""
    return await conn.insert(
        "INSERT INTO minutes_statements (meeting_id, item_id, request_id, person_id, "
        "speaker_name, speaker_role, speaker_position, position, started_at, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            meeting_id,
            item_id,
            request_id,
            person.id,
            person.name,
            person.role.value,
            person.affiliation,
            await next_position(conn, meeting_id),
            started_at,
            now_iso(),
        ),
    )


async def end_speech(conn: Conn, request_id: int, ended_at: str) -> None:
    await conn.run(
        "UPDATE minutes_statements SET ended_at = ? WHERE request_id = ? AND ended_at IS NULL",
        (ended_at, request_id),
    )


async def statements(conn: Conn, meeting_id: int, *, removed: bool = False) -> list[Statement]:
    """The meeting's entries in position order: the kept ones, or the removed ones."""
    rows = await conn.all(
        "SELECT * FROM minutes_statements WHERE meeting_id = ? AND (removed_at IS NOT NULL) = ? "
        "ORDER BY position, id",
        (meeting_id, removed),
    )
    return [_statement(row) for row in rows]


async def get_statement(conn: Conn, statement_id: int) -> Statement | None:
    row = await conn.one("SELECT * FROM minutes_statements WHERE id = ?", (statement_id,))
    return None if row is None else _statement(row)


STATEMENT_FIELDS = (
    "item_id",
    "person_id",
    "speaker_name",
    "speaker_role",
    "speaker_title",
    "speaker_position",
    "position",
    "started_at",
    "ended_at",
    "text",
    "public",
    "non_public_reason",
    "in_excerpt",
)


async def add_statement(conn: Conn, meeting_id: int, fields: dict[str, Any]) -> int:
    names = [name for name in STATEMENT_FIELDS if name in fields]
    columns = ", ".join(["meeting_id", *names, "created_at"])
    marks = ", ".join("?" * (len(names) + 2))
    return await conn.insert(
        f"INSERT INTO minutes_statements ({columns}) VALUES ({marks})",
        [meeting_id, *(fields[name] for name in names), now_iso()],
    )


async def update_statement(conn: Conn, statement_id: int, fields: dict[str, Any]) -> None:
    names = [name for name in STATEMENT_FIELDS if name in fields]
    if names:
        assignments = ", ".join(f"{name} = ?" for name in names)
        await conn.run(
            f"UPDATE minutes_statements SET {assignments} WHERE id = ?",
            [*(fields[name] for name in names), statement_id],
        )


async def set_positions(conn: Conn, positions: list[tuple[int, int]]) -> None:
    """(statement id, position) pairs."""
    await conn.run_many(
        "UPDATE minutes_statements SET position = ? WHERE id = ?",
        [(position, statement_id) for statement_id, position in positions],
    )


async def remove_statement(
    conn: Conn, statement_id: int, at: str, reason: str, merged_into: int | None = None
) -> None:
    await conn.run(
        "UPDATE minutes_statements SET removed_at = ?, removed_reason = ?, merged_into = ? "
        "WHERE id = ?",
        (at, reason, merged_into, statement_id),
    )


async def restore_statement(conn: Conn, statement_id: int, position: int) -> None:
    await conn.run(
        "UPDATE minutes_statements SET removed_at = NULL, removed_reason = '', "
        "merged_into = NULL, position = ? WHERE id = ?",
        (position, statement_id),
    )


# Decisions and action items ----------------------------------------------------------


async def decisions(conn: Conn, meeting_id: int) -> list[Decision]:
    rows = await conn.all(
        "SELECT * FROM minutes_decisions WHERE meeting_id = ? ORDER BY position, id",
        (meeting_id,),
    )
    return [_decision(row) for row in rows]


async def get_decision(conn: Conn, decision_id: int) -> Decision | None:
    row = await conn.one("SELECT * FROM minutes_decisions WHERE id = ?", (decision_id,))
    return None if row is None else _decision(row)


async def add_decision(
    conn: Conn,
    meeting_id: int,
    item_id: int,
    text: str,
    *,
    vote_id: int | None = None,
    at: str | None = None,
) -> int:
    """A decision (決定事項) last under its item; ``vote_id`` when a vote's announcement
    records it."""
    position = await conn.value(
        "SELECT coalesce(max(position), 0) + 1 FROM minutes_decisions WHERE item_id = ?",
        (item_id,),
    )
    return await conn.insert(
        "INSERT INTO minutes_decisions (meeting_id, item_id, position, text, created_at, "
        "vote_id) VALUES (?, ?, ?, ?, ?, ?)",
        (meeting_id, item_id, position, text, at or now_iso(), vote_id),
    )


async def update_decision(conn: Conn, decision_id: int, text: str) -> None:
    await conn.run("UPDATE minutes_decisions SET text = ? WHERE id = ?", (text, decision_id))


async def delete_decision(conn: Conn, decision_id: int) -> None:
    await conn.run("DELETE FROM minutes_decisions WHERE id = ?", (decision_id,))


async def action_items(conn: Conn, meeting_id: int) -> list[ActionItem]:
    rows = await conn.all(
        "SELECT * FROM minutes_action_items WHERE meeting_id = ? ORDER BY position, id",
        (meeting_id,),
    )
    return [_action_item(row) for row in rows]


async def get_action_item(conn: Conn, action_item_id: int) -> ActionItem | None:
    row = await conn.one("SELECT * FROM minutes_action_items WHERE id = ?", (action_item_id,))
    return None if row is None else _action_item(row)


ACTION_ITEM_FIELDS = ("what", "department", "due_date")


async def add_action_item(conn: Conn, meeting_id: int, item_id: int, fields: dict[str, Any]) -> int:
    position = await conn.value(
        "SELECT coalesce(max(position), 0) + 1 FROM minutes_action_items WHERE item_id = ?",
        (item_id,),
    )
    return await conn.insert(
        "INSERT INTO minutes_action_items (meeting_id, item_id, position, what, department, "
        "due_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            meeting_id,
            item_id,
            position,
            fields["what"],
            fields.get("department", ""),
            fields.get("due_date"),
            now_iso(),
        ),
    )


async def update_action_item(conn: Conn, action_item_id: int, fields: dict[str, Any]) -> None:
    names = [name for name in ACTION_ITEM_FIELDS if name in fields]
    if names:
        assignments = ", ".join(f"{name} = ?" for name in names)
        await conn.run(
            f"UPDATE minutes_action_items SET {assignments} WHERE id = ?",
            [*(fields[name] for name in names), action_item_id],
        )


async def delete_action_item(conn: Conn, action_item_id: int) -> None:
    await conn.run("DELETE FROM minutes_action_items WHERE id = ?", (action_item_id,))


# Outline and attendance ---------------------------------------------------------------


async def levels(conn: Conn, meeting_id: int) -> dict[int, int]:
    rows = await conn.all(
        "SELECT item_id, level FROM minutes_outline WHERE meeting_id = ?", (meeting_id,)
    )
    return {row["item_id"]: row["level"] for row in rows}


async def set_level(conn: Conn, meeting_id: int, item_id: int, level: int) -> None:
    await conn.run(
        "INSERT INTO minutes_outline (item_id, meeting_id, level) VALUES (?, ?, ?) "
        "ON CONFLICT (item_id) DO UPDATE SET level = excluded.level",
        (item_id, meeting_id, level),
    )


async def attendance_overrides(conn: Conn, meeting_id: int) -> dict[int, bool]:
    rows = await conn.all(
        "SELECT person_id, present FROM minutes_attendance WHERE meeting_id = ?", (meeting_id,)
    )
    return {row["person_id"]: bool(row["present"]) for row in rows}


async def online_overrides(conn: Conn, meeting_id: int) -> dict[int, bool]:
    rows = await conn.all(
        "SELECT person_id, online FROM minutes_attendance "
        "WHERE meeting_id = ? AND online IS NOT NULL",
        (meeting_id,),
    )
    return {row["person_id"]: bool(row["online"]) for row in rows}


async def set_attendance(
    conn: Conn, meeting_id: int, person_id: int, present: bool, online: bool | None = None
) -> None:
    """Correct a person's attendance; ``online`` None keeps how they took part as recorded."""
    await conn.run(
        "INSERT INTO minutes_attendance (meeting_id, person_id, present, online) "
        "VALUES (?, ?, ?, ?) "
        "ON CONFLICT (meeting_id, person_id) DO UPDATE SET present = excluded.present, "
        "online = COALESCE(excluded.online, minutes_attendance.online)",
        (meeting_id, person_id, present, None if online is None else int(online)),
    )


# Revisions -----------------------------------------------------------------------------


async def add_revision(
    conn: Conn,
    meeting_id: int,
    number: int,
    *,
    reason: str,
    approved_by: int,
    at: str,
    documents: dict[Copy, tuple[str, str]],
) -> None:
    """Freeze revision N: the canonical JSON and SHA-256 of the original and public copy."""
    original, public = documents[Copy.ORIGINAL], documents[Copy.PUBLIC]
    await conn.run(
        "INSERT INTO minutes_revisions (meeting_id, number, reason, approved_by, finalized_at, "
        "document, sha256, public_document, public_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (meeting_id, number, reason, approved_by, at, *original, *public),
    )


async def revisions(conn: Conn, meeting_id: int) -> list[Revision]:
    rows = await conn.all(
        "SELECT meeting_id, number, reason, approved_by, finalized_at, sha256, public_sha256, "
        "published_at FROM minutes_revisions WHERE meeting_id = ? ORDER BY number",
        (meeting_id,),
    )
    return [_revision(row) for row in rows]


async def revision_document(
    conn: Conn, meeting_id: int, number: int, copy: Copy
) -> tuple[str, str] | None:
    """The frozen canonical JSON of a revision's copy and its SHA-256."""
    columns = "document, sha256" if copy is Copy.ORIGINAL else "public_document, public_sha256"
    row = await conn.one(
        f"SELECT {columns} FROM minutes_revisions WHERE meeting_id = ? AND number = ?",
        (meeting_id, number),
    )
    return None if row is None else (str(row[0]), str(row[1]))


async def publish_revision(conn: Conn, meeting_id: int, number: int, at: str) -> None:
    await conn.run(
        "UPDATE minutes_revisions SET published_at = ? WHERE meeting_id = ? AND number = ?",
        (at, meeting_id, number),
    )


# Everything a document is built from -----------------------------------------------------


async def items_of(conn: Conn, meeting_id: int) -> list[AgendaItem]:
    """The agenda, plus any deleted item that still has statements (they stay recorded)."""
    rows = await conn.all(
        "SELECT * FROM agenda_items a WHERE a.meeting_id = ? AND (a.deleted = 0 OR EXISTS "
        "(SELECT 1 FROM minutes_statements s WHERE s.item_id = a.id AND s.removed_at IS NULL)) "
        "ORDER BY a.position, a.id",
        (meeting_id,),
    )
    return agenda.numbered([agenda_item(row) for row in rows])


async def sources(conn: Conn, meeting_id: int) -> Sources | None:
    meeting = await meetings.get_meeting(conn, meeting_id)
    if meeting is None:
        return None
    body = await people.get_body(conn, meeting.body_id)
    assert body is not None
    agenda_items = await items_of(conn, meeting_id)
    return Sources(
        body=body,
        meeting=meeting,
        minutes=await get(conn, meeting_id),
        items=agenda_items,
        # Sub-items as the agenda was built; the minutes' outline may still set a level.
        levels={
            **{item.id: 2 for item in agenda_items if item.parent_id is not None},
            **await levels(conn, meeting_id),
        },
        statements=await statements(conn, meeting_id),
        decisions=await decisions(conn, meeting_id),
        action_items=await action_items(conn, meeting_id),
        roster=await people.roster(conn, meeting.body_id, include_inactive=True),
        present_ids=await meetings.present_ids(conn, meeting_id),
        online_ids=await meetings.online_ids(conn, meeting_id),
        online_overrides=await online_overrides(conn, meeting_id),
        attendance_overrides=await attendance_overrides(conn, meeting_id),
        materials=await materials(conn, meeting_id),
        votes=await votes.of_meeting(conn, meeting_id),
    )


async def floor_log(conn: Conn, meeting_id: int) -> list[LogEntry]:
    """The events that say which agenda item was current when."""
    marks = ", ".join("?" * len(ACTIONS))
    rows = await conn.all(
        f"SELECT at, action, payload FROM events WHERE meeting_id = ? AND action IN ({marks}) "
        "ORDER BY seq",
        (meeting_id, *ACTIONS),
    )
    return [LogEntry(row["at"], row["action"], json.loads(row["payload"])) for row in rows]


async def panel(conn: Conn, meeting_id: int) -> Panel:
    """Cheap enough for every live push: indexed reads of the latest entries only."""
    rows = await conn.all(
        "SELECT id, meeting_id, item_id, request_id, person_id, speaker_name, speaker_role, "
        "speaker_title, speaker_position, position, started_at, ended_at, "
        f"substr(text, 1, {PANEL_TEXT}) AS text, public, non_public_reason, in_excerpt, "
        "removed_at, removed_reason, merged_into FROM minutes_statements "
        "WHERE meeting_id = ? AND removed_at IS NULL ORDER BY position DESC, id DESC LIMIT ?",
        (meeting_id, PANEL_ENTRIES),
    )
    total = len(rows)
    if total == PANEL_ENTRIES:
        total = int(
            await conn.value(
                "SELECT count(*) FROM minutes_statements "
                "WHERE meeting_id = ? AND removed_at IS NULL",
                (meeting_id,),
            )
        )
    status = await conn.value("SELECT status FROM minutes WHERE meeting_id = ?", (meeting_id,))
    return Panel(
        status=MinutesStatus(status or MinutesStatus.DRAFT.value),
        total=total,
        entries=[_statement(row) for row in reversed(rows)],
    )


async def finalized_meetings(conn: Conn, body_id: int | None = None) -> list[Row]:
    """Meetings with at least one finalized revision, newest first."""
    return await conn.all(
        "SELECT m.id, m.body_id, m.title, m.date, b.name AS body_name, mi.revision, "
        "mi.published_revision, mi.kind FROM minutes mi "
        "JOIN meetings m ON m.id = mi.meeting_id JOIN bodies b ON b.id = m.body_id "
        "WHERE mi.revision > 0 AND (CAST(? AS BIGINT) IS NULL OR m.body_id = ?) "
        "ORDER BY m.date DESC, m.start_time DESC, m.id DESC",
        (body_id, body_id),
    )


# What the before-the-meeting tables say, once they exist ------------------------------------


async def materials(conn: Conn, meeting_id: int) -> list[str]:
    """The meeting's materials in agenda order, for the header's list of materials."""
    rows = await conn.all(
        "SELECT m.title FROM materials m JOIN agenda_items a ON a.id = m.item_id "
        "WHERE m.meeting_id = ? AND m.removed = 0 ORDER BY a.position, m.id",
        (meeting_id,),
    )
    return [str(row[0]) for row in rows]


async def materials_read_before(conn: Conn, meeting_id: int) -> int | None:
    """How many members opened every material before the meeting started; None when the
    meeting had no materials to read."""
    found = await material_store.read_ahead(conn, meeting_id)
    if found is None or not found.materials:
        return None
    return found.complete_count


async def opinions_raised(conn: Conn, meeting_id: int) -> int:
    """How many written opinions reached the floor: marked to raise, or their author put
    in the queue."""
    return (await opinion_store.counts(conn, meeting_id)).raised
