"""Who may read which minutes.

- The secretariat and the chair of a body (its *staff*) read everything of its meetings:
  the working draft, every revision, the original with non-public statements.
- Its members read finalized revisions, without non-public statements.
- Observers and anyone not signed in read published public copies only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from board.minutes.model import Copy, Minutes, Revision
from board.models import Person, Role

STAFF_ROLES = (Role.CHAIR, Role.SECRETARIAT)


class Standing(StrEnum):
    STAFF = "staff"
    MEMBER = "member"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class Reader:
    """Whoever is asking: the bodies they are staff or a member of (none: the public)."""

    staff_bodies: frozenset[int] = frozenset()
    member_bodies: frozenset[int] = frozenset()
    people: tuple[Person, ...] = ()

    @classmethod
    def of(cls, people: list[Person]) -> Reader:
        return cls(
            staff_bodies=frozenset(p.body_id for p in people if p.role in STAFF_ROLES),
            member_bodies=frozenset(p.body_id for p in people if p.role is Role.MEMBER),
            people=tuple(people),
        )

    def standing(self, body_id: int) -> Standing:
        if body_id in self.staff_bodies:
            return Standing.STAFF
        if body_id in self.member_bodies:
            return Standing.MEMBER
        return Standing.PUBLIC

    def person_in(self, body_id: int) -> Person | None:
        for person in self.people:
            if person.body_id == body_id:
                return person
        return None


@dataclass(frozen=True, slots=True)
class Choice:
    """The copy a reader gets: a revision (None: the working draft) and which copy."""

    revision: int | None
    copy: Copy


def readable_revisions(standing: Standing, revisions: list[Revision]) -> list[Revision]:
    if standing is Standing.PUBLIC:
        return [revision for revision in revisions if revision.published_at is not None]
    return list(revisions)


def choose(
    standing: Standing,
    minutes: Minutes,
    revisions: list[Revision],
    *,
    revision: int | None,
    copy: Copy | None,
    draft: bool = False,
) -> Choice | None:
    """What the reader may have of what they asked for; None when nothing is readable.

    Staff get the working draft unless they ask for a revision; others get the latest
    revision they may read. Only staff get the original copy.
    """
    if standing is Standing.STAFF:
        if draft or (revision is None and minutes.revision == 0):
            return Choice(None, copy or Copy.ORIGINAL)
        number = revision or minutes.revision
        if not any(found.number == number for found in revisions):
            return None
        return Choice(number, copy or Copy.ORIGINAL)
    if draft:
        return None
    readable = [found.number for found in readable_revisions(standing, revisions)]
    if not readable:
        return None
    number = revision if revision is not None else max(readable)
    if number not in readable:
        return None
    return Choice(number, Copy.PUBLIC)
