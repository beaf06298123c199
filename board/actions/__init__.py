"""Named state changes with their permissions. Importing this package registers them all."""

from board.actions import (
    agenda,
    body,
    floor,
    materials,
    meeting,
    minutes,
    minutes_flow,
    minutes_record,
    notes,
    opinions,
    presenting,
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
    "materials",
    "meeting",
    "minutes",
    "minutes_flow",
    "minutes_record",
    "notes",
    "opinions",
    "presenting",
]
