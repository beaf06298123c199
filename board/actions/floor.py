"""The floor: requests, grants, speeches, the list and the speaking timer."""

from __future__ import annotations

from typing import Any

from board.actions import fields
from board.actions.errors import Conflict, Forbidden, NotFound
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, action
from board.changes import Aspect
from board.models import AgendaItem, FloorRequest, MeetingStatus, RequestKind, RequestStatus
from board.store import floor, meetings, minutes
from board.store.db import Conn

FLOOR = {Aspect.FLOOR}
SPEECH = {Aspect.FLOOR, Aspect.SPEECHES}
EXTEND_MAX = 1800
REQUEST_ID = fields.declare(request_id=fields.Kind.ID)


async def _live_item(conn: Conn, ctx: Context) -> AgendaItem:
    assert ctx.meeting is not None
    if ctx.meeting.status is not MeetingStatus.LIVE:
        raise Conflict("the meeting is not in session")
    if ctx.meeting.current_item_id is None:
        raise Conflict("no agenda item is current")
    item = await meetings.get_item(conn, ctx.meeting.current_item_id)
    assert item is not None
    return item


async def _queued(conn: Conn, ctx: Context, request_id: int) -> FloorRequest:
    request = await floor.get_request(conn, request_id)
    if request is None or request.meeting_id != ctx.meeting_id:
        raise NotFound("request {request_id} does not exist in this meeting", request_id=request_id)
    if request.status is not RequestStatus.QUEUED:
        raise Conflict(
            "request {request_id} is no longer in the queue ({status})",
            request_id=request_id,
            status=request.status.value,
        )
    return request


def _parse_request(payload: Payload) -> RequestKind:
    return fields.choice(payload, "kind", RequestKind, RequestKind.ORDINARY)


@action(
    "floor.request",
    Permission.REQUEST_FLOOR,
    parse=_parse_request,
    changes=FLOOR,
    fields=(fields.one_of("kind", RequestKind),),
)
async def request(conn: Conn, ctx: Context, kind: RequestKind) -> Outcome:
    item = await _live_item(conn, ctx)
    if item.list_closed and kind is not RequestKind.POINT_OF_ORDER:
        raise Conflict("the list of speakers for this item is closed")
    if await floor.open_request_of(conn, item.id, ctx.actor.id) is not None:
        raise Conflict("you have already asked for the floor on this item")
    request_id = await floor.add_request(conn, ctx.meeting_id, item.id, ctx.actor.id, kind)
    log = {"request_id": request_id, "item_id": item.id, "person_id": ctx.actor.id}
    return Outcome(log={**log, "kind": kind.value}, result={"request_id": request_id})


def _parse_optional_request(payload: Payload) -> int | None:
    return fields.optional_id(payload, "request_id")


@action(
    "floor.withdraw",
    Permission.REQUEST_FLOOR,
    parse=_parse_optional_request,
    changes=FLOOR,
    fields=REQUEST_ID,
)
async def withdraw(conn: Conn, ctx: Context, request_id: int | None) -> Outcome:
    if request_id is None:
        item = await _live_item(conn, ctx)
        own = await floor.open_request_of(conn, item.id, ctx.actor.id)
        if own is None or own.status is not RequestStatus.QUEUED:
            raise Conflict("you have no request waiting on this item")
        request_id = own.id
    found = await _queued(conn, ctx, request_id)
    if found.person.id != ctx.actor.id:
        raise Forbidden("you can only withdraw your own request")
    await floor.set_status(conn, found.id, RequestStatus.WITHDRAWN)
    return Outcome(log={"request_id": found.id, "item_id": found.item_id})


async def _nobody_speaking(conn: Conn, ctx: Context) -> None:
    current = await floor.speaking(conn, ctx.meeting_id)
    if current is not None:
        raise Conflict(
            "{speaker} has the floor: end that speech first", speaker=current.person.name
        )


async def _give(conn: Conn, ctx: Context, item: AgendaItem, chosen: FloorRequest) -> Outcome:
    """Give the floor: the speech starts now, timed, and is a statement entry of the
    minutes from this moment."""
    assert ctx.meeting is not None
    limit = item.speech_limit_seconds or ctx.meeting.speech_limit_seconds
    await floor.grant(conn, chosen.id, limit, ctx.at)
    statement_id = await minutes.record_speech(
        conn, ctx.meeting_id, chosen.id, item.id, chosen.person, ctx.at
    )
    log = {
        "request_id": chosen.id,
        "item_id": item.id,
        "person_id": chosen.person.id,
        "kind": chosen.kind.value,
        "started_at": ctx.at,
        "limit_seconds": limit,
    }
    return Outcome(log=log, result={"request_id": chosen.id, "statement_id": statement_id})


@action(
    "floor.grant",
    Permission.MANAGE_FLOOR,
    parse=_parse_optional_request,
    changes=SPEECH,
    fields=REQUEST_ID,
)
async def grant(conn: Conn, ctx: Context, request_id: int | None) -> Outcome:
    item = await _live_item(conn, ctx)
    await _nobody_speaking(conn, ctx)
    if request_id is None:
        waiting = await floor.queue(conn, item.id)
        if not waiting:
            raise Conflict("nobody is waiting for the floor")
        chosen = waiting[0]
    else:
        chosen = await _queued(conn, ctx, request_id)
        if chosen.item_id != item.id:
            raise Conflict("that request is for another agenda item")
    return await _give(conn, ctx, item, chosen)


@action("floor.take", Permission.MANAGE_FLOOR, changes=SPEECH)
async def take(conn: Conn, ctx: Context, _: None) -> Outcome:
    """The chair takes the floor for their own remarks (opening words, a summing-up): a
    speech like anyone's, with no place in the queue and whether the list is closed or not."""
    item = await _live_item(conn, ctx)
    await _nobody_speaking(conn, ctx)
    request_id = await floor.add_request(
        conn, ctx.meeting_id, item.id, ctx.actor.id, RequestKind.ORDINARY
    )
    chosen = await floor.get_request(conn, request_id)
    assert chosen is not None
    return await _give(conn, ctx, item, chosen)


@action(
    "floor.end",
    Permission.MANAGE_FLOOR,
    parse=_parse_optional_request,
    changes=SPEECH,
    fields=REQUEST_ID,
)
async def end(conn: Conn, ctx: Context, request_id: int | None) -> Outcome:
    current = await floor.speaking(conn, ctx.meeting_id)
    if current is None:
        raise Conflict("nobody has the floor")
    if request_id is not None and request_id != current.id:
        raise Conflict(
            "request {request_id} is not the current speech; it has already ended",
            request_id=request_id,
        )
    await end_speech(conn, ctx, current)
    return Outcome(log=_speech_log(current, ctx.at))


def _speech_log(speech: FloorRequest, ended_at: str) -> dict[str, Any]:
    return {
        "request_id": speech.id,
        "item_id": speech.item_id,
        "person_id": speech.person.id,
        "started_at": speech.granted_at,
        "ended_at": ended_at,
    }


async def end_speech(conn: Conn, ctx: Context, speech: FloorRequest) -> None:
    await floor.end(conn, speech.id, ctx.at)
    await minutes.end_speech(conn, speech.id, ctx.at)


async def end_any_speech(conn: Conn, ctx: Context) -> dict[str, Any] | None:
    """End the current speech, if any, as part of a larger action; return its log."""
    current = await floor.speaking(conn, ctx.meeting_id)
    if current is None:
        return None
    await end_speech(conn, ctx, current)
    return _speech_log(current, ctx.at)


def _parse_reorder(payload: Payload) -> tuple[int, int] | list[int]:
    if "order" in payload:
        return fields.id_list(payload, "order")
    request_id = fields.identifier(payload, "request_id")
    to = fields.integer(payload, "to", minimum=0, maximum=10_000)
    assert to is not None
    return (request_id, to)


@action(
    "floor.reorder",
    Permission.MANAGE_FLOOR,
    parse=_parse_reorder,
    changes=FLOOR,
    fields=fields.declare(
        order=fields.Kind.ID_LIST, request_id=fields.Kind.ID, to=fields.Kind.INTEGER
    ),
)
async def reorder(conn: Conn, ctx: Context, move: tuple[int, int] | list[int]) -> Outcome:
    item = await _live_item(conn, ctx)
    current = [entry.id for entry in await floor.queue(conn, item.id)]
    if isinstance(move, list):
        if sorted(move) != sorted(current):
            raise Conflict("the queue has changed: reload and try again")
        order = move
    else:
        request_id, to = move
        if request_id not in current:
            await _queued(conn, ctx, request_id)  # 404 or 409 with the reason
            raise Conflict("that request is for another agenda item")
        order = [entry for entry in current if entry != request_id]
        order.insert(min(to, len(order)), request_id)
    if order == current:
        return Outcome(record=False)
    await floor.set_order(conn, order)
    return Outcome(log={"item_id": item.id, "order": order})


def _parse_request_id(payload: Payload) -> int:
    return fields.identifier(payload, "request_id")


@action(
    "floor.remove",
    Permission.MANAGE_FLOOR,
    parse=_parse_request_id,
    changes=FLOOR,
    fields=REQUEST_ID,
)
async def remove(conn: Conn, ctx: Context, request_id: int) -> Outcome:
    found = await _queued(conn, ctx, request_id)
    await floor.set_status(conn, found.id, RequestStatus.REMOVED)
    return Outcome(log={"request_id": found.id, "item_id": found.item_id})


@action("floor.close", Permission.MANAGE_FLOOR, changes=FLOOR)
async def close(conn: Conn, ctx: Context, _: None) -> Outcome:
    item = await _live_item(conn, ctx)
    if item.list_closed:
        raise Conflict("the list of speakers is already closed")
    await meetings.set_list_closed(conn, item.id, True)
    return Outcome(log={"item_id": item.id})


@action("floor.open", Permission.MANAGE_FLOOR, changes=FLOOR)
async def reopen(conn: Conn, ctx: Context, _: None) -> Outcome:
    item = await _live_item(conn, ctx)
    if not item.list_closed:
        raise Conflict("the list of speakers is already open")
    await meetings.set_list_closed(conn, item.id, False)
    return Outcome(log={"item_id": item.id})


def _parse_extend(payload: Payload) -> tuple[int, int | None]:
    seconds = fields.integer(
        payload, "seconds", minimum=10, maximum=EXTEND_MAX, default=60, required=False
    )
    assert seconds is not None
    return seconds, fields.optional_id(payload, "request_id")


@action(
    "timer.extend",
    Permission.MANAGE_FLOOR,
    parse=_parse_extend,
    changes=FLOOR,
    fields=fields.declare(seconds=fields.Kind.INTEGER, request_id=fields.Kind.ID),
)
async def extend(conn: Conn, ctx: Context, params: tuple[int, int | None]) -> Outcome:
    seconds, request_id = params
    current = await floor.speaking(conn, ctx.meeting_id)
    if current is None:
        raise Conflict("nobody has the floor")
    if request_id is not None and request_id != current.id:
        raise Conflict("request {request_id} is not the current speech", request_id=request_id)
    await floor.extend(conn, current.id, seconds)
    return Outcome(log={"request_id": current.id, "seconds": seconds})
