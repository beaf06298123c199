"""Ballots under load and failure, on a real server with real clients: 30 members vote
at once and change their minds, with nothing lost or counted twice; a vote survives
``kill -9`` with every acknowledged ballot; and a secret ballot leaves nothing in the
database file that links a voter to a choice."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from typing import Any

import httpx
import pytest

from tests.live.test_vote_push import Listener
from tests.support import ON_POSTGRES, Seeded, Server, act, api, async_api, events, state

MEMBERS = 30
CHOICES = ("yes", "no", "abstain")


def _open(server: Server, seeded: Seeded, method: str) -> tuple[httpx.Client, int]:
    chair = api(server, seeded.chair)
    assert act(chair, 1, "meeting.start").status_code == 200
    for token in seeded.members[:MEMBERS]:
        assert act(api(server, token), 1, "attendance.mark").status_code == 200
    vote_id = int(
        act(chair, 1, "vote.prepare", question="第1号議案", method=method).json()["vote_id"]
    )
    assert act(chair, 1, "vote.open", vote_id=vote_id).status_code == 200
    return chair, vote_id


async def _vote_twice(
    server: Server, token: str, vote_id: int, first: str, last: str
) -> dict[str, Any]:
    """Vote, then change one's mind: two acknowledged ballots, one counted."""
    async with async_api(server, token) as client:
        url = "/api/meetings/1/actions/vote.cast"
        answer = await client.post(url, json={"vote_id": vote_id, "choice": first})
        assert answer.status_code == 200, answer.text
        change: dict[str, Any] = {"vote_id": vote_id, "choice": last}
        if "receipt" in answer.json():
            change["receipt"] = answer.json()["receipt"]
        again = await client.post(url, json=change)
        assert again.status_code == 200, again.text
        result: dict[str, Any] = again.json()
        return result


async def _all_vote(
    server: Server, seeded: Seeded, vote_id: int, finals: list[str]
) -> list[dict[str, Any]]:
    pairs = [(random.choice(CHOICES), final) for final in finals]
    async with Listener(server, seeded.chair) as chair_device:
        devices = [Listener(server, token) for token in seeded.members[:MEMBERS]]
        for device in devices:
            await device.__aenter__()
        try:
            answers = await asyncio.gather(
                *(
                    _vote_twice(server, token, vote_id, first, last)
                    for token, (first, last) in zip(seeded.members, pairs, strict=False)
                )
            )
            # The chair hears how many have voted, never a choice; a member's device gets
            # nothing per ballot (its own choice comes with its answer).
            seen = await chair_device.until(f"投票済み {MEMBERS} ／ {MEMBERS} 人", seconds=10)
            assert "vote-counts-line" not in seen
            for device in devices:
                assert not any('id="vote-progress"' in m for m in device.messages)
        finally:
            for device in devices:
                await device.__aexit__(None, None, None)
    return answers


@pytest.mark.parametrize("method", ["named", "secret"])
def test_thirty_vote_at_once_and_change_their_minds(
    server: Server, seeded: Seeded, method: str
) -> None:
    chair, vote_id = _open(server, seeded, method)
    finals = [CHOICES[index % 3] for index in range(MEMBERS)]
    asyncio.run(_all_vote(server, seeded, vote_id, finals))
    assert act(chair, 1, "vote.close", vote_id=vote_id).status_code == 200
    vote = next(v for v in state(chair)["votes"] if v["id"] == vote_id)
    assert vote["voted"] == MEMBERS
    assert vote["counts"] == {choice: finals.count(choice) for choice in CHOICES}
    cast = [e for e in events(chair) if e["action"] == "vote.cast"]
    assert len(cast) == 2 * MEMBERS


def test_a_vote_survives_kill_9_with_every_acknowledged_ballot(
    server: Server, seeded: Seeded
) -> None:
    chair, vote_id = _open(server, seeded, "secret")
    acknowledged = []
    for index, token in enumerate(seeded.members[:20]):
        answer = act(api(server, token), 1, "vote.cast", vote_id=vote_id, choice=CHOICES[index % 2])
        assert answer.status_code == 200
        acknowledged.append(CHOICES[index % 2])
    server.kill9()
    server.start()
    chair = api(server, seeded.chair)
    vote = next(v for v in state(chair)["votes"] if v["id"] == vote_id)
    assert vote["status"] == "open" and vote["voted"] == 20 and vote["entitled"] == MEMBERS
    late = act(api(server, seeded.members[25]), 1, "vote.cast", vote_id=vote_id, choice="yes")
    assert late.status_code == 200
    assert act(chair, 1, "vote.close", vote_id=vote_id).status_code == 200
    vote = next(v for v in state(chair)["votes"] if v["id"] == vote_id)
    assert vote["counts"] == {
        "yes": acknowledged.count("yes") + 1,
        "no": acknowledged.count("no"),
        "abstain": 0,
    }


@pytest.mark.skipif(ON_POSTGRES, reason="reads the SQLite database file itself")
def test_a_secret_ballot_leaves_no_link_in_the_database_file(
    server: Server, seeded: Seeded
) -> None:
    chair, vote_id = _open(server, seeded, "secret")
    finals = [CHOICES[index % 3] for index in range(MEMBERS)]
    answers = asyncio.run(_all_vote(server, seeded, vote_id, finals))
    receipts = [answer["receipt"] for answer in answers]
    wal = seeded.db_path.with_name(seeded.db_path.name + "-wal")
    assert wal.stat().st_size > 0  # the ballots' transactions, while the vote is open
    act(chair, 1, "vote.close", vote_id=vote_id)
    # Closing it empties the WAL at once, while the board runs: no earlier page image of
    # the flags and the counters, changed together by each ballot, is left to read.
    assert wal.stat().st_size == 0
    act(chair, 1, "vote.announce", vote_id=vote_id)
    server.stop()  # the last connection checkpoints the WAL into the file and removes it
    assert not seeded.db_path.with_name(seeded.db_path.name + "-wal").exists()

    raw = seeded.db_path.read_bytes()
    for receipt in receipts:  # only a hash of a receipt is kept, never the choice it names
        assert receipt.encode() not in raw
    with sqlite3.connect(f"file:{seeded.db_path}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        # Every row that names this vote: none holds both a person and a choice.
        for table in tables:
            columns = [row[1] for row in db.execute(f"PRAGMA table_info('{table}')")]
            if "vote_id" not in columns:
                continue
            rows = db.execute(f"SELECT * FROM {table} WHERE vote_id = ?", (vote_id,)).fetchall()
            for row in rows:
                has_person = any(name in columns for name in ("person_id", "actor_id"))
                assert not (has_person and "choice" in columns), (table, dict(row))
        assert (
            db.execute(
                "SELECT count(*) FROM vote_ballots WHERE vote_id = ?", (vote_id,)
            ).fetchone()[0]
            == 0
        )
        # Who voted: a flag on the voters fixed at the open, with no time and no rowid
        # (a WITHOUT ROWID table in person order).
        voters = db.execute("SELECT * FROM vote_voters WHERE vote_id = ?", (vote_id,)).fetchall()
        assert set(voters[0].keys()) == {"vote_id", "person_id", "voted"}
        assert len(voters) == MEMBERS and all(row["voted"] == 1 for row in voters)
        with pytest.raises(sqlite3.OperationalError):
            db.execute("SELECT rowid FROM vote_voters")
        # The choices: a counter per choice, nothing else.
        tallies = {
            row["choice"]: row["count"]
            for row in db.execute("SELECT * FROM vote_tallies WHERE vote_id = ?", (vote_id,))
        }
        assert tallies == {choice: finals.count(choice) for choice in CHOICES}
        with pytest.raises(sqlite3.OperationalError):
            db.execute("SELECT rowid FROM vote_tallies")
        # The event log says who voted, never what, and no one's own state changed.
        logged = db.execute(
            "SELECT payload, changed FROM events WHERE action = 'vote.cast'"
        ).fetchall()
        assert len(logged) == 2 * MEMBERS
        for row in logged:
            assert row["payload"] == f'{{"vote_id":{vote_id}}}'
            assert '"people":[]' in row["changed"]
