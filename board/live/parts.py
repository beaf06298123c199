"""The regions of the live room that a change can touch; each is one partial template."""

from __future__ import annotations

from enum import StrEnum


class Part(StrEnum):
    STATUS = "status"
    AGENDA = "agenda"
    CURRENT = "current"
    FLOOR = "floor"
    PRESENCE = "presence"
    MINUTES = "minutes"  # the secretariat's live minutes panel
    ITEMS = "items"  # each agenda item's materials and written opinions
    ITEM = "item"  # the same for the agenda items an action names, each pushed alone
    READING = "reading"  # read-ahead: who opened which material (secretariat)


ALL_PARTS = frozenset(Part)
