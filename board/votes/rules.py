"""The standing rules of a body's votes and the outcome they give: pure functions, so every
rule is checked by a table of cases (tests/votes/test_rules.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Method(StrEnum):
    NO_OBJECTION = "no_objection"  # 異議なし: the chair asks, silence carries
    HANDS = "hands"  # 挙手: the room counts, the chair enters the counts
    STANDING = "standing"  # 起立: the same, standing
    NAMED = "named"  # 記名: electronic, each choice recorded and printed
    SECRET = "secret"  # 無記名: electronic, nobody can link a voter to a choice


ELECTRONIC = frozenset({Method.NAMED, Method.SECRET})
COUNTED_BY_CHAIR = frozenset({Method.HANDS, Method.STANDING})


class Quorum(StrEnum):
    NONE = "none"
    HALF = "half"  # 半数以上: at least half of the members present
    MAJORITY = "majority"  # 過半数: more than half of the members present


class Majority(StrEnum):
    CAST = "cast"  # 過半数 of the votes cast
    PRESENT = "present"  # 過半数 of the members present (entitled when the vote opened)
    TWO_THIRDS = "two_thirds"  # 特別多数: two-thirds of the votes cast


class Abstentions(StrEnum):
    EXCLUDED = "excluded"  # not counted among the votes cast
    COUNTED = "counted"  # counted among the votes cast (so they weigh like 反対)


class Status(StrEnum):
    PREPARED = "prepared"
    OPEN = "open"
    CLOSED = "closed"
    ANNOUNCED = "announced"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    CARRIED = "carried"  # 可決
    REJECTED = "rejected"  # 否決
    OBJECTED = "objected"  # 異議あり: to be put to another method
    ELECTED = "elected"  # an election's candidate chosen
    NO_RESULT = "no_result"  # an election without a candidate chosen


YES, NO, ABSTAIN, OBJECTION = "yes", "no", "abstain", "objection"
MOTION_CHOICES = (YES, NO, ABSTAIN)


@dataclass(frozen=True, slots=True)
class Rules:
    """A body's standing rules for votes (each vote keeps a copy of those it was taken by)."""

    quorum: Quorum = Quorum.MAJORITY
    majority: Majority = Majority.CAST
    abstentions: Abstentions = Abstentions.EXCLUDED
    chair_votes: bool = False  # the chair votes like a member
    casting_vote: bool = True  # 可否同数のときは議長の決するところによる


def quorum_met(quorum: Quorum, present: int, members: int) -> bool:
    if quorum is Quorum.NONE:
        return True
    if quorum is Quorum.HALF:
        return present * 2 >= members
    return present * 2 > members


def quorum_needed(quorum: Quorum, members: int) -> int:
    """The fewest members present that meet the quorum."""
    if quorum is Quorum.NONE:
        return 0
    if quorum is Quorum.HALF:
        return (members + 1) // 2
    return members // 2 + 1


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    tie: bool = False  # 可否同数: decided by the chair's casting vote (or rejected without it)
    base: int = 0  # what the majority was reckoned against
    winner: str | None = None  # an election's chosen option


class NeedsCastingVote(Exception):
    """A tie under a rule that lets the chair decide: the chair must say how."""


def decide_motion(
    rules: Rules,
    counts: Mapping[str, int],
    entitled: int,
    casting: str | None = None,
) -> Decision:
    """賛成 / 反対 / 棄権 counts to 可決 or 否決 by the rules. ``entitled`` is the number of
    members present when the vote opened (the base of a majority of those present)."""
    yes, no, abstain = counts.get(YES, 0), counts.get(NO, 0), counts.get(ABSTAIN, 0)
    cast = yes + no + (abstain if rules.abstentions is Abstentions.COUNTED else 0)
    base = entitled if rules.majority is Majority.PRESENT else cast
    if rules.majority is Majority.TWO_THIRDS:
        carried = cast > 0 and yes * 3 >= cast * 2
        return Decision(Outcome.CARRIED if carried else Outcome.REJECTED, base=base)
    if base > 0 and yes * 2 > base:
        return Decision(Outcome.CARRIED, base=base)
    if yes > 0 and yes == no:
        # 可否同数: as many for as against.
        if not rules.casting_vote:
            return Decision(Outcome.REJECTED, tie=True, base=base)
        if casting is None:
            raise NeedsCastingVote()
        outcome = Outcome.CARRIED if casting == YES else Outcome.REJECTED
        return Decision(outcome, tie=True, base=base)
    return Decision(Outcome.REJECTED, base=base)


def decide_election(
    rules: Rules, counts: Mapping[str, int], options: tuple[str, ...], casting: str | None = None
) -> Decision:
    """One among candidates: the most votes wins; a tie at the top is the chair's to decide
    when the rules give the casting vote, else there is no result."""
    scores = [(counts.get(option, 0), option) for option in options]
    best = max((score for score, _ in scores), default=0)
    leaders = [option for score, option in scores if score == best]
    cast = sum(score for score, _ in scores)
    if best == 0:
        return Decision(Outcome.NO_RESULT, base=cast)
    if len(leaders) == 1:
        return Decision(Outcome.ELECTED, base=cast, winner=leaders[0])
    if not rules.casting_vote:
        return Decision(Outcome.NO_RESULT, tie=True, base=cast)
    if casting is None or casting not in leaders:
        raise NeedsCastingVote()
    return Decision(Outcome.ELECTED, tie=True, base=cast, winner=casting)


def decide_no_objection(objections: int) -> Decision:
    return Decision(Outcome.OBJECTED if objections else Outcome.CARRIED)
