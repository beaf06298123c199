"""A vote as the room, the API and the minutes read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from board.votes.rules import (
    ELECTRONIC,
    MOTION_CHOICES,
    OBJECTION,
    Method,
    Outcome,
    Rules,
    Status,
)


@dataclass(frozen=True, slots=True)
class Vote:
    id: int
    meeting_id: int
    item_id: int | None
    question: str
    method: Method
    options: tuple[str, ...]  # an election's candidates; () for a motion (賛成/反対/棄権)
    rules: Rules
    status: Status
    prepared_at: str
    opened_at: str | None = None
    closed_at: str | None = None
    announced_at: str | None = None
    members: int | None = None  # the body's members when it opened
    present: int | None = None  # of them present
    quorum_override: bool = False
    counts: dict[str, int] | None = None  # the tally, from the close on
    casting: str | None = None
    outcome: Outcome | None = None
    tie: bool = False
    cancel_reason: str = ""
    entitled: tuple[int, ...] = ()  # who may vote (snapshotted at open), by person id
    voted: frozenset[int] = frozenset()  # who has voted (never what)
    # A named vote's voters by choice (None for a secret one, and before the close).
    named: dict[str, tuple[int, ...]] | None = field(default=None)

    @property
    def choices(self) -> tuple[str, ...]:
        """What a ballot may say."""
        if self.method is Method.NO_OBJECTION:
            return (OBJECTION,)
        return (*self.options, "abstain") if self.options else MOTION_CHOICES

    @property
    def electronic(self) -> bool:
        return self.method in ELECTRONIC or self.method is Method.NO_OBJECTION

    @property
    def election(self) -> bool:
        return bool(self.options)

    @property
    def not_voted(self) -> tuple[int, ...]:
        return tuple(person for person in self.entitled if person not in self.voted)

    @property
    def live(self) -> bool:
        return self.status in (Status.PREPARED, Status.OPEN, Status.CLOSED)
