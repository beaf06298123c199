"""Votes in the minutes: each announced (or cancelled) vote as a record of its agenda item,
in the JSON document (``VoteDoc``) and in the printed layout."""

from __future__ import annotations

from typing import TypedDict

from board.models import Body, Person
from board.votes import text
from board.votes.model import Vote
from board.votes.rules import Method, Status

METHOD_LABELS = {
    Method.NO_OBJECTION: "異議なし",
    Method.HANDS: "挙手",
    Method.STANDING: "起立",
    Method.NAMED: "記名投票",
    Method.SECRET: "無記名投票",
}
LABEL = "採決"


class NamedDoc(TypedDict):
    choice: str
    label: str
    names: list[str]


class VoteDoc(TypedDict):
    id: int
    order: int
    question: str
    method: str
    method_label: str
    status: str
    counts: dict[str, int] | None
    outcome: str | None
    tie: bool
    casting: str | None
    text: str
    named: list[NamedDoc]
    cancel_reason: str


def in_minutes(vote: Vote) -> bool:
    return vote.status in (Status.ANNOUNCED, Status.CANCELLED)


def vote_docs(votes: list[Vote], item_id: int, body: Body, roster: list[Person]) -> list[VoteDoc]:
    """The votes of one agenda item, in the order they were taken."""
    names = {person.id: person.name for person in roster}
    chosen = [vote for vote in votes if vote.item_id == item_id and in_minutes(vote)]
    docs = []
    for order, vote in enumerate(chosen, start=1):
        named: list[NamedDoc] = []
        if vote.method is Method.NAMED and vote.named:
            for choice in vote.choices:
                voters = vote.named.get(choice, ())
                if voters:
                    label = text.choice_label(vote, choice)
                    listed = [names.get(person_id, "") for person_id in voters]
                    named.append(NamedDoc(choice=choice, label=label, names=listed))
        cancelled = vote.status is Status.CANCELLED
        docs.append(
            VoteDoc(
                id=vote.id,
                order=order,
                question=vote.question,
                method=vote.method.value,
                method_label=METHOD_LABELS[vote.method],
                status=vote.status.value,
                counts=None if cancelled else vote.counts,
                outcome=None if vote.outcome is None else vote.outcome.value,
                tie=vote.tie,
                casting=vote.casting,
                text=(
                    f"採決は取り消された（{vote.cancel_reason}）。"
                    if cancelled
                    else text.sentence(vote, body.chair_title)
                ),
                named=named,
                cancel_reason=vote.cancel_reason,
            )
        )
    return docs


def printed(doc: VoteDoc) -> list[str]:
    """A vote as the printed record's lines: the question and method, the result, and a
    named vote's voters by choice (「賛成　山田 太郎、佐藤 花子」)."""
    lines = [f"{doc['question']}（{doc['method_label']}）", doc["text"]]
    lines += [f"{entry['label']}　{'、'.join(entry['names'])}" for entry in doc["named"]]
    return lines
