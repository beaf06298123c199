"""Written opinions on a real server: concurrency, agreement, ownership, the deadline,
triage, answers and "speak to your opinion"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from board.store import opinions
from tests.prep_support import add_members
from tests.support import Seeded, Server, act, api, async_api, events, state, store_for


def _opinions(client: httpx.Client, meeting_id: int = 1) -> list[dict[str, Any]]:
    response = client.get(f"/api/meetings/{meeting_id}/opinions")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["opinions"]
    return found


def _write(client: httpx.Client, text: str, item_id: int = 2, stance: str = "concern") -> int:
    response = act(client, 1, "opinion.write", item_id=item_id, stance=stance, text=text)
    assert response.status_code == 200, response.text
    opinion_id: int = response.json()["opinion_id"]
    return opinion_id


async def test_many_members_write_and_agree_at_once(server: Server, seeded: Seeded) -> None:
    extra = add_members(server, seeded.secretariat, 21)
    members = [(name, token) for name, token in seeded.links["member"]]
    members += [(f"追加 委員{index + 1:02d}", token) for index, (_, token) in enumerate(extra)]
    assert len(members) == 51
    writers = members[:50]
    clients = [async_api(server, token) for _, token in members]
    try:

        async def write(index: int) -> httpx.Response:
            name, _ = writers[index % 50]
            return await clients[index % 50].post(
                "/api/meetings/1/actions/opinion.write",
                json={
                    "item_id": 1 + index % 4,
                    "stance": ["support", "concern", "question", "proposal"][index % 4],
                    "text": f"{name} の意見 {index}",
                },
            )

        responses = await asyncio.gather(*(write(index) for index in range(200)))
        assert [r.status_code for r in responses] == [200] * 200
        found = _opinions(api(server, seeded.secretariat))
        assert len(found) == 200
        for opinion in found:
            author, _, number = opinion["text"].rpartition(" の意見 ")
            assert opinion["author"]["name"] == author
            assert writers[int(number) % 50][0] == author
        assert len({o["id"] for o in found}) == 200

        target = found[0]["id"]
        author = found[0]["author"]["name"]
        agreeing = [c for (name, _), c in zip(members, clients, strict=True) if name != author]
        assert len(agreeing) == 50
        replies = await asyncio.gather(
            *(
                c.post("/api/meetings/1/actions/opinion.agree", json={"opinion_id": target})
                for c in agreeing
            )
        )
        assert [r.status_code for r in replies] == [200] * 50
        again = await asyncio.gather(
            *(
                c.post("/api/meetings/1/actions/opinion.agree", json={"opinion_id": target})
                for c in agreeing[:10]
            )
        )
        assert [r.json()["agrees"] for r in again] == [50] * 10
        counted = {o["id"]: o["agrees"] for o in _opinions(api(server, seeded.secretariat))}
        assert counted[target] == 50
        agrees = [e for e in events(api(server, seeded.chair)) if e["action"] == "opinion.agree"]
        assert len(agrees) == 50
    finally:
        for client in clients:
            await client.aclose()


def test_agreeing_twice_counts_once_and_can_be_taken_back(server: Server, seeded: Seeded) -> None:
    author, other = api(server, seeded.members[0]), api(server, seeded.members[1])
    opinion_id = _write(author, "窓口の混雑が心配です")
    first = act(other, 1, "opinion.agree", opinion_id=opinion_id)
    second = act(other, 1, "opinion.agree", opinion_id=opinion_id)
    assert first.json()["agrees"] == second.json()["agrees"] == 1
    assert other.get("/api/meetings/1/opinions").json()["agreed"] == [opinion_id]
    own = act(author, 1, "opinion.agree", opinion_id=opinion_id)
    assert own.status_code == 409
    assert "your own" in own.json()["message"]
    assert act(other, 1, "opinion.unagree", opinion_id=opinion_id).json()["agrees"] == 0
    assert act(other, 1, "opinion.unagree", opinion_id=opinion_id).json()["agrees"] == 0
    assert _opinions(author)[0]["agrees"] == 0
    logged = [e["action"] for e in events(author) if e["action"].startswith("opinion.")]
    assert logged == ["opinion.write", "opinion.agree", "opinion.unagree"]


def test_only_the_author_edits_or_withdraws(server: Server, seeded: Seeded) -> None:
    author, other = api(server, seeded.members[0]), api(server, seeded.members[1])
    opinion_id = _write(author, "初稿")
    before = events(author)
    assert act(other, 1, "opinion.edit", opinion_id=opinion_id, text="改ざん").status_code == 403
    assert act(other, 1, "opinion.withdraw", opinion_id=opinion_id).status_code == 403
    assert events(author) == before
    edited = act(author, 1, "opinion.edit", opinion_id=opinion_id, text="修正後", stance="proposal")
    assert edited.status_code == 200
    [opinion] = _opinions(author)
    assert (opinion["text"], opinion["stance"]) == ("修正後", "proposal")
    assert opinion["updated_at"] > opinion["created_at"]
    assert act(author, 1, "opinion.withdraw", opinion_id=opinion_id).status_code == 200
    assert _opinions(author) == []
    assert act(author, 1, "opinion.edit", opinion_id=opinion_id, text="x").status_code == 409


def test_input_limits(server: Server, seeded: Seeded) -> None:
    member = api(server, seeded.members[0])
    too_long = act(member, 1, "opinion.write", item_id=2, stance="concern", text="あ" * 2001)
    assert too_long.status_code == 422 and "2000" in too_long.json()["message"]
    assert act(member, 1, "opinion.write", item_id=2, stance="maybe", text="x").status_code == 422
    assert act(member, 1, "opinion.write", item_id=2, text="x").status_code == 422
    assert (
        act(member, 1, "opinion.write", item_id=999, stance="concern", text="x").status_code == 404
    )
    lines = act(member, 1, "opinion.write", item_id=2, stance="concern", text="一行目\r\n二行目")
    assert lines.status_code == 200
    assert _opinions(member)[0]["text"] == "一行目\n二行目"
    for index in range(9):
        _write(member, f"意見{index}")
    tenth = act(member, 1, "opinion.write", item_id=2, stance="concern", text="11件目")
    assert tenth.status_code == 409


def test_after_the_deadline_writes_are_refused_but_the_chair_still_queues(
    server: Server, seeded: Seeded
) -> None:
    secretariat, chair = api(server, seeded.secretariat), api(server, seeded.chair)
    author, other = api(server, seeded.members[0]), api(server, seeded.members[1])
    opinion_id = _write(author, "締切前の意見", item_id=3, stance="question")
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat(timespec="minutes")
    assert act(secretariat, 1, "comments.deadline", deadline=past).status_code == 200
    before = events(chair)
    refusals = [
        act(author, 1, "opinion.write", item_id=2, stance="concern", text="遅れた意見"),
        act(author, 1, "opinion.edit", opinion_id=opinion_id, text="修正"),
        act(author, 1, "opinion.withdraw", opinion_id=opinion_id),
        act(other, 1, "opinion.agree", opinion_id=opinion_id),
    ]
    for response in refusals:
        assert response.status_code == 409
        assert "deadline for comments has passed" in response.json()["message"]
    assert events(chair) == before
    listed = author.get("/api/meetings/1/opinions").json()
    assert listed["comments"]["open"] is False

    # The secretariat still triages; the chair still puts the author in the queue.
    assert act(secretariat, 1, "opinion.triage", opinion_id=opinion_id, triage="raise").is_success
    queued = act(chair, 1, "opinion.to_queue", opinion_id=opinion_id)
    assert queued.status_code == 200, queued.text
    assert act(chair, 1, "opinion.to_queue", opinion_id=opinion_id).status_code == 409
    assert act(chair, 1, "meeting.start").status_code == 200
    assert act(chair, 1, "agenda.goto", item_id=3).status_code == 200
    [entry] = state(chair)["queue"]
    assert entry["id"] == queued.json()["request_id"]
    assert entry["kind"] == "question"
    assert entry["name"] == seeded.links["member"][0][0]

    # Reopening removes the passed deadline; closing refuses again with its own reason.
    assert act(secretariat, 1, "comments.open").status_code == 200
    assert author.get("/api/meetings/1/opinions").json()["comments"]["deadline"] is None
    assert _write(author, "会議中の意見", item_id=3)
    assert act(secretariat, 1, "comments.close").status_code == 200
    closed = act(author, 1, "opinion.write", item_id=3, stance="support", text="x")
    assert closed.status_code == 409 and "closed" in closed.json()["message"]
    assert act(secretariat, 1, "comments.close").status_code == 409
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat(timespec="minutes")
    assert act(secretariat, 1, "comments.open", deadline=future).status_code == 200
    assert _write(author, "再開後の意見", item_id=3)
    bad = act(secretariat, 1, "comments.deadline", deadline="明日の夕方")
    assert bad.status_code == 422


def test_triage_and_written_answers(server: Server, seeded: Seeded) -> None:
    secretariat, author = api(server, seeded.secretariat), api(server, seeded.members[0])
    first = _write(author, "予算の根拠は？", stance="question")
    second = _write(author, "賛成です", stance="support")
    assert act(secretariat, 1, "opinion.triage", opinion_id=first, triage="raise").is_success
    assert act(secretariat, 1, "opinion.triage", opinion_id=second, triage="noted").is_success
    answered = act(
        secretariat, 1, "opinion.answer", opinion_id=second, answer="ご賛同ありがとうございます。"
    )
    assert answered.status_code == 200
    found = {o["id"]: o for o in _opinions(author)}
    assert found[first]["triage"] == "raise"
    assert (found[second]["triage"], found[second]["answer"]) == (
        "answered",
        "ご賛同ありがとうございます。",
    )
    wrong = act(secretariat, 1, "opinion.triage", opinion_id=first, triage="answered")
    assert wrong.status_code == 422 and "opinion.answer" in wrong.json()["message"]
    assert act(secretariat, 1, "opinion.triage", opinion_id=first, triage="none").is_success
    assert _opinions(author)[0]["triage"] is None
    assert act(author, 1, "opinion.triage", opinion_id=first, triage="raise").status_code == 403
    assert act(author, 1, "opinion.answer", opinion_id=first, answer="x").status_code == 403
    assert (
        act(
            api(server, seeded.chair), 1, "opinion.write", item_id=2, stance="support", text="x"
        ).status_code
        == 403
    )
    observer = api(server, seeded.observer)
    assert observer.get("/api/meetings/1/opinions").status_code == 403


async def test_the_report_counts(server: Server, seeded: Seeded) -> None:
    """What the meeting report reads: written opinions that reached the floor."""
    secretariat, chair = api(server, seeded.secretariat), api(server, seeded.chair)
    author = api(server, seeded.members[0])
    ids = [_write(author, f"意見{n}") for n in range(4)]
    act(secretariat, 1, "opinion.triage", opinion_id=ids[0], triage="raise")
    act(secretariat, 1, "opinion.triage", opinion_id=ids[1], triage="raise")
    act(chair, 1, "opinion.to_queue", opinion_id=ids[1])
    act(api(server, seeded.members[1]), 1, "opinion.write", item_id=3, stance="support", text="別")
    other = _opinions(secretariat)[-1]["id"]
    act(chair, 1, "opinion.to_queue", opinion_id=other)
    act(secretariat, 1, "opinion.answer", opinion_id=ids[2], answer="回答")
    act(author, 1, "opinion.withdraw", opinion_id=ids[3])

    db = store_for(seeded.db_path, readers=1)
    await db.open()
    try:
        async with db.read() as conn:
            counts = await opinions.counts(conn, 1)
    finally:
        await db.close()
    assert counts == opinions.OpinionCounts(
        written=4, withdrawn=1, to_raise=2, queued=2, raised=3, answered=1, noted=0
    )


@pytest.mark.parametrize("status", ["draft", "adjourned"])
def test_no_opinions_outside_the_comment_period(
    server: Server, seeded: Seeded, status: str
) -> None:
    chair, secretariat = api(server, seeded.chair), api(server, seeded.secretariat)
    member = api(server, seeded.members[0])
    if status == "adjourned":
        opinion_id = _write(member, "開会前の意見")
        act(chair, 1, "meeting.start")
        act(chair, 1, "meeting.adjourn")
        response = act(member, 1, "opinion.write", item_id=2, stance="support", text="閉会後")
        assert response.status_code == 409
        assert act(chair, 1, "opinion.to_queue", opinion_id=opinion_id).status_code == 409
    else:
        created = secretariat.post(
            "/api/bodies/1/actions/meeting.create",
            json={
                "title": "下書き",
                "date": "2026-05-01",
                "start_time": "10:00",
                "planned_end": "11:00",
            },
        ).json()
        meeting_id = created["meeting_id"]
        act(secretariat, meeting_id, "agenda.add", title="議題")
        response = member.post(
            f"/api/meetings/{meeting_id}/actions/opinion.write",
            json={"item_id": 1, "stance": "support", "text": "x"},
        )
        assert response.status_code == 403  # members do not see drafts at all
