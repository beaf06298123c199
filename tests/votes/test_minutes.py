"""Votes in the minutes, through the real server: each announced vote is part of its
item's record in the body's style, a named vote lists its voters by choice, the decision
links to the vote, and the JSON export (valid against the schema), the text and the
meeting report carry them."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from board.minutes import SCHEMA
from tests.support import Seeded, Server, act, api, state


def _take(chair: Any, members: list[Any], method: str, choices: list[str], **extra: Any) -> int:
    vote_id = int(
        act(chair, 1, "vote.prepare", question="第1号議案", method=method, **extra).json()[
            "vote_id"
        ]
    )
    assert act(chair, 1, "vote.open", vote_id=vote_id).status_code == 200
    for member, choice in zip(members, choices, strict=False):
        assert act(member, 1, "vote.cast", vote_id=vote_id, choice=choice).status_code == 200
    assert act(chair, 1, "vote.close", vote_id=vote_id).status_code == 200
    assert act(chair, 1, "vote.announce", vote_id=vote_id).status_code == 200
    return vote_id


def test_the_minutes_print_the_votes(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    secretariat = api(server, seeded.secretariat)
    act(chair, 1, "meeting.start")
    members = [api(server, token) for token in seeded.members[:16]]
    for member in members:
        act(member, 1, "attendance.mark")
    item_id = state(chair)["current_item_id"]
    secret = _take(chair, members, "secret", ["yes"] * 12 + ["no"] * 3 + ["abstain"])
    named = _take(chair, members[:3], "named", ["yes", "yes", "no"])
    hands = int(act(chair, 1, "vote.prepare", question="修正案", method="hands").json()["vote_id"])
    act(chair, 1, "vote.open", vote_id=hands)
    act(chair, 1, "vote.close", vote_id=hands, yes=4, no=10)
    act(chair, 1, "vote.announce", vote_id=hands)
    act(chair, 1, "meeting.adjourn")

    document = secretariat.get("/meetings/1/minutes.json?draft=1").json()
    item = next(entry for entry in document["items"] if entry["id"] == item_id)
    texts = {vote["id"]: vote["text"] for vote in item["votes"]}
    assert texts[secret] == (
        "無記名投票による採決の結果、賛成多数（賛成12、反対3、棄権1）により原案のとおり可決した。"
    )
    assert (
        texts[named]
        == "記名投票による採決の結果、賛成多数（賛成2、反対1）により原案のとおり可決した。"
    )
    assert texts[hands] == "採決の結果、賛成少数（賛成4、反対10）により否決した。"
    listed = next(vote for vote in item["votes"] if vote["id"] == named)["named"]
    assert listed == [
        {"choice": "yes", "label": "賛成", "names": ["髙橋 美智子", "𠮷田 健太郎"]},
        {"choice": "no", "label": "反対", "names": ["佐々木 直樹"]},
    ]
    decisions = {entry["vote_id"]: entry["text"] for entry in item["decisions"]}
    assert decisions[secret] == "第1号議案　原案のとおり可決"
    assert decisions[hands] == "修正案　否決"

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [error.message for error in validator.iter_errors(document)] == []

    text = secretariat.get("/meetings/1/minutes.txt?draft=1").text
    assert "【採決】" in text
    assert "　採決の結果、賛成少数（賛成4、反対10）により否決した。" in text
    assert "・第1号議案（記名投票）\n　記名投票による採決の結果、" in text
    assert "　賛成　髙橋 美智子、𠮷田 健太郎\n　反対　佐々木 直樹" in text

    report = secretariat.get("/meetings/1/minutes/report.json").json()
    assert report["votes"] == {"announced": 3, "by_outcome": {"carried": 2, "rejected": 1}}
