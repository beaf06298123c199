"""What changed is data; which page regions it touches is decided here, on the render side."""

from __future__ import annotations

from board.actions import REGISTRY
from board.changes import EVERYTHING, Aspect, Change
from board.live.parts import ALL_PARTS, REGIONS, Part, regions


def test_every_aspect_touches_some_region() -> None:
    assert set(REGIONS) == set(Aspect)
    assert all(REGIONS[aspect] for aspect in Aspect)
    assert regions(EVERYTHING) == ALL_PARTS


def test_actions_declare_aspects_not_regions() -> None:
    for action in REGISTRY.values():
        assert all(isinstance(aspect, Aspect) for aspect in action.changes), action.name
    assert REGISTRY["floor.request"].changes == {Aspect.FLOOR}
    assert regions(REGISTRY["floor.grant"].changes) == {Part.FLOOR, Part.PRESENCE, Part.MINUTES}
    assert regions(REGISTRY["opinion.write"].changes) == {Part.ITEM}


def test_a_change_travels_as_names_and_ids() -> None:
    change = Change(7, 42, frozenset({Aspect.OPINIONS}), frozenset({3}), frozenset({11}))
    assert Change.from_json(change.to_json()) == change
    assert change.described() == {"aspects": ["opinions"], "items": [3], "people": [11]}
    # Too many ids for one notification: sent as "everything changed" instead.
    crowd = Change(7, 43, frozenset({Aspect.ATTENDANCE}), people=frozenset(range(1000)))
    assert Change.from_json(crowd.to_json()).aspects == EVERYTHING
