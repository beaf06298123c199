"""The agenda: building it before the meeting, moving through it during."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from board.actions import fields
from board.actions.errors import Conflict, Invalid, NotFound
from board.actions.floor import end_any_speech
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, action
from board.changes import Aspect
from board.models import AgendaItem, ItemKind, MeetingStatus
from board.store import meetings
from board.store.db import Conn

# Editing the agenda changes every item's place; moving on changes which item is current
# (the outcome names the two items whose mark moved).
AGENDA = {Aspect.AGENDA}
MOVE = {Aspect.CURRENT_ITEM}
ITEMS_MAX = 100
ITEM_FIELDS = (
    *fields.declare(
        parent_id=fields.Kind.ID,
        title=fields.Kind.TEXT,
        presenter=fields.Kind.TEXT,
        planned_minutes=fields.Kind.INTEGER,
        speech_limit_seconds=fields.Kind.INTEGER,
    ),
    fields.one_of("kind", ItemKind),
)
ITEM_ID = fields.declare(item_id=fields.Kind.ID)


def parse_item(payload: Payload, *, partial: bool) -> dict[str, Any]:
    readers: dict[str, Callable[[], Any]] = {
        "title": lambda: fields.text(payload, "title"),
        "presenter": lambda: fields.text(
            payload, "presenter", max_len=fields.NAME_MAX, required=False
        ),
        "planned_minutes": lambda: fields.integer(
            payload, "planned_minutes", minimum=0, maximum=600, required=False, default=10
        ),
        "kind": lambda: fields.choice(payload, "kind", ItemKind, ItemKind.DISCUSSION).value,
        "speech_limit_seconds": lambda: fields.integer(
            payload, "speech_limit_seconds", minimum=30, maximum=3600, required=False
        ),
        # A sub-item's main item; empty (or absent when adding) makes a main item.
        "parent_id": lambda: fields.optional_id(payload, "parent_id"),
    }
    wanted = [name for name in readers if not partial or name in payload]
    if partial and not wanted:
        raise Invalid("nothing to change: give at least one field")
    return {name: readers[name]() for name in wanted}


async def _item(conn: Conn, ctx: Context, item_id: int) -> AgendaItem:
    item = await meetings.get_item(conn, item_id)
    if item is None or item.meeting_id != ctx.meeting_id:
        raise NotFound("agenda item {item_id} does not exist in this meeting", item_id=item_id)
    return item


async def _check_parent(
    conn: Conn, ctx: Context, parent_id: int | None, item_id: int | None = None
) -> None:
    """A sub-item goes under a main item of the same meeting; an item that has sub-items
    stays a main item (two levels: 1. 2. and (1) (2))."""
    if parent_id is None:
        return
    parent = await _item(conn, ctx, parent_id)
    if parent.id == item_id:
        raise Invalid("an agenda item cannot be its own sub-item")
    if parent.parent_id is not None:
        raise Invalid("a sub-item cannot have sub-items of its own")
    if item_id is not None:
        listed = await meetings.items(conn, ctx.meeting_id)
        if any(item.parent_id == item_id for item in listed):
            raise Conflict("an item with sub-items cannot become a sub-item")


async def _renumber(conn: Conn, ctx: Context) -> list[int]:
    """Store the agenda's order as the tree order: each main item followed by its sub-items."""
    order = [item.id for item in await meetings.items(conn, ctx.meeting_id)]
    await meetings.set_item_order(conn, order)
    return order


@action(
    "agenda.add",
    Permission.PREPARE_MEETING,
    parse=lambda payload: parse_item(payload, partial=False),
    changes=AGENDA,
    fields=ITEM_FIELDS,
)
async def add(conn: Conn, ctx: Context, item: dict[str, Any]) -> Outcome:
    if len(await meetings.items(conn, ctx.meeting_id)) >= ITEMS_MAX:
        raise Conflict("an agenda holds at most {limit} items", limit=ITEMS_MAX)
    await _check_parent(conn, ctx, item.get("parent_id"))
    item_id = await meetings.add_item(conn, ctx.meeting_id, item)
    await _renumber(conn, ctx)
    return Outcome(log={"item_id": item_id, **item}, result={"item_id": item_id})


def _parse_edit(payload: Payload) -> tuple[int, dict[str, Any]]:
    item_id = fields.identifier(payload, "item_id")
    rest = {key: value for key, value in payload.items() if key != "item_id"}
    return item_id, parse_item(rest, partial=True)


@action(
    "agenda.edit",
    Permission.PREPARE_MEETING,
    parse=_parse_edit,
    changes=AGENDA,
    fields=ITEM_ID + ITEM_FIELDS,
)
async def edit(conn: Conn, ctx: Context, params: tuple[int, dict[str, Any]]) -> Outcome:
    item_id, changes = params
    await _item(conn, ctx, item_id)
    if "parent_id" in changes:
        await _check_parent(conn, ctx, changes["parent_id"], item_id)
    await meetings.update_item(conn, item_id, changes)
    if "parent_id" in changes:
        await _renumber(conn, ctx)
    return Outcome(log={"item_id": item_id, **changes})


def _parse_move(payload: Payload) -> tuple[int, int]:
    item_id = fields.identifier(payload, "item_id")
    to = fields.integer(payload, "to", minimum=0, maximum=ITEMS_MAX)
    assert to is not None
    return item_id, to


@action(
    "agenda.move",
    Permission.PREPARE_MEETING,
    parse=_parse_move,
    changes=AGENDA,
    fields=fields.declare(item_id=fields.Kind.ID, to=fields.Kind.INTEGER),
)
async def move(conn: Conn, ctx: Context, params: tuple[int, int]) -> Outcome:
    """Move an item to place ``to`` among its siblings (main items among main items, a
    sub-item among its main item's sub-items); a main item takes its sub-items along."""
    item_id, to = params
    await _item(conn, ctx, item_id)
    listed = await meetings.items(conn, ctx.meeting_id)
    moving = next(item for item in listed if item.id == item_id)
    siblings = [item.id for item in listed if item.parent_id == moving.parent_id]
    siblings.remove(item_id)
    siblings.insert(min(to, len(siblings)), item_id)
    place = {sibling: index for index, sibling in enumerate(siblings)}
    mains = [item for item in listed if item.parent_id is None]
    if moving.parent_id is None:
        mains.sort(key=lambda item: place[item.id])
    order = []
    for main in mains:
        children = [item for item in listed if item.parent_id == main.id]
        if main.id == moving.parent_id:
            children.sort(key=lambda item: place[item.id])
        order += [main.id, *(child.id for child in children)]
    if order == [item.id for item in listed]:
        return Outcome(record=False)
    await meetings.set_item_order(conn, order)
    return Outcome(log={"item_id": item_id, "order": order})


def _parse_item_id(payload: Payload) -> int:
    return fields.identifier(payload, "item_id")


@action(
    "agenda.delete",
    Permission.PREPARE_MEETING,
    parse=_parse_item_id,
    changes=AGENDA,
    fields=ITEM_ID,
)
async def delete(conn: Conn, ctx: Context, item_id: int) -> Outcome:
    item = await _item(conn, ctx, item_id)
    assert ctx.meeting is not None
    if ctx.meeting.current_item_id == item_id:
        raise Conflict("the current agenda item cannot be deleted")
    if any(entry.parent_id == item_id for entry in await meetings.items(conn, ctx.meeting_id)):
        raise Conflict("delete or move its sub-items first")
    await meetings.delete_item(conn, item_id)
    remaining = [entry.id for entry in await meetings.items(conn, ctx.meeting_id)]
    await meetings.set_item_order(conn, remaining)
    return Outcome(log={"item_id": item_id, "title": item.title})


async def _go(conn: Conn, ctx: Context, target: AgendaItem) -> Outcome:
    assert ctx.meeting is not None
    if ctx.meeting.status is not MeetingStatus.LIVE:
        raise Conflict("the meeting is not in session")
    if ctx.meeting.current_item_id == target.id:
        raise Conflict("that agenda item is already current")
    ended = await end_any_speech(conn, ctx)
    await meetings.set_current_item(conn, ctx.meeting_id, target.id)
    log = {
        "from_item_id": ctx.meeting.current_item_id,
        "item_id": target.id,
        "ended_speech": ended,
    }
    moved = (ctx.meeting.current_item_id, target.id)  # the items whose "now" mark moved
    items = frozenset(item_id for item_id in moved if item_id is not None)
    return Outcome(log=log, result={"item_id": target.id}, items=items)


async def _neighbour(conn: Conn, ctx: Context, step: int) -> AgendaItem:
    """The next or previous item the chair steps to: a heading (a main item that only
    groups sub-items) is skipped; ``agenda.goto`` may still land on it."""
    assert ctx.meeting is not None
    items = await meetings.items(conn, ctx.meeting_id)
    ids = [item.id for item in items]
    current = ctx.meeting.current_item_id
    if current in ids:
        index = ids.index(current)
        ahead = items[index + 1 :] if step > 0 else list(reversed(items[:index]))
    else:
        ahead = items if step > 0 else []
    for item in ahead:
        if not item.heading:
            return item
    if step > 0:
        raise Conflict("there is no next agenda item")
    raise Conflict("there is no previous agenda item")


def _parse_expected(payload: Payload) -> int | None:
    # Optional guard against a stale tablet: the item the chair believes is current.
    return fields.optional_id(payload, "from_item_id")


def _check_expected(ctx: Context, expected: int | None) -> None:
    assert ctx.meeting is not None
    if expected is not None and expected != ctx.meeting.current_item_id:
        raise Conflict("the agenda has moved on since this page was loaded")


EXPECTED = fields.declare(from_item_id=fields.Kind.ID)


@action("agenda.next", Permission.RUN_MEETING, parse=_parse_expected, changes=MOVE, fields=EXPECTED)
async def next_item(conn: Conn, ctx: Context, expected: int | None) -> Outcome:
    _check_expected(ctx, expected)
    return await _go(conn, ctx, await _neighbour(conn, ctx, +1))


@action("agenda.prev", Permission.RUN_MEETING, parse=_parse_expected, changes=MOVE, fields=EXPECTED)
async def previous_item(conn: Conn, ctx: Context, expected: int | None) -> Outcome:
    _check_expected(ctx, expected)
    return await _go(conn, ctx, await _neighbour(conn, ctx, -1))


@action("agenda.goto", Permission.RUN_MEETING, parse=_parse_item_id, changes=MOVE, fields=ITEM_ID)
async def goto(conn: Conn, ctx: Context, item_id: int) -> Outcome:
    return await _go(conn, ctx, await _item(conn, ctx, item_id))
