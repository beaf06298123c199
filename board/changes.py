"""What an action changed in a meeting, as data.

An action declares which aspects of the meeting it changes (the floor, the agenda, the
opinions of items X and Y, the minutes, ...); the dispatcher stores that with the event and
hands it to the change feed after commit. Which page regions an aspect touches is decided
on the render side (``board.live.parts.regions``), so any process, now or later, can tell
what to re-render. It carries no HTML and nothing private: names and ids only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# A notification's payload must stay under PostgreSQL's 8000-byte limit: a change naming
# more than this many ids is sent as "everything changed" (its receivers re-read it all).
MAX_IDS = 400


class Aspect(StrEnum):
    """What of a meeting an action changed (not where that shows)."""

    LIFECYCLE = "lifecycle"  # draft, published, live, adjourned
    DETAILS = "details"  # title, date, times, place, speaking time
    AGENDA = "agenda"  # items added, edited, moved or deleted
    CURRENT_ITEM = "current_item"  # the chair moved through the agenda
    FLOOR = "floor"  # the queue, the speaker, the timer, the list open or closed
    SPEECHES = "speeches"  # a speech began or ended: who spoke, how long, the draft minutes
    ATTENDANCE = "attendance"  # who is present
    MATERIALS = "materials"  # the materials of the items named
    READS = "reads"  # who opened which material
    PRESENTING = "presenting"  # the material page the presenter shows to the room
    OPINIONS = "opinions"  # the written opinions of the items named
    COMMENT_WINDOW = "comment_window"  # the deadline for opinions, open or closed
    MINUTES = "minutes"  # the minutes' working copy
    MINUTES_STATUS = "minutes_status"  # submitted, returned, approved, published
    VOTES = "votes"  # a vote prepared, opened, closed, announced or cancelled
    BALLOTS = "ballots"  # someone voted: how many have (never what)


EVERYTHING = frozenset(Aspect)


@dataclass(frozen=True, slots=True)
class Change:
    meeting_id: int
    seq: int
    aspects: frozenset[Aspect]
    items: frozenset[int] = frozenset()  # the agenda items whose materials or opinions
    people: frozenset[int] = frozenset()  # whose own state (e.g. what they agree with)
    # changed

    def described(self) -> dict[str, Any]:
        """What the event log stores (no meeting or seq: the row has them)."""
        return {
            "aspects": sorted(aspect.value for aspect in self.aspects),
            "items": sorted(self.items),
            "people": sorted(self.people),
        }

    def to_json(self) -> str:
        return stamped(self.seq, self.unsequenced_json())

    def unsequenced_json(self) -> str:
        """The notification without its seq, for the store to stamp when it assigns one
        (``stamped``): a JSON object whose first member comes after ``{"seq":N,``."""
        if len(self.items) + len(self.people) > MAX_IDS:
            return Change(self.meeting_id, self.seq, EVERYTHING).unsequenced_json()
        return json.dumps(
            {"meeting_id": self.meeting_id, **self.described()}, separators=(",", ":")
        )

    @classmethod
    def from_json(cls, text: str) -> Change:
        data = json.loads(text)
        return cls(
            meeting_id=int(data["meeting_id"]),
            seq=int(data["seq"]),
            aspects=frozenset(Aspect(name) for name in data.get("aspects", ())),
            items=frozenset(int(value) for value in data.get("items", ())),
            people=frozenset(int(value) for value in data.get("people", ())),
        )


def stamped(seq: int, unsequenced: str) -> str:
    """A notification's JSON with its seq put first (PostgreSQL does the same in SQL)."""
    return '{"seq":' + str(seq) + "," + unsequenced[1:]


def access_changed_json(people: frozenset[int]) -> str:
    """The notification that these people's access changed (deactivated, a link revoked,
    a new role): every process closes their live connections."""
    return json.dumps({"access_changed": sorted(people)}, separators=(",", ":"))


def access_changed_of(text: str) -> frozenset[int] | None:
    """The people of an access-changed notification, or None for a meeting's Change."""
    data = json.loads(text)
    if "access_changed" not in data:
        return None
    return frozenset(int(value) for value in data["access_changed"])
