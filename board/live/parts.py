"""The regions of the live room that a change can touch; each is one partial template."""

from __future__ import annotations

from enum import StrEnum

from board.changes import Aspect


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
    VOTES = "votes"  # the votes (採決) of the meeting
    # How many have voted in the open vote (who has not, in a named one): for the chair,
    # the secretariat and the projector; a member's device gets nothing per ballot.
    VOTE_PROGRESS = "vote_progress"
    PRESENTING = "presenting"  # the presented material page: a small push of its own


ALL_PARTS = frozenset(Part)


# Which regions each aspect of a meeting touches: the one place that maps what changed
# to what is rendered again.
REGIONS: dict[Aspect, frozenset[Part]] = {
    Aspect.LIFECYCLE: ALL_PARTS,
    Aspect.DETAILS: frozenset({Part.STATUS, Part.CURRENT}),
    Aspect.AGENDA: frozenset({Part.AGENDA, Part.CURRENT, Part.ITEMS}),
    # Moving on marks the old and the new current item (named), and the floor is the new
    # item's.
    Aspect.CURRENT_ITEM: frozenset(
        {Part.AGENDA, Part.CURRENT, Part.FLOOR, Part.PRESENCE, Part.ITEM, Part.MINUTES}
    ),
    Aspect.FLOOR: frozenset({Part.FLOOR}),
    Aspect.SPEECHES: frozenset({Part.FLOOR, Part.PRESENCE, Part.MINUTES}),
    Aspect.ATTENDANCE: frozenset({Part.PRESENCE}),
    # A material removed or renamed may be the one presented.
    Aspect.MATERIALS: frozenset({Part.ITEM, Part.READING, Part.PRESENTING}),
    Aspect.READS: frozenset({Part.READING}),
    Aspect.PRESENTING: frozenset({Part.PRESENTING}),
    Aspect.OPINIONS: frozenset({Part.ITEM}),
    Aspect.COMMENT_WINDOW: frozenset({Part.ITEMS}),
    Aspect.MINUTES: frozenset({Part.MINUTES}),
    Aspect.MINUTES_STATUS: frozenset({Part.MINUTES, Part.STATUS}),
    Aspect.VOTES: frozenset({Part.VOTES}),
    Aspect.BALLOTS: frozenset({Part.VOTE_PROGRESS}),
}


def regions(aspects: frozenset[Aspect]) -> frozenset[Part]:
    """The page regions to render again after a change of these aspects."""
    found: set[Part] = set()
    for aspect in aspects:
        found |= REGIONS[aspect]
    return frozenset(found)
