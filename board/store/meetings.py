"""Meetings, their agenda, attendance and the meeting event log."""

from __future__ import annotations

from typing import Any

from board import agenda
from board.models import AgendaItem, Body, ItemKind, ItemStatus, Meeting, MeetingStatus
from board.store import search
from board.store.db import Conn, Row
from board.timeutil import now_iso


def _meeting(row: Row) -> Meeting:
    return Meeting(
        id=row["id"],
        body_id=row["body_id"],
        title=row["title"],
        date=row["date"],
        start_time=row["start_time"],
        planned_end=row["planned_end"],
        place=row["place"],
        status=MeetingStatus(row["status"]),
        current_item_id=row["current_item_id"],
        speech_limit_seconds=row["speech_limit_seconds"],
        seq=row["seq"],
        started_at=row["started_at"],
        adjourned_at=row["adjourned_at"],
        chair_id=row["chair_id"],
        deputy_id=row["deputy_id"],
    )


def _item(row: Row) -> AgendaItem:
    return AgendaItem(
        id=row["id"],
        meeting_id=row["meeting_id"],
        position=row["position"],
        title=row["title"],
        presenter=row["presenter"],
        planned_minutes=row["planned_minutes"],
        kind=ItemKind(row["kind"]),
        status=ItemStatus(row["status"]),
        list_closed=bool(row["list_closed"]),
        speech_limit_seconds=row["speech_limit_seconds"],
        parent_id=row["parent_id"],
    )


MEETING_FIELDS = ("title", "date", "start_time", "planned_end", "place", "speech_limit_seconds")
ITEM_FIELDS = ("title", "presenter", "planned_minutes", "kind", "speech_limit_seconds", "parent_id")


async def create_meeting(conn: Conn, body_id: int, fields: dict[str, Any]) -> int:
    return await conn.insert(
        "INSERT INTO meetings (body_id, title, date, start_time, planned_end, place, "
        "speech_limit_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            body_id,
            fields["title"],
            fields["date"],
            fields["start_time"],
            fields["planned_end"],
            fields.get("place", ""),
            fields.get("speech_limit_seconds") or 180,
            now_iso(),
        ),
    )


async def update_meeting(conn: Conn, meeting_id: int, fields: dict[str, Any]) -> None:
    await conn.update("meetings", meeting_id, fields, MEETING_FIELDS)
    if "date" in fields:  # the search orders and filters its texts by the meeting's day
        await search.move_meeting(conn, meeting_id)


async def get_meeting_and_body(conn: Conn, meeting_id: int) -> tuple[Meeting, Body] | None:
    """The meeting and its body in one statement (every action and every push reads both)."""
    row = await conn.one(
        "SELECT m.*, b.name AS body_name, b.chair_title, b.secretariat_title, b.member_title, "
        "b.observer_title, b.show_names, b.seq AS body_seq "
        "FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?",
        (meeting_id,),
    )
    if row is None:
        return None
    body = Body(
        id=row["body_id"],
        name=row["body_name"],
        chair_title=row["chair_title"],
        secretariat_title=row["secretariat_title"],
        member_title=row["member_title"],
        observer_title=row["observer_title"],
        show_names=bool(row["show_names"]),
        seq=row["body_seq"],
    )
    return _meeting(row), body


async def get_meeting(conn: Conn, meeting_id: int) -> Meeting | None:
    row = await conn.one("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
    return None if row is None else _meeting(row)


async def meetings_of_body(conn: Conn, body_id: int) -> list[Meeting]:
    rows = await conn.all(
        "SELECT * FROM meetings WHERE body_id = ? ORDER BY date DESC, start_time DESC, id DESC",
        (body_id,),
    )
    return [_meeting(row) for row in rows]


async def set_status(conn: Conn, meeting_id: int, status: MeetingStatus, **stamps: str) -> None:
    columns = ["status = ?", *(f"{name} = ?" for name in stamps)]
    await conn.run(
        f"UPDATE meetings SET {', '.join(columns)} WHERE id = ?",
        [status.value, *stamps.values(), meeting_id],
    )


async def record_chair(conn: Conn, meeting_id: int, person_id: int) -> None:
    """The chair who started the meeting chaired it."""
    await conn.run("UPDATE meetings SET chair_id = ? WHERE id = ?", (person_id, meeting_id))


async def set_deputy(conn: Conn, meeting_id: int, person_id: int | None) -> None:
    await conn.run("UPDATE meetings SET deputy_id = ? WHERE id = ?", (person_id, meeting_id))


async def set_current_item(conn: Conn, meeting_id: int, item_id: int | None) -> None:
    await conn.run(
        "UPDATE agenda_items SET status = 'done' WHERE meeting_id = ? AND status = 'current'",
        (meeting_id,),
    )
    if item_id is not None:
        await conn.run("UPDATE agenda_items SET status = 'current' WHERE id = ?", (item_id,))
    await conn.run("UPDATE meetings SET current_item_id = ? WHERE id = ?", (item_id, meeting_id))


async def items(conn: Conn, meeting_id: int) -> list[AgendaItem]:
    """The agenda in order, numbered (1. 2. and (1) (2), ``board.agenda``)."""
    rows = await conn.all(
        "SELECT * FROM agenda_items WHERE meeting_id = ? AND deleted = 0 ORDER BY position, id",
        (meeting_id,),
    )
    return agenda.numbered([_item(row) for row in rows])


async def numbered_item(conn: Conn, item_id: int) -> AgendaItem | None:
    """One item with its number (for a page that shows it alone)."""
    found = await get_item(conn, item_id)
    if found is None:
        return None
    return next((item for item in await items(conn, found.meeting_id) if item.id == item_id), None)


async def get_item(conn: Conn, item_id: int) -> AgendaItem | None:
    row = await conn.one("SELECT * FROM agenda_items WHERE id = ? AND deleted = 0", (item_id,))
    return None if row is None else _item(row)


async def add_item(conn: Conn, meeting_id: int, fields: dict[str, Any]) -> int:
    position = await conn.value(
        "SELECT coalesce(max(position), 0) + 1 FROM agenda_items "
        "WHERE meeting_id = ? AND deleted = 0",
        (meeting_id,),
    )
    return await conn.insert(
        "INSERT INTO agenda_items (meeting_id, position, title, presenter, planned_minutes, "
        "kind, speech_limit_seconds, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            meeting_id,
            position,
            fields["title"],
            fields.get("presenter", ""),
            fields.get("planned_minutes", 10),
            fields.get("kind", ItemKind.DISCUSSION.value),
            fields.get("speech_limit_seconds"),
            fields.get("parent_id"),
        ),
    )


async def update_item(conn: Conn, item_id: int, fields: dict[str, Any]) -> None:
    await conn.update("agenda_items", item_id, fields, ITEM_FIELDS)


async def set_item_order(conn: Conn, item_ids: list[int]) -> None:
    await conn.run_many(
        "UPDATE agenda_items SET position = ? WHERE id = ?",
        [(index + 1, item_id) for index, item_id in enumerate(item_ids)],
    )


async def delete_item(conn: Conn, item_id: int) -> None:
    await conn.run("UPDATE agenda_items SET deleted = 1 WHERE id = ?", (item_id,))


async def set_list_closed(conn: Conn, item_id: int, closed: bool) -> None:
    await conn.run("UPDATE agenda_items SET list_closed = ? WHERE id = ?", (closed, item_id))


async def mark_present(conn: Conn, meeting_id: int, person_id: int) -> bool:
    """Record attendance; True when this is the person's first appearance."""
    changed = await conn.changed(
        "INSERT INTO attendance (meeting_id, person_id, first_seen_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (meeting_id, person_id, now_iso()),
    )
    return changed > 0


async def set_online(conn: Conn, meeting_id: int, person_id: int, online: bool) -> bool:
    """How a present person takes part (online or in the room); True when it changed."""
    changed = await conn.changed(
        "UPDATE attendance SET online = ? WHERE meeting_id = ? AND person_id = ? AND online <> ?",
        (int(online), meeting_id, person_id, int(online)),
    )
    return changed > 0


async def online_ids(conn: Conn, meeting_id: int) -> frozenset[int]:
    rows = await conn.all(
        "SELECT person_id FROM attendance WHERE meeting_id = ? AND online = 1", (meeting_id,)
    )
    return frozenset(row[0] for row in rows)


async def present_ids(conn: Conn, meeting_id: int) -> frozenset[int]:
    rows = await conn.all("SELECT person_id FROM attendance WHERE meeting_id = ?", (meeting_id,))
    return frozenset(row[0] for row in rows)


async def is_present(conn: Conn, meeting_id: int, person_id: int) -> bool:
    return (
        await conn.value(
            "SELECT 1 FROM attendance WHERE meeting_id = ? AND person_id = ?",
            (meeting_id, person_id),
        )
        is not None
    )


async def append_event(
    conn: Conn,
    meeting_id: int,
    actor_id: int | None,
    action: str,
    payload: str,
    at: str,
    changed: dict[str, Any] | None = None,
    announce: tuple[str, str] | None = None,
) -> int:
    return await conn.append_log(
        "meeting", meeting_id, actor_id, action, payload, at, changed, announce
    )


async def events(conn: Conn, meeting_id: int, after: int = 0, limit: int = 1000) -> list[Row]:
    return await conn.all(
        "SELECT seq, at, actor_id, action, payload FROM events "
        "WHERE meeting_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        (meeting_id, after, limit),
    )


async def event_count(conn: Conn, meeting_id: int) -> int:
    return int(await conn.value("SELECT count(*) FROM events WHERE meeting_id = ?", (meeting_id,)))
