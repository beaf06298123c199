"""How a vote's result reads in the minutes, in the municipal style:
「採決の結果、賛成多数（賛成12、反対3、棄権1）により原案のとおり可決した。」"""

from __future__ import annotations

from collections.abc import Callable

from board.votes.model import Vote
from board.votes.rules import ABSTAIN, NO, YES, Method, Outcome

PREFIX = {
    Method.HANDS: "採決の結果、",
    Method.STANDING: "起立による採決の結果、",
    Method.NAMED: "記名投票による採決の結果、",
    Method.SECRET: "無記名投票による採決の結果、",
}
CHOICE_LABELS = {YES: "賛成", NO: "反対", ABSTAIN: "棄権", "objection": "異議あり"}


def choice_label(vote: Vote, choice: str) -> str:
    if vote.election and choice == ABSTAIN:
        return "白票"
    return CHOICE_LABELS.get(choice, choice)


def counts_text(vote: Vote) -> str:
    counts = vote.counts or {}
    if vote.election:
        parts = [f"{option} {counts.get(option, 0)}票" for option in vote.options]
        if counts.get(ABSTAIN):
            parts.append(f"白票 {counts[ABSTAIN]}")
        return "、".join(parts)
    parts = [f"賛成{counts.get(YES, 0)}", f"反対{counts.get(NO, 0)}"]
    if counts.get(ABSTAIN):
        parts.append(f"棄権{counts[ABSTAIN]}")
    return "、".join(parts)


def sentence(vote: Vote, chair_title: str) -> str:
    """The result as one sentence of the minutes ('' until it is announced)."""
    if vote.outcome is None:
        return ""
    if vote.method is Method.NO_OBJECTION:
        if vote.outcome is Outcome.CARRIED:
            return "異議なく、原案のとおり可決した。"
        return "異議があったため、他の方法により採決することとした。"
    prefix = (
        "投票の結果、" if vote.election and vote.method in (Method.NAMED, Method.SECRET) else ""
    )
    prefix = prefix or PREFIX[vote.method]
    counts = counts_text(vote)
    if vote.election:
        if vote.outcome is Outcome.ELECTED and vote.tie:
            decided = f"{chair_title}の決するところにより{vote.casting}を選出した。"
            return f"{prefix}得票同数（{counts}）のため、{decided}"
        if vote.outcome is Outcome.ELECTED:
            return f"{prefix}{winner(vote)}を選出した（{counts}）。"
        return f"{prefix}（{counts}）選出に至らなかった。"
    result = "原案のとおり可決した。" if vote.outcome is Outcome.CARRIED else "否決した。"
    if vote.tie and vote.casting:
        return f"{prefix}可否同数（{counts}）のため、{chair_title}の決するところにより{result}"
    if vote.tie:
        return f"{prefix}可否同数（{counts}）により{result}"
    tally = vote.counts or {}
    if vote.outcome is Outcome.CARRIED:
        kind = "全会一致" if not tally.get(NO) and not tally.get(ABSTAIN) else "賛成多数"
    elif tally.get(YES, 0) > tally.get(NO, 0):
        kind = "賛成が所定の多数に達しなかったこと"
    else:
        kind = "賛成少数"
    return f"{prefix}{kind}（{counts}）により{result}"


def winner(vote: Vote) -> str:
    """An election's chosen candidate (the chair's choice on a tie)."""
    if vote.casting:
        return vote.casting
    counts = vote.counts or {}
    return max(vote.options, key=lambda option: counts.get(option, 0))


def named_lines(vote: Vote, name_of: Callable[[int], str]) -> list[str]:
    """A named vote's voters by choice: 「賛成　山田 太郎、佐藤 花子」."""
    if vote.method is not Method.NAMED or vote.named is None:
        return []
    lines = []
    for choice in vote.choices:
        voters = vote.named.get(choice, ())
        if voters:
            names = "、".join(name_of(person_id) for person_id in voters)
            lines.append(f"{choice_label(vote, choice)}　{names}")
    return lines


def decision(vote: Vote) -> str:
    """The decision (決定事項) an announced vote records: 「第1号議案　原案のとおり可決」;
    '' when nothing was decided (an objection moves the question to another method)."""
    if vote.outcome is Outcome.CARRIED:
        return f"{vote.question}　原案のとおり可決"
    if vote.outcome is Outcome.REJECTED:
        return f"{vote.question}　否決"
    if vote.outcome is Outcome.ELECTED:
        return f"{vote.question}　{winner(vote)}を選出"
    return ""
