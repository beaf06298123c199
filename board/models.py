"""Names for the board's states and kinds, and the read models the views render."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from board.minutes.model import Panel
    from board.votes.model import Vote

from board import timeutil


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
    minutes_style: str | None = None  # its minutes style (board.minutes.style), as JSON

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
    # The chair who started the meeting, and the deputy (職務代理者) designated before it:
    # the only people who may approve or return its minutes.
    chair_id: int | None = None
    deputy_id: int | None = None

    @property
    def approvers(self) -> frozenset[int]:
        return frozenset(p for p in (self.chair_id, self.deputy_id) if p is not None)


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
    parent_id: int | None = None  # the main item of a sub-item
    # Set by board.agenda.numbered: "1." or "(1)", whether it only groups sub-items, and
    # its place among its siblings.
    number: str = ""
    path: str = ""  # the number with its main item's: "3" or "3(1)", as the minutes' JSON
    heading: bool = False
    sibling_index: int = 0
    last_sibling: bool = True

    def level_of(self, items: list[AgendaItem]) -> int:
        """1 for a main item, 2 for a sub-item of a main item among ``items``."""
        if self.parent_id is None:
            return 1
        parent = next((item for item in items if item.id == self.parent_id), None)
        return 2 if parent is not None and parent.parent_id is None else 1

    @property
    def level(self) -> int:
        return 1 if self.parent_id is None else 2


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


OPINION_MAX = 2000  # characters in one written opinion (and in a written answer)


class Stance(StrEnum):
    SUPPORT = "support"
    CONCERN = "concern"
    QUESTION = "question"
    PROPOSAL = "proposal"


class Triage(StrEnum):
    RAISE = "raise"  # to raise at the meeting
    ANSWERED = "answered"  # answered in writing
    NOTED = "noted"


class OpinionStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class MaterialKind(StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    TEXT = "text"
    MARKDOWN = "markdown"


@dataclass(frozen=True, slots=True)
class MaterialVersion:
    id: int
    material_id: int
    version: int
    sha256: str
    filename: str
    media_type: str
    size: int
    uploaded_by: int | None
    uploaded_at: str

    @property
    def kind(self) -> MaterialKind:
        if self.media_type == "application/pdf":
            return MaterialKind.PDF
        if self.media_type.startswith("image/"):
            return MaterialKind.IMAGE
        if self.media_type.startswith("text/markdown"):
            return MaterialKind.MARKDOWN
        return MaterialKind.TEXT


@dataclass(frozen=True, slots=True)
class Material:
    """A document attached to an agenda item; its versions oldest first."""

    id: int
    meeting_id: int
    item_id: int
    title: str
    created_at: str
    versions: tuple[MaterialVersion, ...]

    @property
    def current(self) -> MaterialVersion:
        return self.versions[-1]


@dataclass(frozen=True, slots=True)
class Presenting:
    """The page of a material the presenter shows to the room (画面同期)."""

    material_id: int
    version_id: int
    version: int
    size: int  # bytes: the viewer reads the file in ranges from its end
    title: str
    page: int
    presenter_id: int
    started_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Note:
    """A person's private note on a page of a material: theirs alone."""

    id: int
    material_id: int
    material_title: str
    item_position: int
    version_id: int  # the version it was written on
    written_on_version: int
    latest_version: int
    page: int
    text: str
    updated_at: str

    @property
    def page_may_have_changed(self) -> bool:
        """A newer version was uploaded since: the same page number may say something else."""
        return self.latest_version > self.written_on_version


@dataclass(frozen=True, slots=True)
class MaterialRead:
    person_id: int
    material_id: int
    version_id: int
    version: int
    first_opened_at: str


@dataclass(frozen=True, slots=True)
class CommentWindow:
    """When members may write, edit, withdraw and agree. No deadline: open until closed."""

    deadline: str | None = None
    closed: bool = False

    def passed(self, at: str) -> bool:
        return self.deadline is not None and timeutil.parse(at) > timeutil.parse(self.deadline)

    def is_open(self, at: str) -> bool:
        return not self.closed and not self.passed(at)


@dataclass(frozen=True, slots=True)
class Opinion:
    id: int
    meeting_id: int
    item_id: int
    author: Person
    stance: Stance
    text: str
    status: OpinionStatus
    triage: Triage | None
    answer: str
    answered_at: str | None
    agrees: int
    request_id: int | None
    queued_at: str | None
    created_at: str
    updated_at: str
    # The page of a material it is about (「資料1 p.12 について」), if any.
    material_id: int | None = None
    page: int | None = None

    @property
    def edited(self) -> bool:
        return self.updated_at != self.created_at


def opinion_order(opinion: Opinion) -> tuple[int, str, int]:
    """Most agreed first; among equals, the earliest first."""
    return (-opinion.agrees, opinion.created_at, opinion.id)


@dataclass(frozen=True, slots=True)
class ReadAhead:
    """Who opened which material: any version counts as opened; ``latest`` says whether
    the current version was among them. ``before`` is the meeting's start, if it started."""

    members: list[Person]
    materials: list[Material]
    first_opened: dict[tuple[int, int], str]  # (person_id, material_id) -> earliest open
    latest: frozenset[tuple[int, int]]
    before: str | None

    def opened_at(self, person_id: int, material_id: int) -> str | None:
        return self.first_opened.get((person_id, material_id))

    def opened_count(self, material_id: int) -> int:
        return sum(1 for person in self.members if (person.id, material_id) in self.first_opened)

    def complete(self, person_id: int) -> bool:
        """Opened every material of the meeting (before it started, if it has)."""
        if not self.materials:
            return False
        for material in self.materials:
            at = self.first_opened.get((person_id, material.id))
            if at is None or (
                self.before is not None and timeutil.parse(at) > timeutil.parse(self.before)
            ):
                return False
        return True

    @property
    def complete_count(self) -> int:
        return sum(1 for person in self.members if self.complete(person.id))

    @property
    def share_percent(self) -> int | None:
        if not self.members or not self.materials:
            return None
        return round(100 * self.complete_count / len(self.members))


def build_read_ahead(
    materials: list[Material], reads: list[MaterialRead], roster: list[Person], before: str | None
) -> ReadAhead:
    current = {material.id: material.current.id for material in materials}
    first: dict[tuple[int, int], str] = {}
    latest = set()
    for read in reads:
        key = (read.person_id, read.material_id)
        if key not in first or timeutil.parse(read.first_opened_at) < timeutil.parse(first[key]):
            first[key] = read.first_opened_at
        if current.get(read.material_id) == read.version_id:
            latest.add(key)
    members = [person for person in roster if person.role is Role.MEMBER]
    return ReadAhead(members, materials, first, frozenset(latest), before)


@dataclass(frozen=True, slots=True)
class Mine:
    """A person's own state in a meeting, which no broadcast may carry: shown on their
    devices only (templates/partials/_mine.html)."""

    agreed: frozenset[int] = frozenset()  # the opinions they agree with
    # Their choice in each open named vote (a secret ballot's stays on the device only).
    ballots: dict[int, str] = field(default_factory=dict)


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
    online_ids: frozenset[int] = frozenset()  # present and taking part online
    minutes: Panel | None = None  # the secretariat's live minutes panel
    materials: list[Material] = field(default_factory=list)
    # The active opinions of each agenda item, in the order opinion_order gives.
    opinions: dict[int, tuple[Opinion, ...]] = field(default_factory=dict)
    comments: CommentWindow = field(default_factory=CommentWindow)
    reads: list[MaterialRead] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)  # the meeting's votes (採決)
    presenting: Presenting | None = None  # the material page shown to the room

    @property
    def seq(self) -> int:
        return self.meeting.seq

    @property
    def current_item(self) -> AgendaItem | None:
        for item in self.items:
            if item.id == self.meeting.current_item_id:
                return item
        return None

    def materials_of(self, item_id: int) -> list[Material]:
        return [material for material in self.materials if material.item_id == item_id]

    def opinions_of(self, item_id: int) -> list[Opinion]:
        return list(self.opinions.get(item_id, ()))

    def opinion_groups(self, item_id: int) -> list[tuple[str, list[Opinion]]]:
        """The chair's order: those to raise at the meeting first, then the rest by stance;
        each group most agreed first."""
        opinions = self.opinions_of(item_id)
        groups = [("raise", [o for o in opinions if o.triage is Triage.RAISE])]
        for stance in Stance:
            groups.append(
                (
                    stance.value,
                    [o for o in opinions if o.stance is stance and o.triage is not Triage.RAISE],
                )
            )
        return [(key, members) for key, members in groups if members]

    @property
    def read_ahead(self) -> ReadAhead:
        return build_read_ahead(self.materials, self.reads, self.roster, self.meeting.started_at)


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A person as the roster file lists them: with reading (ふりがな) and e-mail."""

    person: Person
    reading: str = ""
    email: str = ""
