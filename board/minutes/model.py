"""The minutes model: what the secretariat edits, and the document built from it.

The document is a plain JSON object (described by ``schema/minutes.schema.json``); every
export renders the same document. Its canonical JSON (sorted keys, no spaces, UTF-8) is
what a finalized revision stores and what its SHA-256 is taken of.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

from board import timeutil
from board.minutes import style
from board.models import AgendaItem, Body, Meeting, Person, Role
from board.votes.minutes import VoteDoc, vote_docs
from board.votes.model import Vote

FORMAT = "meeting-board/minutes"
FORMAT_VERSION = 1


class MinutesKind(StrEnum):
    FULL = "full"  # 全文
    SUMMARY = "summary"  # 要点筆記
    EXCERPT = "excerpt"  # 抄


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # with the chair for approval
    FINALIZED = "finalized"  # approved and frozen


class Copy(StrEnum):
    ORIGINAL = "original"  # keeps non-public statements
    PUBLIC = "public"  # omits them


KIND_TITLES = {
    MinutesKind.FULL: "会議録",
    MinutesKind.SUMMARY: "会議録（要点筆記）",
    MinutesKind.EXCERPT: "会議録（抄）",
}
# What an excerpt prints beside an item it omits, unless the secretariat sets another mark.
OMITTED_MARK = "※省略"
# The roles whose attendance the document lists, in the order it lists them.
LISTED_ROLES = (Role.CHAIR, Role.MEMBER, Role.SECRETARIAT)


@dataclass(frozen=True, slots=True)
class Minutes:
    """The minutes of one meeting: the header the secretariat sets and where it stands."""

    meeting_id: int
    kind: MinutesKind = MinutesKind.SUMMARY
    status: MinutesStatus = MinutesStatus.DRAFT
    title: str | None = None
    opened: str | None = None
    closed: str | None = None
    place: str | None = None
    observers: int | None = None
    materials: list[str] | None = None
    revision: int = 0
    published_revision: int | None = None
    pending_reason: str = ""
    note: str = ""
    omitted_items: tuple[int, ...] = ()  # items an excerpt omits whole
    omitted_mark: str | None = None  # printed beside them (None: OMITTED_MARK)

    @property
    def editable(self) -> bool:
        return self.status is MinutesStatus.DRAFT


@dataclass(frozen=True, slots=True)
class Statement:
    id: int
    meeting_id: int
    item_id: int
    request_id: int | None
    person_id: int | None
    speaker_name: str
    speaker_role: Role
    speaker_title: str
    speaker_position: str
    position: int
    started_at: str | None
    ended_at: str | None
    text: str
    public: bool
    non_public_reason: str
    in_excerpt: bool
    removed_at: str | None = None
    removed_reason: str = ""
    merged_into: int | None = None

    @property
    def source(self) -> str:
        """'floor' for a speech granted on the floor, 'added' for one the secretariat added."""
        return "floor" if self.request_id is not None else "added"

    def title_in(self, body: Body) -> str:
        return self.speaker_title or body.title_for(self.speaker_role)

    def label_in(self, body: Body) -> str:
        """本部員（髙橋 美智子）, or 本部員 when the body hides names."""
        title = self.title_in(body)
        if body.show_names and self.speaker_name:
            return f"{title}（{self.speaker_name}）"
        return title

    @property
    def seconds(self) -> float | None:
        if self.started_at is None or self.ended_at is None:
            return None
        delta = timeutil.parse(self.ended_at) - timeutil.parse(self.started_at)
        return max(delta.total_seconds(), 0.0)


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    meeting_id: int
    item_id: int
    position: int
    text: str
    vote_id: int | None = None  # the vote (採決) it was decided by


@dataclass(frozen=True, slots=True)
class ActionItem:
    id: int
    meeting_id: int
    item_id: int
    position: int
    what: str
    department: str
    due_date: str | None


@dataclass(frozen=True, slots=True)
class Revision:
    meeting_id: int
    number: int
    reason: str
    approved_by: int | None
    finalized_at: str
    sha256: str
    public_sha256: str
    published_at: str | None


@dataclass(frozen=True, slots=True)
class Panel:
    """The compact list the secretariat follows live: the latest entries, newest last."""

    status: MinutesStatus
    total: int
    entries: list[Statement]


@dataclass(frozen=True, slots=True)
class Sources:
    """Everything a document is built from, read in one transaction."""

    body: Body
    meeting: Meeting
    minutes: Minutes
    items: list[AgendaItem]
    levels: dict[int, int]
    statements: list[Statement]  # not removed, in position order
    decisions: list[Decision]
    action_items: list[ActionItem]
    roster: list[Person]
    present_ids: frozenset[int]
    attendance_overrides: dict[int, bool] = field(default_factory=dict)
    materials: list[str] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    online_ids: frozenset[int] = frozenset()  # present online, as recorded in the room
    online_overrides: dict[int, bool] = field(default_factory=dict)


# The document, as JSON. Field names follow the schema.
class PersonGroup(TypedDict):
    role: str
    title: str
    count: int
    names: list[str]
    online: int  # how many of them took part online
    online_names: list[str]


class Attendance(TypedDict):
    present: list[PersonGroup]
    absent: list[PersonGroup]
    observers: int


class BodyRef(TypedDict):
    id: int
    name: str


class MeetingDoc(TypedDict):
    id: int
    title: str
    date: str
    opened: str
    closed: str
    place: str
    started_at: str | None
    adjourned_at: str | None


class DecisionDoc(TypedDict):
    id: int
    order: int
    text: str
    vote_id: NotRequired[int | None]  # the vote it was decided by


class ActionItemDoc(TypedDict):
    id: int
    order: int
    what: str
    department: str
    due: str | None


class ItemDoc(TypedDict):
    id: int
    number: str
    level: int
    title: str
    presenter: str
    decisions: list[DecisionDoc]
    action_items: list[ActionItemDoc]
    votes: NotRequired[list[VoteDoc]]  # 採決 (documents finalized before votes existed have none)
    omitted: bool  # an excerpt omits the item whole (its statements, decisions, action items)


class StatementDoc(TypedDict):
    id: int
    order: int
    item_id: int
    item_number: str
    item_title: str
    speaker: str | None
    speaker_role: str
    speaker_title: str
    speaker_position: str
    started_at: str | None
    ended_at: str | None
    text: str
    source: str
    request_id: int | None  # the floor request the speech came from (None: added)
    public: bool
    non_public_reason: str


class Document(TypedDict):
    format: str
    version: int
    copy: str
    status: str
    revision: int | None
    revision_reason: str
    finalized_at: str | None
    approved_by: str | None
    kind: str
    title: str
    body: BodyRef
    meeting: MeetingDoc
    attendance: Attendance
    materials: list[str]
    items: list[ItemDoc]
    statements: list[StatementDoc]
    omitted_mark: str  # printed beside an item an excerpt omits
    style: dict[str, Any]  # the minutes style it is printed in (board.minutes.style)


def local_hhmm(moment: str | None) -> str:
    """An ISO 8601 instant as the server's local wall-clock time, HH:MM."""
    return "" if moment is None else timeutil.local(timeutil.parse(moment)).strftime("%H:%M")


def local_day(moment: str | None) -> str:
    """An ISO 8601 instant as the board's local date, YYYY-MM-DD: the day it happened."""
    return "" if moment is None else timeutil.local(timeutil.parse(moment)).date().isoformat()


def item_numbers(items: list[AgendaItem], levels: dict[int, int]) -> dict[int, tuple[str, int]]:
    """Each item's number and level: 1 2 3 at level 1, 2(1) 2(2) under item 2 at level 2.
    A level-2 item with no level-1 item before it counts as level 1."""
    numbers: dict[int, tuple[str, int]] = {}
    top = sub = 0
    for item in items:
        if levels.get(item.id, 1) == 2 and top > 0:
            sub += 1
            numbers[item.id] = (f"{top}({sub})", 2)
        else:
            top, sub = top + 1, 0
            numbers[item.id] = (str(top), 1)
    return numbers


def _groups(
    people: list[Person], body: Body, online: frozenset[int] = frozenset()
) -> list[PersonGroup]:
    groups = []
    for role in LISTED_ROLES:
        members = [person for person in people if person.role is role]
        if members:
            remote = [person for person in members if person.id in online]
            groups.append(
                PersonGroup(
                    role=role.value,
                    title=body.title_for(role),
                    count=len(members),
                    names=[person.name for person in members] if body.show_names else [],
                    online=len(remote),
                    online_names=[person.name for person in remote] if body.show_names else [],
                )
            )
    return groups


def attendance(sources: Sources) -> Attendance:
    def present(person: Person) -> bool:
        return sources.attendance_overrides.get(person.id, person.id in sources.present_ids)

    def online(person: Person) -> bool:
        return sources.online_overrides.get(person.id, person.id in sources.online_ids)

    listed = [person for person in sources.roster if person.role in LISTED_ROLES]
    here = [person for person in listed if present(person)]
    away = [
        person
        for person in listed
        if person.active and not present(person) and person.role is not Role.SECRETARIAT
    ]
    observers = sources.minutes.observers
    if observers is None:
        observers = sum(
            1 for person in sources.roster if person.role is Role.OBSERVER and present(person)
        )
    return Attendance(
        present=_groups(here, sources.body, frozenset(p.id for p in here if online(p))),
        absent=_groups(away, sources.body),
        observers=observers,
    )


def resolved_style(sources: Sources) -> style.Style:
    """The body's style, with the chair's post as the first of the members counted
    (「本部員 市長以下32名」) unless the body named it."""
    chosen = style.of_body(sources.body.minutes_style)
    if chosen.chair_among_members and not chosen.chair_label:
        chair_id = sources.meeting.chair_id
        chairs = [p for p in sources.roster if p.role is Role.CHAIR]
        chair = next((p for p in chairs if p.id == chair_id), chairs[0] if chairs else None)
        if chair is not None and chair.affiliation:
            chosen = replace(chosen, chair_label=chair.affiliation)
    return chosen


def title_of(meeting: Meeting, minutes: Minutes) -> str:
    return minutes.title or f"{meeting.title} {KIND_TITLES[minutes.kind]}"


def build(sources: Sources) -> Document:
    """The original document of the working copy (a draft until it is finalized)."""
    body, meeting, minutes = sources.body, sources.meeting, sources.minutes
    numbers = item_numbers(sources.items, sources.levels)
    items_by_id = {item.id: item for item in sources.items}
    order = {item.id: index for index, item in enumerate(sources.items)}
    excerpt = minutes.kind is MinutesKind.EXCERPT
    omitted = frozenset(minutes.omitted_items) if excerpt else frozenset()
    chosen = [
        statement
        for statement in sources.statements
        if statement.item_id in order
        and statement.item_id not in omitted
        and (not excerpt or statement.in_excerpt)
    ]
    chosen.sort(key=lambda statement: (order[statement.item_id], statement.position))
    show = body.show_names
    the_style = resolved_style(sources)
    statements = [
        StatementDoc(
            id=statement.id,
            order=index,
            item_id=statement.item_id,
            item_number=numbers[statement.item_id][0],
            item_title=items_by_id[statement.item_id].title,
            speaker=statement.speaker_name if show and statement.speaker_name else None,
            speaker_role=statement.speaker_role.value,
            speaker_title=statement.speaker_title
            or the_style.statement_titles.get(statement.speaker_role.value)
            or body.title_for(statement.speaker_role),
            speaker_position=statement.speaker_position if show else "",
            started_at=statement.started_at,
            ended_at=statement.ended_at,
            text=statement.text,
            source=statement.source,
            request_id=statement.request_id,
            public=statement.public,
            non_public_reason="" if statement.public else statement.non_public_reason,
        )
        for index, statement in enumerate(chosen, start=1)
    ]
    items = []
    for item in sources.items:
        number, level = numbers[item.id]
        left_out = item.id in omitted
        decisions = [d for d in sources.decisions if d.item_id == item.id and not left_out]
        tasks = [a for a in sources.action_items if a.item_id == item.id and not left_out]
        items.append(
            ItemDoc(
                id=item.id,
                number=number,
                level=level,
                title=item.title,
                presenter=item.presenter,
                decisions=[
                    DecisionDoc(id=d.id, order=index, text=d.text, vote_id=d.vote_id)
                    for index, d in enumerate(decisions, start=1)
                ],
                action_items=[
                    ActionItemDoc(
                        id=a.id, order=index, what=a.what, department=a.department, due=a.due_date
                    )
                    for index, a in enumerate(tasks, start=1)
                ],
                votes=[] if left_out else vote_docs(sources.votes, item.id, body, sources.roster),
                omitted=left_out,
            )
        )
    planned = not meeting.started_at
    return Document(
        format=FORMAT,
        version=FORMAT_VERSION,
        copy=Copy.ORIGINAL.value,
        status=minutes.status.value,
        revision=None,
        revision_reason=minutes.pending_reason,
        finalized_at=None,
        approved_by=None,
        kind=minutes.kind.value,
        title=title_of(meeting, minutes),
        body=BodyRef(id=body.id, name=body.name),
        meeting=MeetingDoc(
            id=meeting.id,
            title=meeting.title,
            date=meeting.date if planned else local_day(meeting.started_at),
            opened=minutes.opened
            or (meeting.start_time if planned else local_hhmm(meeting.started_at)),
            closed=minutes.closed
            or (meeting.planned_end if planned else local_hhmm(meeting.adjourned_at)),
            place=meeting.place if minutes.place is None else minutes.place,
            started_at=meeting.started_at,
            adjourned_at=meeting.adjourned_at,
        ),
        attendance=attendance(sources),
        materials=list(sources.materials if minutes.materials is None else minutes.materials),
        items=items,
        statements=statements,
        omitted_mark=minutes.omitted_mark or OMITTED_MARK,
        style=the_style.to_json(),
    )


def finalized(document: Document, *, revision: int, at: str, approved_by: str) -> Document:
    """The document as the chair approves it: revision N, frozen from now on."""
    result = document.copy()
    result["status"] = MinutesStatus.FINALIZED.value
    result["revision"] = revision
    result["finalized_at"] = at
    result["approved_by"] = approved_by
    return result


def public_copy(document: Document) -> Document:
    """The copy for the public: non-public statements omitted, the rest renumbered."""
    statements: list[StatementDoc] = []
    for statement in document["statements"]:
        if statement["public"]:
            kept = statement.copy()
            kept["order"] = len(statements) + 1
            kept["non_public_reason"] = ""
            statements.append(kept)
    result = document.copy()
    result["copy"] = Copy.PUBLIC.value
    result["statements"] = statements
    return result


def canonical(document: Document) -> str:
    """The one JSON text of a document: sorted keys, no insignificant space, UTF-8."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse(text: str) -> Document:
    loaded: Document = json.loads(text)
    return loaded
