"""Votes: the body's rules, each vote's lifecycle, who may vote and the ballots.

A secret ballot is stored only as a counter per choice, changed in place; the voter is
stored apart, as a flag on the voters snapshotted when the vote opened, also changed in
place; a change of choice is allowed only with the receipt the voting device holds, which
is kept as a hash without its voter. Nothing here writes a voter beside a secret choice."""

from __future__ import annotations

import hashlib
import json
import secrets

from board.store.db import Conn, Row
from board.votes.model import Vote
from board.votes.rules import Abstentions, Majority, Method, Outcome, Quorum, Rules, Status

RULE_FIELDS = ("quorum", "majority", "abstentions", "chair_votes", "casting_vote")


def _rules(row: Row) -> Rules:
    return Rules(
        quorum=Quorum(row["quorum"]),
        majority=Majority(row["majority"]),
        abstentions=Abstentions(row["abstentions"]),
        chair_votes=bool(row["chair_votes"]),
        casting_vote=bool(row["casting_vote"]),
    )


async def rules_of(conn: Conn, body_id: int) -> Rules:
    row = await conn.one("SELECT * FROM vote_rules WHERE body_id = ?", (body_id,))
    return Rules() if row is None else _rules(row)


async def set_rules(conn: Conn, body_id: int, rules: Rules) -> None:
    values = (
        rules.quorum.value,
        rules.majority.value,
        rules.abstentions.value,
        int(rules.chair_votes),
        int(rules.casting_vote),
    )
    await conn.run(
        "INSERT INTO vote_rules (body_id, quorum, majority, abstentions, chair_votes, "
        "casting_vote) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (body_id) DO UPDATE SET "
        "quorum = excluded.quorum, majority = excluded.majority, "
        "abstentions = excluded.abstentions, chair_votes = excluded.chair_votes, "
        "casting_vote = excluded.casting_vote",
        (body_id, *values),
    )


def _vote(row: Row, voters: list[Row], named: list[Row] | None) -> Vote:
    status = Status(row["status"])
    by_choice: dict[str, tuple[int, ...]] | None = None
    if named is not None:
        grouped: dict[str, list[int]] = {}
        for entry in named:
            grouped.setdefault(entry["choice"], []).append(entry["person_id"])
        by_choice = {choice: tuple(ids) for choice, ids in grouped.items()}
    return Vote(
        id=row["id"],
        meeting_id=row["meeting_id"],
        item_id=row["item_id"],
        question=row["question"],
        method=Method(row["method"]),
        options=tuple(json.loads(row["options"])),
        rules=_rules(row),
        status=status,
        prepared_at=row["prepared_at"],
        opened_at=row["opened_at"],
        closed_at=row["closed_at"],
        announced_at=row["announced_at"],
        members=row["members"],
        present=row["present"],
        quorum_override=bool(row["quorum_override"]),
        counts=None if row["counts"] is None else json.loads(row["counts"]),
        casting=row["casting"],
        outcome=None if row["outcome"] is None else Outcome(row["outcome"]),
        tie=bool(row["tie"]),
        cancel_reason=row["cancel_reason"],
        entitled=tuple(entry["person_id"] for entry in voters),
        voted=frozenset(entry["person_id"] for entry in voters if entry["voted"]),
        named=by_choice,
    )


async def of_meeting(conn: Conn, meeting_id: int) -> list[Vote]:
    """Every vote of a meeting, in the order they were prepared."""
    rows = await conn.all("SELECT * FROM votes WHERE meeting_id = ? ORDER BY id", (meeting_id,))
    if not rows:
        return []
    voters = await conn.all(
        "SELECT v.vote_id, v.person_id, v.voted FROM vote_voters v "
        "JOIN votes x ON x.id = v.vote_id WHERE x.meeting_id = ? ORDER BY v.person_id",
        (meeting_id,),
    )
    # A named vote's ballots are read once it is closed: before that, nobody sees choices.
    ballots = await conn.all(
        "SELECT b.vote_id, b.person_id, b.choice FROM vote_ballots b "
        "JOIN votes x ON x.id = b.vote_id WHERE x.meeting_id = ? "
        "AND x.status IN ('closed', 'announced') ORDER BY b.person_id",
        (meeting_id,),
    )
    found = []
    for row in rows:
        own = [entry for entry in voters if entry["vote_id"] == row["id"]]
        named = None
        if row["method"] in (Method.NAMED, Method.NO_OBJECTION) and row["status"] in (
            Status.CLOSED,
            Status.ANNOUNCED,
        ):
            named = [entry for entry in ballots if entry["vote_id"] == row["id"]]
        found.append(_vote(row, own, named))
    return found


async def get(conn: Conn, vote_id: int) -> Vote | None:
    row = await conn.one("SELECT * FROM votes WHERE id = ?", (vote_id,))
    if row is None:
        return None
    voters = await conn.all(
        "SELECT person_id, voted FROM vote_voters WHERE vote_id = ? ORDER BY person_id",
        (vote_id,),
    )
    return _vote(row, voters, None)


async def open_vote(conn: Conn, meeting_id: int) -> int | None:
    value = await conn.value(
        "SELECT id FROM votes WHERE meeting_id = ? AND status = 'open'", (meeting_id,)
    )
    return None if value is None else int(value)


async def prepare(
    conn: Conn,
    meeting_id: int,
    item_id: int | None,
    question: str,
    method: Method,
    options: tuple[str, ...],
    rules: Rules,
    at: str,
) -> int:
    return await conn.insert(
        "INSERT INTO votes (meeting_id, item_id, question, method, options, quorum, majority, "
        "abstentions, chair_votes, casting_vote, prepared_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            meeting_id,
            item_id,
            question,
            method.value,
            json.dumps(list(options), ensure_ascii=False),
            rules.quorum.value,
            rules.majority.value,
            rules.abstentions.value,
            int(rules.chair_votes),
            int(rules.casting_vote),
            at,
        ),
    )


async def open_(
    conn: Conn,
    vote: Vote,
    members: int,
    present: int,
    entitled: list[int],
    override: bool,
    at: str,
) -> None:
    """Open the vote: who may vote is fixed now, and a secret vote's counters start at 0."""
    await conn.run(
        "UPDATE votes SET status = 'open', opened_at = ?, members = ?, present = ?, "
        "quorum_override = ? WHERE id = ?",
        (at, members, present, int(override), vote.id),
    )
    await conn.run_many(
        "INSERT INTO vote_voters (vote_id, person_id, voted) VALUES (?, ?, 0)",
        [(vote.id, person_id) for person_id in sorted(entitled)],
    )
    if vote.method is Method.SECRET:
        await conn.run_many(
            "INSERT INTO vote_tallies (vote_id, choice, count) VALUES (?, ?, 0)",
            [(vote.id, choice) for choice in vote.choices],
        )


async def _mark_voted(conn: Conn, vote_id: int, person_id: int) -> None:
    await conn.run(
        "UPDATE vote_voters SET voted = 1 WHERE vote_id = ? AND person_id = ?",
        (vote_id, person_id),
    )


async def cast_named(conn: Conn, vote_id: int, person_id: int, choice: str) -> None:
    await conn.run(
        "INSERT INTO vote_ballots (vote_id, person_id, choice) VALUES (?, ?, ?) "
        "ON CONFLICT (vote_id, person_id) DO UPDATE SET choice = excluded.choice",
        (vote_id, person_id, choice),
    )
    await _mark_voted(conn, vote_id, person_id)


def _receipt_hash(vote_id: int, receipt: str) -> str:
    return hashlib.sha256(f"{vote_id}:{receipt}".encode()).hexdigest()


def receipt_choice(receipt: str) -> str:
    return receipt.rsplit(".", 1)[0]


async def cast_secret(
    conn: Conn, vote_id: int, person_id: int, choice: str, previous: str | None
) -> str | None:
    """Count a secret ballot; return the new receipt (choice and a random nonce), or None
    when ``previous`` is not a receipt of this vote still valid. A first ballot marks the
    voter; a change takes the receipt's choice back."""
    if previous is not None:
        gone = await conn.changed(
            "DELETE FROM vote_receipts WHERE vote_id = ? AND receipt_hash = ?",
            (vote_id, _receipt_hash(vote_id, previous)),
        )
        if not gone:
            return None
        # Both counters in one statement: concurrent changes lock them in the same order
        # (two statements in either order deadlock on PostgreSQL).
        taken_back = receipt_choice(previous)
        await conn.run(
            "UPDATE vote_tallies SET count = count "
            "+ CASE WHEN choice = ? THEN 1 ELSE 0 END - CASE WHEN choice = ? THEN 1 ELSE 0 END "
            "WHERE vote_id = ? AND choice IN (?, ?)",
            (choice, taken_back, vote_id, choice, taken_back),
        )
    else:
        await _mark_voted(conn, vote_id, person_id)
        await conn.run(
            "UPDATE vote_tallies SET count = count + 1 WHERE vote_id = ? AND choice = ?",
            (vote_id, choice),
        )
    receipt = f"{choice}.{secrets.token_urlsafe(24)}"
    await conn.run(
        "INSERT INTO vote_receipts (vote_id, receipt_hash) VALUES (?, ?)",
        (vote_id, _receipt_hash(vote_id, receipt)),
    )
    return receipt


async def tally(conn: Conn, vote: Vote) -> dict[str, int]:
    """The count per choice (every choice listed, 0 when nobody chose it)."""
    counts = dict.fromkeys(vote.choices, 0)
    if vote.method is Method.SECRET:
        rows = await conn.all(
            "SELECT choice, count FROM vote_tallies WHERE vote_id = ?", (vote.id,)
        )
    else:
        rows = await conn.all(
            "SELECT choice, count(*) AS count FROM vote_ballots WHERE vote_id = ? GROUP BY choice",
            (vote.id,),
        )
    for row in rows:
        counts[row["choice"]] = int(row["count"])
    return counts


async def close(conn: Conn, vote_id: int, counts: dict[str, int], at: str) -> None:
    await conn.run(
        "UPDATE votes SET status = 'closed', closed_at = ?, counts = ? WHERE id = ?",
        (at, json.dumps(counts, sort_keys=True), vote_id),
    )


async def announce(
    conn: Conn, vote_id: int, outcome: Outcome, tie: bool, casting: str | None, at: str
) -> None:
    await conn.run(
        "UPDATE votes SET status = 'announced', announced_at = ?, outcome = ?, tie = ?, "
        "casting = ? WHERE id = ?",
        (at, outcome.value, int(tie), casting, vote_id),
    )


async def cancel(conn: Conn, vote_id: int, reason: str) -> None:
    await conn.run(
        "UPDATE votes SET status = 'cancelled', cancel_reason = ? WHERE id = ?",
        (reason, vote_id),
    )


async def ballots_of_each(
    conn: Conn, meeting_id: int, person_ids: frozenset[int]
) -> dict[int, dict[int, str]]:
    """For each of these people, their named ballots in the meeting's open votes."""
    ids = sorted(person_ids)
    found: dict[int, dict[int, str]] = {person_id: {} for person_id in ids}
    if ids:
        rows = await conn.all(
            "SELECT b.person_id, b.vote_id, b.choice FROM vote_ballots b "
            "JOIN votes x ON x.id = b.vote_id WHERE x.meeting_id = ? AND x.status = 'open' "
            f"AND b.person_id IN ({', '.join('?' * len(ids))})",
            (meeting_id, *ids),
        )
        for row in rows:
            found[int(row["person_id"])][int(row["vote_id"])] = row["choice"]
    return found
