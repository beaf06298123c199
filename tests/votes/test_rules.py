"""The standing rules of votes, case by case: quorum, each majority, abstentions, a tie
and the chair's casting vote, elections."""

from __future__ import annotations

import pytest

from board.votes.rules import (
    Abstentions,
    Majority,
    NeedsCastingVote,
    Outcome,
    Quorum,
    Rules,
    decide_election,
    decide_motion,
    decide_no_objection,
    quorum_met,
    quorum_needed,
)

C, R = Outcome.CARRIED, Outcome.REJECTED


@pytest.mark.parametrize(
    ("quorum", "present", "members", "met", "needed"),
    [
        (Quorum.MAJORITY, 16, 30, True, 16),
        (Quorum.MAJORITY, 15, 30, False, 16),
        (Quorum.MAJORITY, 16, 31, True, 16),
        (Quorum.MAJORITY, 15, 31, False, 16),
        (Quorum.HALF, 15, 30, True, 15),
        (Quorum.HALF, 14, 30, False, 15),
        (Quorum.HALF, 16, 31, True, 16),
        (Quorum.HALF, 15, 31, False, 16),
        (Quorum.NONE, 0, 30, True, 0),
    ],
)
def test_quorum(quorum: Quorum, present: int, members: int, met: bool, needed: int) -> None:
    assert quorum_met(quorum, present, members) is met
    assert quorum_needed(quorum, members) == needed


CAST = Rules(majority=Majority.CAST)
CAST_COUNTED = Rules(majority=Majority.CAST, abstentions=Abstentions.COUNTED)
PRESENT = Rules(majority=Majority.PRESENT)
TWO_THIRDS = Rules(majority=Majority.TWO_THIRDS)
NO_CASTING = Rules(casting_vote=False)


@pytest.mark.parametrize(
    ("rules", "yes", "no", "abstain", "entitled", "outcome", "base"),
    [
        # 過半数 of the votes cast, abstentions not counted
        (CAST, 12, 3, 1, 16, C, 15),
        (CAST, 3, 12, 1, 16, R, 15),
        (CAST, 5, 4, 7, 16, C, 9),
        (CAST, 0, 0, 16, 16, R, 0),
        # ... counted among the votes cast: they weigh like 反対
        (CAST_COUNTED, 5, 4, 7, 16, R, 16),
        (CAST_COUNTED, 9, 4, 3, 16, C, 16),
        (CAST_COUNTED, 8, 7, 1, 16, R, 16),
        # 過半数 of the members present (entitled when the vote opened)
        (PRESENT, 9, 2, 5, 16, C, 16),
        (PRESENT, 8, 2, 6, 16, R, 16),
        (PRESENT, 8, 1, 0, 20, R, 20),
        # 特別多数: two-thirds of the votes cast
        (TWO_THIRDS, 10, 5, 1, 16, C, 15),
        (TWO_THIRDS, 9, 5, 2, 16, R, 14),
        (TWO_THIRDS, 2, 1, 0, 3, C, 3),
        (TWO_THIRDS, 0, 0, 0, 3, R, 0),
    ],
)
def test_majority(
    rules: Rules, yes: int, no: int, abstain: int, entitled: int, outcome: Outcome, base: int
) -> None:
    decision = decide_motion(rules, {"yes": yes, "no": no, "abstain": abstain}, entitled)
    assert (decision.outcome, decision.base, decision.tie) == (outcome, base, False)


@pytest.mark.parametrize(
    ("rules", "casting", "outcome"),
    [(CAST, "yes", C), (CAST, "no", R), (PRESENT, "yes", C), (NO_CASTING, None, R)],
)
def test_a_tie_is_the_chairs_to_decide(rules: Rules, casting: str | None, outcome: Outcome) -> None:
    decision = decide_motion(rules, {"yes": 6, "no": 6, "abstain": 2}, 14, casting)
    assert decision.outcome is outcome and decision.tie


def test_a_tie_without_the_chairs_word_asks_for_it() -> None:
    with pytest.raises(NeedsCastingVote):
        decide_motion(CAST, {"yes": 6, "no": 6}, 14)


def test_two_thirds_has_no_tie() -> None:
    decision = decide_motion(TWO_THIRDS, {"yes": 6, "no": 6}, 12)
    assert decision.outcome is R and not decision.tie


@pytest.mark.parametrize(
    ("rules", "counts", "casting", "outcome", "winner", "tie"),
    [
        (CAST, {"A": 5, "B": 3, "abstain": 1}, None, Outcome.ELECTED, "A", False),
        (CAST, {"A": 4, "B": 4}, "B", Outcome.ELECTED, "B", True),
        (NO_CASTING, {"A": 4, "B": 4}, None, Outcome.NO_RESULT, None, True),
        (CAST, {"abstain": 3}, None, Outcome.NO_RESULT, None, False),
    ],
)
def test_elections(
    rules: Rules,
    counts: dict[str, int],
    casting: str | None,
    outcome: Outcome,
    winner: str | None,
    tie: bool,
) -> None:
    decision = decide_election(rules, counts, ("A", "B"), casting)
    assert (decision.outcome, decision.winner, decision.tie) == (outcome, winner, tie)


def test_a_tied_election_needs_a_casting_vote_among_the_leaders() -> None:
    with pytest.raises(NeedsCastingVote):
        decide_election(CAST, {"A": 4, "B": 4, "C": 1}, ("A", "B", "C"), "C")


@pytest.mark.parametrize(("objections", "outcome"), [(0, C), (1, Outcome.OBJECTED)])
def test_no_objection(objections: int, outcome: Outcome) -> None:
    assert decide_no_objection(objections).outcome is outcome
