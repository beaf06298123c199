"""What the event log of the floor says about time: when each agenda item was current.

Read from the log itself (``meeting.start``, ``agenda.next/prev/goto``, ``meeting.adjourn``),
so the figures are those of the meeting as it happened, whatever was edited afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from board import timeutil

MOVES = ("agenda.next", "agenda.prev", "agenda.goto")
ACTIONS = ("meeting.start", *MOVES, "meeting.adjourn")


@dataclass(frozen=True, slots=True)
class LogEntry:
    at: str
    action: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Span:
    item_id: int
    started_at: str
    ended_at: str | None  # None while the item is still current

    def seconds(self) -> float:
        if self.ended_at is None:
            return 0.0
        delta = timeutil.parse(self.ended_at) - timeutil.parse(self.started_at)
        return max(delta.total_seconds(), 0.0)


def item_spans(log: Iterable[LogEntry]) -> list[Span]:
    """Each stretch of time an item was current, in order; an item may come back."""
    spans: list[Span] = []
    current: tuple[int, str] | None = None

    def close(at: str) -> None:
        nonlocal current
        if current is not None:
            spans.append(Span(current[0], current[1], at))
            current = None

    for entry in log:
        if entry.action == "meeting.start":
            item_id = entry.payload.get("item_id")
            if item_id is not None:
                current = (int(item_id), str(entry.payload.get("started_at") or entry.at))
        elif entry.action in MOVES:
            close(entry.at)
            current = (int(entry.payload["item_id"]), entry.at)
        elif entry.action == "meeting.adjourn":
            close(str(entry.payload.get("adjourned_at") or entry.at))
    if current is not None:
        spans.append(Span(current[0], current[1], None))
    return spans


def seconds_per_item(spans: Iterable[Span]) -> dict[int, float]:
    totals: dict[int, float] = {}
    for span in spans:
        totals[span.item_id] = totals.get(span.item_id, 0.0) + span.seconds()
    return totals
