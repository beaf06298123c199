"""Names for the board's states and kinds, and the read models the views render."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    CHAIR = "chair"
    SECRETARIAT = "secretariat"
    MEMBER = "member"
    OBSERVER = "observer"


class MeetingStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    LIVE = "live"
    ADJOURNED = "adjourned"


class ItemKind(StrEnum):
    GREETING = "greeting"
    REPORT = "report"
    DISCUSSION = "discussion"
    DECISION = "decision"


class ItemStatus(StrEnum):
    PENDING = "pending"
    CURRENT = "current"
    DONE = "done"


class RequestKind(StrEnum):
    ORDINARY = "ordinary"
    QUESTION = "question"
    REPLY = "reply"
    POINT_OF_ORDER = "point_of_order"


class RequestStatus(StrEnum):
    QUEUED = "queued"
    SPEAKING = "speaking"
    DONE = "done"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Body:
    id: int
    name: str
    chair_title: str
    secretariat_title: str
    member_title: str
    observer_title: str
    show_names: bool
    seq: int = 0  # the body's event log: bumped by every roster change

    def title_for(self, role: Role) -> str:
        return {
            Role.CHAIR: self.chair_title,
            Role.SECRETARIAT: self.secretariat_title,
            Role.MEMBER: self.member_title,
            Role.OBSERVER: self.observer_title,
        }[role]


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    body_id: int
    name: str
    affiliation: str
    role: Role
    active: bool = True


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    body_id: int
    title: str
    date: str
    start_time: str
    planned_end: str
    place: str
    status: MeetingStatus
    current_item_id: int | None
    speech_limit_seconds: int
    seq: int
    started_at: str | None
    adjourned_at: str | None


@dataclass(frozen=True, slots=True)
class AgendaItem:
    id: int
    meeting_id: int
    position: int
    title: str
    presenter: str
    planned_minutes: int
    kind: ItemKind
    status: ItemStatus
    list_closed: bool
    speech_limit_seconds: int | None


@dataclass(frozen=True, slots=True)
class FloorRequest:
    id: int
    meeting_id: int
    item_id: int
    person: Person
    kind: RequestKind
    status: RequestStatus
    position: int
    requested_at: str
    granted_at: str | None
    ended_at: str | None
    limit_seconds: int | None
    extended_seconds: int


@dataclass(frozen=True, slots=True)
class MeetingState:
    """Everything the live room shows, read at one sequence number."""

    body: Body
    meeting: Meeting
    items: list[AgendaItem]
    queue: list[FloorRequest]
    speaking: FloorRequest | None
    roster: list[Person]
    present_ids: frozenset[int]
    spoken_ids: frozenset[int]
    speaking_seconds: dict[int, int] = field(default_factory=dict)

    @property
    def seq(self) -> int:
        return self.meeting.seq

    @property
    def current_item(self) -> AgendaItem | None:
        for item in self.items:
            if item.id == self.meeting.current_item_id:
                return item
        return None
