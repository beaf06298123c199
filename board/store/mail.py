"""Invitation e-mails: the queue of deliveries and each one's status."""

from __future__ import annotations

from dataclasses import dataclass

from board.store.db import Conn, Row


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    meeting_id: int
    person_id: int
    name: str
    address: str
    notice: str
    sequence: int
    status: str
    attempts: int
    last_error: str
    next_attempt_at: str
    created_at: str
    sent_at: str | None


def _delivery(row: Row) -> Delivery:
    return Delivery(
        id=row["id"],
        meeting_id=row["meeting_id"],
        person_id=row["person_id"],
        name=row["name"],
        address=row["address"],
        notice=row["notice"],
        sequence=row["sequence"],
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        next_attempt_at=row["next_attempt_at"],
        created_at=row["created_at"],
        sent_at=row["sent_at"],
    )


_SELECT = "SELECT d.*, p.name FROM mail_deliveries d JOIN people p ON p.id = d.person_id "


async def sequence_of(conn: Conn, meeting_id: int) -> int | None:
    """The calendar SEQUENCE the meeting's notices have reached (None: none sent yet)."""
    value = await conn.value(
        "SELECT max(sequence) FROM mail_deliveries WHERE meeting_id = ?", (meeting_id,)
    )
    return None if value is None else int(value)


async def enqueue(
    conn: Conn,
    meeting_id: int,
    person_id: int,
    address: str,
    notice: str,
    sequence: int,
    at: str,
) -> int:
    return await conn.insert(
        "INSERT INTO mail_deliveries (meeting_id, person_id, address, notice, sequence, "
        "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (meeting_id, person_id, address, notice, sequence, at, at),
    )


async def of_meeting(conn: Conn, meeting_id: int) -> list[Delivery]:
    rows = await conn.all(_SELECT + "WHERE d.meeting_id = ? ORDER BY d.id", (meeting_id,))
    return [_delivery(row) for row in rows]


# A delivery taken for sending that long ago was left by a process that stopped mid-way:
# it is due again. (A send gives up after its SMTP timeout, far sooner.)
_DUE = (
    "(status = 'queued' AND next_attempt_at <= ?) OR (status = 'sending' AND next_attempt_at <= ?)"
)


async def due(conn: Conn, now: str, abandoned: str, limit: int = 50) -> list[int]:
    """Deliveries to send now: queued and due, or taken before ``abandoned`` and never done."""
    rows = await conn.all(
        f"SELECT id FROM mail_deliveries WHERE {_DUE} ORDER BY next_attempt_at, id LIMIT ?",
        (now, abandoned, limit),
    )
    return [int(row["id"]) for row in rows]


async def claim(conn: Conn, delivery_id: int, now: str, abandoned: str) -> Delivery | None:
    """Take a due delivery for sending; None when another worker took it first."""
    taken = await conn.run(
        f"UPDATE mail_deliveries SET status = 'sending', next_attempt_at = ? "
        f"WHERE id = ? AND ({_DUE})",
        (now, delivery_id, now, abandoned),
    )
    if taken != 1:
        return None
    row = await conn.one(_SELECT + "WHERE d.id = ?", (delivery_id,))
    return None if row is None else _delivery(row)


async def sent(conn: Conn, delivery_id: int, at: str) -> None:
    await conn.run(
        "UPDATE mail_deliveries SET status = 'sent', attempts = attempts + 1, "
        "last_error = '', sent_at = ? WHERE id = ?",
        (at, delivery_id),
    )


async def refused(conn: Conn, delivery_id: int, error: str, retry_at: str | None) -> None:
    """A failed attempt: queued again for ``retry_at``, or failed for good."""
    await conn.run(
        "UPDATE mail_deliveries SET status = ?, attempts = attempts + 1, last_error = ?, "
        "next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?",
        ("failed" if retry_at is None else "queued", error[:500], retry_at, delivery_id),
    )


async def forget_link(conn: Conn, link_id: int, at: str) -> None:
    """The link made for a message that was not delivered: nobody has it, so it goes."""
    await conn.run("UPDATE sign_in_links SET revoked_at = ? WHERE id = ?", (at, link_id))
