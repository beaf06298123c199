"""The speaker queue and the speeches on it."""

from __future__ import annotations

from board.models import FloorRequest, RequestKind, RequestStatus
from board.store import people
from board.store.db import Conn, Row
from board.timeutil import now_iso, parse

_SELECT = (
    "SELECT r.*, p.body_id, p.name, p.affiliation, p.role, p.active "
    "FROM floor_requests r JOIN people p ON p.id = r.person_id "
)


def _request(row: Row) -> FloorRequest:
    return FloorRequest(
        id=row["id"],
        meeting_id=row["meeting_id"],
        item_id=row["item_id"],
        person=people.joined_person(row),
        kind=RequestKind(row["kind"]),
        status=RequestStatus(row["status"]),
        position=row["position"],
        requested_at=row["requested_at"],
        granted_at=row["granted_at"],
        ended_at=row["ended_at"],
        limit_seconds=row["limit_seconds"],
        extended_seconds=row["extended_seconds"],
    )


async def queue(conn: Conn, item_id: int) -> list[FloorRequest]:
    rows = await conn.all(
        _SELECT + "WHERE r.item_id = ? AND r.status = 'queued' ORDER BY r.position, r.id",
        (item_id,),
    )
    return [_request(row) for row in rows]


async def speaking(conn: Conn, meeting_id: int) -> FloorRequest | None:
    row = await conn.one(
        _SELECT + "WHERE r.meeting_id = ? AND r.status = 'speaking'", (meeting_id,)
    )
    return None if row is None else _request(row)


async def get_request(conn: Conn, request_id: int) -> FloorRequest | None:
    row = await conn.one(_SELECT + "WHERE r.id = ?", (request_id,))
    return None if row is None else _request(row)


async def open_request_of(conn: Conn, item_id: int, person_id: int) -> FloorRequest | None:
    row = await conn.one(
        _SELECT + "WHERE r.item_id = ? AND r.person_id = ? AND r.status IN ('queued', 'speaking')",
        (item_id, person_id),
    )
    return None if row is None else _request(row)


async def add_request(
    conn: Conn, meeting_id: int, item_id: int, person_id: int, kind: RequestKind
) -> int:
    current = await queue(conn, item_id)
    request_id = await conn.insert(
        "INSERT INTO floor_requests (meeting_id, item_id, person_id, kind, position, "
        "requested_at) VALUES (?, ?, ?, ?, ?, ?)",
        (meeting_id, item_id, person_id, kind.value, len(current) + 1, now_iso()),
    )
    order = [request.id for request in current]
    if kind is RequestKind.POINT_OF_ORDER:
        # A point of order goes to the head, behind any earlier point of order.
        ahead = sum(1 for request in current if request.kind is RequestKind.POINT_OF_ORDER)
        order.insert(ahead, request_id)
    else:
        order.append(request_id)
    await set_order(conn, order)
    return request_id


async def set_order(conn: Conn, request_ids: list[int]) -> None:
    await conn.run_many(
        "UPDATE floor_requests SET position = ? WHERE id = ?",
        [(index + 1, request_id) for index, request_id in enumerate(request_ids)],
    )


async def set_status(conn: Conn, request_id: int, status: RequestStatus) -> None:
    await conn.run("UPDATE floor_requests SET status = ? WHERE id = ?", (status.value, request_id))


async def grant(conn: Conn, request_id: int, limit_seconds: int, at: str) -> None:
    await conn.run(
        "UPDATE floor_requests SET status = 'speaking', granted_at = ?, limit_seconds = ? "
        "WHERE id = ?",
        (at, limit_seconds, request_id),
    )


async def end(conn: Conn, request_id: int, at: str) -> None:
    await conn.run(
        "UPDATE floor_requests SET status = 'done', ended_at = ? WHERE id = ?", (at, request_id)
    )


async def extend(conn: Conn, request_id: int, seconds: int) -> None:
    await conn.run(
        "UPDATE floor_requests SET extended_seconds = extended_seconds + ? WHERE id = ?",
        (seconds, request_id),
    )


async def spoken_ids(conn: Conn, item_id: int) -> frozenset[int]:
    rows = await conn.all(
        "SELECT DISTINCT person_id FROM floor_requests "
        "WHERE item_id = ? AND status IN ('speaking', 'done')",
        (item_id,),
    )
    return frozenset(row[0] for row in rows)


async def speaking_seconds(conn: Conn, item_id: int) -> dict[int, int]:
    """Seconds each person has spoken on an item, finished speeches only (summed here:
    the engines' date arithmetic differs, the stored ISO times do not)."""
    rows = await conn.all(
        "SELECT person_id, granted_at, ended_at FROM floor_requests "
        "WHERE item_id = ? AND status = 'done' AND granted_at IS NOT NULL "
        "AND ended_at IS NOT NULL",
        (item_id,),
    )
    totals: dict[int, float] = {}
    for row in rows:
        spoken = parse(row["ended_at"]) - parse(row["granted_at"])
        totals[row["person_id"]] = totals.get(row["person_id"], 0.0) + spoken.total_seconds()
    return {person_id: round(seconds) for person_id, seconds in totals.items()}


async def speeches(conn: Conn, meeting_id: int) -> list[FloorRequest]:
    """Every granted speech of a meeting, in the order the floor was given."""
    rows = await conn.all(
        _SELECT + "WHERE r.meeting_id = ? AND r.granted_at IS NOT NULL ORDER BY r.granted_at, r.id",
        (meeting_id,),
    )
    return [_request(row) for row in rows]
