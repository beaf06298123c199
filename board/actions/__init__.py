"""Named state changes with their permissions. Importing this package registers them all."""

from board.actions import (
    agenda,
    body,
    floor,
    invite,
    materials,
    meeting,
    minutes,
    minutes_flow,
    minutes_record,
    minutes_style,
    notes,
    opinions,
    presenting,
    roster,
    sheet,
    votes,
)
from board.actions.dispatch import Result, dispatch
from board.actions.registry import REGISTRY

__all__ = [
    "REGISTRY",
    "Result",
    "agenda",
    "body",
    "dispatch",
    "floor",
    "invite",
    "materials",
    "meeting",
    "minutes",
    "minutes_flow",
    "minutes_record",
    "minutes_style",
    "notes",
    "opinions",
    "presenting",
    "roster",
    "sheet",
    "votes",
]
