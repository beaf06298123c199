"""Written opinions per agenda item, agreement with them, and the comment window."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from board.models import CommentWindow, Opinion, OpinionStatus, Stance, Triage
from board.store import people
from board.store.db import Conn, Row

_SELECT = (
    "SELECT o.*, p.body_id, p.name, p.affiliation, p.role, p.active, "
    "(SELECT count(*) FROM opinion_agrees a WHERE a.opinion_id = o.id) AS agrees "
    "FROM opinions o JOIN people p ON p.id = o.person_id "
)


@dataclass(frozen=True, slots=True)
class OpinionCounts:
    """For the meeting report: what became of the written opinions."""

    written: int  # not withdrawn
    withdrawn: int
    to_raise: int  # marked "to raise at the meeting"
    queued: int  # whose author the chair put in the queue
    raised: int  # either of the two: the written opinions that reached the floor
    answered: int
    noted: int


def _opinion(row: Row) -> Opinion:
    return Opinion(
        id=row["id"],
        meeting_id=row["meeting_id"],
        item_id=row["item_id"],
        author=people.joined_person(row),
        stance=Stance(row["stance"]),
        text=row["text"],
        status=OpinionStatus(row["status"]),
        triage=None if row["triage"] is None else Triage(row["triage"]),
        answer=row["answer"],
        answered_at=row["answered_at"],
        agrees=row["agrees"],
        request_id=row["request_id"],
        queued_at=row["queued_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        material_id=row["material_id"],
        page=row["page"],
    )


async def window(conn: Conn, meeting_id: int) -> CommentWindow:
    row = await conn.one(
        "SELECT deadline, closed FROM comment_windows WHERE meeting_id = ?", (meeting_id,)
    )
    if row is None:
        return CommentWindow()
    return CommentWindow(deadline=row["deadline"], closed=bool(row["closed"]))


@dataclass(frozen=True, slots=True)
class BeforeWriting:
    """What writing an opinion checks first."""

    window: CommentWindow
    item_exists: bool  # in this meeting, not deleted
    written: int  # the author's active opinions on the item


async def before_writing(
    conn: Conn, meeting_id: int, item_id: int, person_id: int
) -> BeforeWriting:
    """The comment window, whether the item is the meeting's, and how many opinions the
    person has on it: one statement."""
    row = await conn.one(
        "SELECT w.deadline, w.closed, "
        "(SELECT count(*) FROM agenda_items i "
        " WHERE i.id = :item AND i.meeting_id = :meeting AND i.deleted = 0) AS items, "
        "(SELECT count(*) FROM opinions o "
        " WHERE o.item_id = :item AND o.person_id = :person AND o.status = 'active') AS written "
        "FROM (SELECT 1 AS one) AS asked "
        "LEFT JOIN comment_windows w ON w.meeting_id = :meeting",
        {"meeting": meeting_id, "item": item_id, "person": person_id},
    )
    assert row is not None  # one row, always
    window = (
        CommentWindow()
        if row["closed"] is None
        else CommentWindow(deadline=row["deadline"], closed=bool(row["closed"]))
    )
    return BeforeWriting(window, bool(row["items"]), int(row["written"]))


async def set_window(conn: Conn, meeting_id: int, comments: CommentWindow) -> None:
    await conn.run(
        "INSERT INTO comment_windows (meeting_id, deadline, closed) VALUES (?, ?, ?) "
        "ON CONFLICT (meeting_id) DO UPDATE SET deadline = excluded.deadline, "
        "closed = excluded.closed",
        (meeting_id, comments.deadline, comments.closed),
    )


async def add(
    conn: Conn,
    meeting_id: int,
    item_id: int,
    person_id: int,
    stance: Stance,
    text: str,
    at: str,
    client_key: str | None = None,
) -> int:
    return await conn.insert(
        "INSERT INTO opinions (meeting_id, item_id, person_id, stance, text, created_at, "
        "updated_at, client_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (meeting_id, item_id, person_id, stance.value, text, at, at, client_key),
    )


async def by_client_key(conn: Conn, person_id: int, client_key: str) -> int | None:
    """The opinion a device already posted with this key, if any."""
    found = await conn.value(
        "SELECT id FROM opinions WHERE person_id = ? AND client_key = ?", (person_id, client_key)
    )
    return None if found is None else int(found)


async def get(conn: Conn, opinion_id: int) -> Opinion | None:
    row = await conn.one(_SELECT + "WHERE o.id = ?", (opinion_id,))
    return None if row is None else _opinion(row)


async def of_meeting(
    conn: Conn,
    meeting_id: int,
    *,
    include_withdrawn: bool = False,
    items: Iterable[int] | None = None,
) -> list[Opinion]:
    """A meeting's opinions (only on ``items``, when given) in agenda order, then as
    written."""
    ids = [] if items is None else sorted(items)
    if items is not None and not ids:
        return []
    only = f"AND o.item_id IN ({', '.join('?' * len(ids))}) " if ids else ""
    rows = await conn.all(
        _SELECT + "JOIN agenda_items i ON i.id = o.item_id "
        f"WHERE o.meeting_id = ? AND i.deleted = 0 AND (o.status = 'active' OR ?) {only}"
        "ORDER BY i.position, o.created_at, o.id",
        (meeting_id, include_withdrawn, *ids),
    )
    return [_opinion(row) for row in rows]


async def edit(conn: Conn, opinion_id: int, stance: Stance, text: str, at: str) -> None:
    await conn.run(
        "UPDATE opinions SET stance = ?, text = ?, updated_at = ? WHERE id = ?",
        (stance.value, text, at, opinion_id),
    )


async def withdraw(conn: Conn, opinion_id: int, at: str) -> None:
    await conn.run(
        "UPDATE opinions SET status = 'withdrawn', updated_at = ? WHERE id = ?", (at, opinion_id)
    )


async def set_triage(conn: Conn, opinion_id: int, triage: Triage | None) -> None:
    value = None if triage is None else triage.value
    await conn.run("UPDATE opinions SET triage = ? WHERE id = ?", (value, opinion_id))


async def answer(conn: Conn, opinion_id: int, text: str, person_id: int, at: str) -> None:
    await conn.run(
        "UPDATE opinions SET triage = 'answered', answer = ?, answered_by = ?, answered_at = ? "
        "WHERE id = ?",
        (text, person_id, at, opinion_id),
    )


async def set_request(conn: Conn, opinion_id: int, request_id: int, at: str) -> None:
    await conn.run(
        "UPDATE opinions SET request_id = ?, queued_at = ? WHERE id = ?",
        (request_id, at, opinion_id),
    )


async def agree(conn: Conn, opinion_id: int, person_id: int, at: str) -> bool:
    """True when this is a new agreement; agreeing twice counts once."""
    changed = await conn.changed(
        "INSERT INTO opinion_agrees (opinion_id, person_id, agreed_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (opinion_id, person_id, at),
    )
    return changed > 0


async def unagree(conn: Conn, opinion_id: int, person_id: int) -> bool:
    changed = await conn.run(
        "DELETE FROM opinion_agrees WHERE opinion_id = ? AND person_id = ?",
        (opinion_id, person_id),
    )
    return changed > 0


async def agree_count(conn: Conn, opinion_id: int) -> int:
    return int(
        await conn.value("SELECT count(*) FROM opinion_agrees WHERE opinion_id = ?", (opinion_id,))
    )


async def agreed_by(conn: Conn, meeting_id: int, person_id: int) -> frozenset[int]:
    """The opinions of a meeting that a person agrees with."""
    return (await agreed_by_each(conn, meeting_id, [person_id]))[person_id]


async def agreed_by_each(
    conn: Conn, meeting_id: int, person_ids: Iterable[int]
) -> dict[int, frozenset[int]]:
    """For each of these people, the opinions of the meeting they agree with."""
    ids = sorted(person_ids)
    found: dict[int, set[int]] = {person_id: set() for person_id in ids}
    if ids:
        rows = await conn.all(
            "SELECT a.person_id, a.opinion_id FROM opinion_agrees a "
            "JOIN opinions o ON o.id = a.opinion_id "
            f"WHERE o.meeting_id = ? AND a.person_id IN ({', '.join('?' * len(ids))})",
            (meeting_id, *ids),
        )
        for row in rows:
            found[row[0]].add(row[1])
    return {person_id: frozenset(agreed) for person_id, agreed in found.items()}


async def counts(conn: Conn, meeting_id: int) -> OpinionCounts:
    row = await conn.one(
        "SELECT "
        "count(*) FILTER (WHERE o.status = 'active') AS written, "
        "count(*) FILTER (WHERE o.status = 'withdrawn') AS withdrawn, "
        "count(*) FILTER (WHERE o.status = 'active' AND o.triage = 'raise') AS to_raise, "
        "count(*) FILTER (WHERE o.status = 'active' AND o.request_id IS NOT NULL) AS queued, "
        "count(*) FILTER (WHERE o.status = 'active' "
        "AND (o.triage = 'raise' OR o.request_id IS NOT NULL)) AS raised, "
        "count(*) FILTER (WHERE o.status = 'active' AND o.triage = 'answered') AS answered, "
        "count(*) FILTER (WHERE o.status = 'active' AND o.triage = 'noted') AS noted "
        "FROM opinions o JOIN agenda_items i ON i.id = o.item_id "
        "WHERE o.meeting_id = ? AND i.deleted = 0",
        (meeting_id,),
    )
    assert row is not None
    return OpinionCounts(**{f.name: int(row[f.name] or 0) for f in fields(OpinionCounts)})
