"""What each reader may see of a vote: counts only from the close (the chair and the
secretariat) or the announcement (everyone); who has not voted only in a named vote, and
only for the chair and the secretariat; never a secret voter's choice."""

from __future__ import annotations

from typing import Any

from board.votes.model import Vote
from board.votes.rules import Method, Status

STAFF = ("chair", "secretariat")


def counts_shown(vote: Vote, view: str) -> bool:
    if vote.status is Status.ANNOUNCED:
        return True
    return vote.status is Status.CLOSED and view in STAFF


def not_voted_shown(vote: Vote, view: str) -> bool:
    return vote.method is Method.NAMED and vote.status is Status.OPEN and view in STAFF


def named_shown(vote: Vote, view: str) -> bool:
    return vote.method is Method.NAMED and counts_shown(vote, view)


def vote_json(vote: Vote, view: str) -> dict[str, Any]:
    rules = vote.rules
    return {
        "id": vote.id,
        "item_id": vote.item_id,
        "question": vote.question,
        "method": vote.method.value,
        "options": list(vote.options),
        "choices": list(vote.choices),
        "rules": {
            "quorum": rules.quorum.value,
            "majority": rules.majority.value,
            "abstentions": rules.abstentions.value,
            "chair_votes": rules.chair_votes,
            "casting_vote": rules.casting_vote,
        },
        "status": vote.status.value,
        "prepared_at": vote.prepared_at,
        "opened_at": vote.opened_at,
        "closed_at": vote.closed_at,
        "announced_at": vote.announced_at,
        "members": vote.members,
        "present": vote.present,
        "quorum_override": vote.quorum_override,
        "entitled": len(vote.entitled),
        "voted": len(vote.voted),
        "not_voted": list(vote.not_voted) if not_voted_shown(vote, view) else None,
        "counts": vote.counts if counts_shown(vote, view) else None,
        "named": (
            {choice: list(ids) for choice, ids in (vote.named or {}).items()}
            if named_shown(vote, view)
            else None
        ),
        "outcome": vote.outcome.value if vote.outcome else None,
        "tie": vote.tie,
        "casting": vote.casting,
        "cancel_reason": vote.cancel_reason,
    }
