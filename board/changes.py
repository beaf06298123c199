"""What an action changed in a meeting, as data.

The dispatcher stores it with the event and hands it to the change feed after commit;
every process's hub re-reads what it names and re-renders the page regions it touches.
It carries no HTML and nothing private: ids and names of parts only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from board.live.parts import ALL_PARTS, Part

# A notification's payload must stay under PostgreSQL's 8000-byte limit: a change naming
# more than this many ids is sent as "everything changed" (its receivers re-read it all).
MAX_IDS = 400


@dataclass(frozen=True, slots=True)
class Change:
    meeting_id: int
    seq: int
    parts: frozenset[Part]
    items: frozenset[int] = frozenset()  # the agenda items named for Part.ITEM
    people: frozenset[int] = frozenset()  # whose own state (e.g. what they agree with)
    # changed

    def described(self) -> dict[str, Any]:
        """What the event log stores (no meeting or seq: the row has them)."""
        return {
            "parts": sorted(part.value for part in self.parts),
            "items": sorted(self.items),
            "people": sorted(self.people),
        }

    def to_json(self) -> str:
        if len(self.items) + len(self.people) > MAX_IDS:
            everything = Change(self.meeting_id, self.seq, ALL_PARTS)
            return everything.to_json()
        return json.dumps(
            {"meeting_id": self.meeting_id, "seq": self.seq, **self.described()},
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Change:
        data = json.loads(text)
        return cls(
            meeting_id=int(data["meeting_id"]),
            seq=int(data["seq"]),
            parts=frozenset(Part(name) for name in data.get("parts", ())),
            items=frozenset(int(value) for value in data.get("items", ())),
            people=frozenset(int(value) for value in data.get("people", ())),
        )


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
