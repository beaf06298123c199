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
    item_id = await meetings.add_item(conn, ctx.meeting_id, item)
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
    await meetings.update_item(conn, item_id, changes)
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
    item_id, to = params
    await _item(conn, ctx, item_id)
    order = [item.id for item in await meetings.items(conn, ctx.meeting_id)]
    before = list(order)
    order.remove(item_id)
    order.insert(min(to, len(order)), item_id)
    if order == before:
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
    assert ctx.meeting is not None
    items = await meetings.items(conn, ctx.meeting_id)
    ids = [item.id for item in items]
    current = ctx.meeting.current_item_id
    index = ids.index(current) + step if current in ids else 0
    if index >= len(items):
        raise Conflict("there is no next agenda item")
    if index < 0:
        raise Conflict("there is no previous agenda item")
    return items[index]


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
