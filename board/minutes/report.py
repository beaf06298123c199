"""The meeting report beside the minutes: did the meeting hear opinions?

Planned against actual minutes per item (from the floor log), speaking time by role and
the share of the meeting it took (from the statement entries, so explanations the
secretariat recorded with their times count too), how many members spoke, and, once the
before-the-meeting tables exist, how many read the materials and wrote opinions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from board import timeutil
from board.minutes.floorlog import Span, seconds_per_item
from board.minutes.model import Sources, item_numbers
from board.models import Role
from board.votes.model import Vote
from board.votes.rules import Status as VoteStatus

STAFF = (Role.CHAIR, Role.SECRETARIAT)


@dataclass(frozen=True, slots=True)
class ItemTime:
    item_id: int
    number: str
    title: str
    planned_minutes: int
    actual_seconds: float

    @property
    def difference_seconds(self) -> float:
        return self.actual_seconds - 60 * self.planned_minutes


@dataclass(frozen=True, slots=True)
class Report:
    meeting_seconds: float | None
    items: list[ItemTime]
    speaking_seconds: dict[str, float]  # by role
    members_spoke: int
    members_present: int
    members_total: int
    statements: int
    materials_read_before: int | None  # None until read-ahead is recorded
    opinions_raised: int | None  # None until written opinions are recorded
    votes: dict[str, int] = field(default_factory=dict)  # 採決 announced, by outcome

    def share(self, *roles: Role) -> float | None:
        """The part of the meeting's time the roles' statements took, 0 to 1."""
        if not self.meeting_seconds:
            return None
        spoken = sum(self.speaking_seconds.get(role.value, 0.0) for role in roles)
        return spoken / self.meeting_seconds

    @property
    def member_share(self) -> float | None:
        return self.share(Role.MEMBER)

    @property
    def staff_share(self) -> float | None:
        return self.share(*STAFF)

    @property
    def other_share(self) -> float | None:
        member, staff = self.member_share, self.staff_share
        if member is None or staff is None:
            return None
        return max(1.0 - member - staff, 0.0)

    def as_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 3)

        return {
            "meeting_seconds": rounded(self.meeting_seconds),
            "items": [
                {
                    "item_id": item.item_id,
                    "number": item.number,
                    "title": item.title,
                    "planned_minutes": item.planned_minutes,
                    "actual_seconds": rounded(item.actual_seconds),
                    "difference_seconds": rounded(item.difference_seconds),
                }
                for item in self.items
            ],
            "speaking_seconds": {
                role: rounded(seconds) for role, seconds in self.speaking_seconds.items()
            },
            "share": {
                "members": rounded(self.member_share),
                "chair_and_secretariat": rounded(self.staff_share),
                "other": rounded(self.other_share),
            },
            "members_spoke": self.members_spoke,
            "members_present": self.members_present,
            "members_total": self.members_total,
            "statements": self.statements,
            "materials_read_before": self.materials_read_before,
            "opinions_raised": self.opinions_raised,
            "votes": {"announced": sum(self.votes.values()), "by_outcome": self.votes},
        }


def build(
    sources: Sources,
    spans: list[Span],
    *,
    materials_read_before: int | None,
    opinions_raised: int | None,
) -> Report:
    meeting = sources.meeting
    meeting_seconds = None
    if meeting.started_at and meeting.adjourned_at:
        delta = timeutil.parse(meeting.adjourned_at) - timeutil.parse(meeting.started_at)
        meeting_seconds = max(delta.total_seconds(), 0.0)
    actual = seconds_per_item(spans)
    numbers = item_numbers(sources.items, sources.levels)
    items = [
        ItemTime(
            item_id=item.id,
            number=numbers[item.id][0],
            title=item.title,
            planned_minutes=item.planned_minutes,
            actual_seconds=actual.get(item.id, 0.0),
        )
        for item in sources.items
    ]
    speaking = {role.value: 0.0 for role in (Role.CHAIR, Role.SECRETARIAT, Role.MEMBER)}
    for statement in sources.statements:
        seconds = statement.seconds
        if seconds is not None:
            role = statement.speaker_role.value
            speaking[role] = speaking.get(role, 0.0) + seconds
    members = [person for person in sources.roster if person.role is Role.MEMBER]
    spoke = {
        statement.person_id
        for statement in sources.statements
        if statement.speaker_role is Role.MEMBER and statement.person_id is not None
    }
    present = [
        person
        for person in members
        if sources.attendance_overrides.get(person.id, person.id in sources.present_ids)
    ]
    return Report(
        meeting_seconds=meeting_seconds,
        items=items,
        speaking_seconds=speaking,
        members_spoke=len(spoke),
        members_present=len(present),
        members_total=len([person for person in members if person.active]),
        statements=len(sources.statements),
        materials_read_before=materials_read_before,
        opinions_raised=opinions_raised,
        votes=votes_by_outcome(sources.votes),
    )


def votes_by_outcome(votes: list[Vote]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for vote in votes:
        if vote.status is VoteStatus.ANNOUNCED and vote.outcome is not None:
            counted[vote.outcome.value] = counted.get(vote.outcome.value, 0) + 1
    return counted
