"""The agenda's shape: main items numbered 1. 2. 3., sub-items (1) (2) under a main item.

Pure functions over the items as stored (``position`` orders them, ``parent_id`` names a
sub-item's main item); every page, push, export and the minutes number items through
:func:`numbered`, so the numbering is the same everywhere."""

from __future__ import annotations

from dataclasses import replace

from board.models import AgendaItem


def tree_order(items: list[AgendaItem]) -> list[AgendaItem]:
    """Main items in position order, each directly followed by its sub-items. A sub-item
    whose main item is gone (or is itself a sub-item) counts as a main item."""
    ordered = sorted(items, key=lambda item: (item.position, item.id))
    main_ids = {item.id for item in ordered if item.parent_id is None}
    children: dict[int, list[AgendaItem]] = {}
    mains = []
    for item in ordered:
        if item.parent_id in main_ids:
            children.setdefault(item.parent_id, []).append(item)
        else:
            mains.append(item)
    return [entry for main in mains for entry in [main, *children.get(main.id, [])]]


def numbered(items: list[AgendaItem]) -> list[AgendaItem]:
    """The items in tree order with their labels ("1." or "(1)"), whether they only group
    sub-items (a heading), and their place among their siblings."""
    ordered = tree_order(items)
    mains = [item for item in ordered if item.level_of(ordered) == 1]
    groups: dict[int | None, list[AgendaItem]] = {None: mains}
    for item in ordered:
        if item not in mains:
            groups.setdefault(item.parent_id, []).append(item)
    result = []
    main_number = 0
    for item in ordered:
        main = item in mains
        siblings = groups[None if main else item.parent_id]
        index = siblings.index(item)
        if main:
            main_number = index + 1
        result.append(
            replace(
                item,
                parent_id=None if main else item.parent_id,
                number=f"{index + 1}." if main else f"({index + 1})",
                path=str(main_number) if main else f"{main_number}({index + 1})",
                heading=main and item.id in groups,
                sibling_index=index,
                last_sibling=index == len(siblings) - 1,
            )
        )
    return result


def steps(items: list[AgendaItem]) -> list[AgendaItem]:
    """The items the chair steps through with next and previous: every item but a heading
    (a main item that only groups its sub-items)."""
    return [item for item in items if not item.heading]
