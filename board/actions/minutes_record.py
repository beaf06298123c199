"""The rest of the record: the kind and header of the minutes, the outline of items,
attendance corrections, decisions (決定事項) and action items (対応事項)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from board.actions import fields
from board.actions.errors import Invalid, NotFound
from board.actions.minutes import MINUTES, item_of, open_draft, person_of
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, action
from board.minutes.model import MinutesKind
from board.store import meetings, search
from board.store import minutes as store
from board.store.db import Conn

MATERIALS_MAX = 50
ITEM_ID = fields.declare(item_id=fields.Kind.ID)
DECISION_ID = fields.declare(decision_id=fields.Kind.ID)
TASK_ID = fields.declare(action_item_id=fields.Kind.ID)
TASK = fields.declare(
    what=fields.Kind.MULTILINE, department=fields.Kind.TEXT, due_date=fields.Kind.DATE
)


def _materials(payload: Payload) -> list[str] | None:
    value = payload.get("materials")
    if isinstance(value, str):
        value = value.splitlines()
    if value is None or value == []:
        return None
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        raise Invalid("materials must be a list of lines")
    lines = [fields.text({"materials": line}, "materials") for line in value if line.strip()]
    if len(lines) > MATERIALS_MAX:
        raise Invalid("materials lists at most {limit} lines", limit=MATERIALS_MAX)
    return lines or None


def _parse_header(payload: Payload) -> dict[str, Any]:
    def optional(name: str, max_len: int = fields.TITLE_MAX) -> Callable[[], str | None]:
        return lambda: fields.text(payload, name, max_len=max_len, required=False) or None

    def clock(name: str) -> Callable[[], str | None]:
        return lambda: fields.clock(payload, name, required=False) or None

    readers: dict[str, Callable[[], Any]] = {
        "kind": lambda: fields.choice(payload, "kind", MinutesKind).value,
        "title": optional("title"),
        "opened": clock("opened"),
        "closed": clock("closed"),
        "place": optional("place"),
        "observers": lambda: fields.integer(
            payload, "observers", minimum=0, maximum=100_000, required=False
        ),
        "materials": lambda: _materials(payload),
        "omitted_mark": optional("omitted_mark", fields.NAME_MAX),
    }
    changes = {name: read() for name, read in readers.items() if name in payload}
    if not changes:
        raise Invalid("nothing to change: give at least one field")
    return changes


@action(
    "minutes.header",
    Permission.EDIT_MINUTES,
    parse=_parse_header,
    changes=MINUTES,
    fields=(
        fields.one_of("kind", MinutesKind),
        *fields.declare(
            title=fields.Kind.TEXT,
            opened=fields.Kind.CLOCK,
            closed=fields.Kind.CLOCK,
            place=fields.Kind.TEXT,
            observers=fields.Kind.INTEGER,
            materials=fields.Kind.LINES,
            omitted_mark=fields.Kind.TEXT,
        ),
    ),
)
async def header(conn: Conn, ctx: Context, changes: dict[str, Any]) -> Outcome:
    """The kind of minutes and the header; an empty field goes back to what the meeting
    and the floor log say."""
    await open_draft(conn, ctx)
    await store.update_header(conn, ctx.meeting_id, changes)
    return Outcome(log={"fields": sorted(changes), "kind": changes.get("kind")})


def _parse_omit(payload: Payload) -> tuple[list[int], bool]:
    return fields.id_list(payload, "item_ids"), fields.boolean(payload, "omitted", default=True)


@action(
    "minutes.omit",
    Permission.EDIT_MINUTES,
    parse=_parse_omit,
    changes=MINUTES,
    fields=fields.declare(item_ids=fields.Kind.ID_LIST, omitted=fields.Kind.BOOLEAN),
)
async def omit(conn: Conn, ctx: Context, params: tuple[list[int], bool]) -> Outcome:
    """Omit whole agenda items (one, or a run of them) from an excerpt (抄), or take them
    back: the excerpt marks them (※省略) and leaves out what was said under them."""
    item_ids, omitted = params
    await open_draft(conn, ctx)
    for item_id in item_ids:
        await item_of(conn, ctx, item_id)
    current = set((await store.get(conn, ctx.meeting_id)).omitted_items)
    wanted = current | set(item_ids) if omitted else current - set(item_ids)
    if wanted == current:
        return Outcome(record=False)
    order = [item.id for item in await meetings.items(conn, ctx.meeting_id)]
    await store.set_omitted(conn, ctx.meeting_id, [i for i in order if i in wanted])
    return Outcome(log={"item_ids": item_ids, "omitted": omitted})


def _parse_outline(payload: Payload) -> tuple[int, int]:
    item_id = fields.identifier(payload, "item_id")
    level = fields.integer(payload, "level", minimum=1, maximum=2)
    assert level is not None
    return item_id, level


@action(
    "minutes.outline",
    Permission.EDIT_MINUTES,
    parse=_parse_outline,
    changes=MINUTES,
    fields=ITEM_ID + fields.declare(level=fields.Kind.INTEGER),
)
async def outline(conn: Conn, ctx: Context, params: tuple[int, int]) -> Outcome:
    """Make an agenda item a sub-item ((1) (2) under the item before it) or a main item."""
    item_id, level = params
    await open_draft(conn, ctx)
    await item_of(conn, ctx, item_id)
    await store.set_level(conn, ctx.meeting_id, item_id, level)
    return Outcome(log={"item_id": item_id, "level": level})


def _parse_attendance(payload: Payload) -> tuple[int, bool, bool | None]:
    person_id = fields.identifier(payload, "person_id")
    online = None if payload.get("online") in (None, "") else fields.boolean(payload, "online")
    return person_id, fields.boolean(payload, "present", default=True), online


@action(
    "minutes.attendance",
    Permission.EDIT_MINUTES,
    parse=_parse_attendance,
    changes=MINUTES,
    fields=fields.declare(
        person_id=fields.Kind.ID, present=fields.Kind.BOOLEAN, online=fields.Kind.BOOLEAN
    ),
)
async def attendance(conn: Conn, ctx: Context, params: tuple[int, bool, bool | None]) -> Outcome:
    """Correct the attendance the live room recorded (someone came without a device, or
    took part online and said otherwise)."""
    person_id, present, online = params
    await open_draft(conn, ctx)
    await person_of(conn, ctx, person_id)
    await store.set_attendance(conn, ctx.meeting_id, person_id, present, online)
    return Outcome(log={"person_id": person_id, "present": present, "online": online})


# Decisions (決定事項) and action items (対応事項) -------------------------------------------


def _parse_decision(payload: Payload) -> tuple[int, str]:
    item_id = fields.identifier(payload, "item_id")
    return item_id, fields.text(payload, "text", max_len=fields.TEXT_MAX, multiline=True)


@action(
    "minutes.add_decision",
    Permission.EDIT_MINUTES,
    parse=_parse_decision,
    changes=MINUTES,
    fields=ITEM_ID + fields.declare(text=fields.Kind.MULTILINE),
)
async def add_decision(conn: Conn, ctx: Context, params: tuple[int, str]) -> Outcome:
    item_id, text = params
    await open_draft(conn, ctx)
    await item_of(conn, ctx, item_id)
    decision_id = await store.add_decision(conn, ctx.meeting_id, item_id, text)
    await search.put_decision(conn, ctx.body_id, ctx.meeting_id, decision_id, item_id, text)
    log = {"decision_id": decision_id, "item_id": item_id}
    return Outcome(log=log, result={"decision_id": decision_id})


def _parse_decision_edit(payload: Payload) -> tuple[int, str]:
    decision_id = fields.identifier(payload, "decision_id")
    return decision_id, fields.text(payload, "text", max_len=fields.TEXT_MAX, multiline=True)


async def _decision_of(conn: Conn, ctx: Context, decision_id: int) -> int:
    found = await store.get_decision(conn, decision_id)
    if found is None or found.meeting_id != ctx.meeting_id:
        raise NotFound("decision {decision_id} does not exist", decision_id=decision_id)
    return found.item_id


@action(
    "minutes.edit_decision",
    Permission.EDIT_MINUTES,
    parse=_parse_decision_edit,
    changes=MINUTES,
    fields=DECISION_ID + fields.declare(text=fields.Kind.MULTILINE),
)
async def edit_decision(conn: Conn, ctx: Context, params: tuple[int, str]) -> Outcome:
    decision_id, text = params
    await open_draft(conn, ctx)
    item_id = await _decision_of(conn, ctx, decision_id)
    await store.update_decision(conn, decision_id, text)
    await search.put_decision(conn, ctx.body_id, ctx.meeting_id, decision_id, item_id, text)
    return Outcome(log={"decision_id": decision_id})


def _parse_decision_id(payload: Payload) -> int:
    return fields.identifier(payload, "decision_id")


@action(
    "minutes.remove_decision",
    Permission.EDIT_MINUTES,
    parse=_parse_decision_id,
    changes=MINUTES,
    fields=DECISION_ID,
)
async def remove_decision(conn: Conn, ctx: Context, decision_id: int) -> Outcome:
    await open_draft(conn, ctx)
    await _decision_of(conn, ctx, decision_id)
    await store.delete_decision(conn, decision_id)
    await search.remove(conn, search.Kind.DECISION, decision_id)
    return Outcome(log={"decision_id": decision_id})


def _task_readers(payload: Payload) -> dict[str, Callable[[], Any]]:
    return {
        "what": lambda: fields.text(payload, "what", max_len=fields.TEXT_MAX, multiline=True),
        "department": lambda: fields.text(
            payload, "department", max_len=fields.NAME_MAX, required=False
        ),
        "due_date": lambda: fields.date(payload, "due_date", required=False) or None,
    }


def _parse_task(payload: Payload) -> tuple[int, dict[str, Any]]:
    item_id = fields.identifier(payload, "item_id")
    return item_id, {name: read() for name, read in _task_readers(payload).items()}


def _task_text(task: dict[str, Any]) -> str:
    return " ".join(part for part in (task.get("what"), task.get("department")) if part)


@action(
    "minutes.add_action_item",
    Permission.EDIT_MINUTES,
    parse=_parse_task,
    changes=MINUTES,
    fields=ITEM_ID + TASK,
)
async def add_action_item(conn: Conn, ctx: Context, params: tuple[int, dict[str, Any]]) -> Outcome:
    """What is to be done, by which department, by when."""
    item_id, task = params
    await open_draft(conn, ctx)
    await item_of(conn, ctx, item_id)
    task_id = await store.add_action_item(conn, ctx.meeting_id, item_id, task)
    await search.put_action_item(
        conn, ctx.body_id, ctx.meeting_id, task_id, item_id, _task_text(task)
    )
    log = {"action_item_id": task_id, "item_id": item_id, "due_date": task["due_date"]}
    return Outcome(log=log, result={"action_item_id": task_id})


def _parse_task_edit(payload: Payload) -> tuple[int, dict[str, Any]]:
    task_id = fields.identifier(payload, "action_item_id")
    readers = _task_readers(payload)
    changes = {name: read() for name, read in readers.items() if name in payload}
    if not changes:
        raise Invalid("nothing to change: give at least one field")
    return task_id, changes


async def _task_of(conn: Conn, ctx: Context, task_id: int) -> dict[str, Any]:
    found = await store.get_action_item(conn, task_id)
    if found is None or found.meeting_id != ctx.meeting_id:
        raise NotFound("action item {action_item_id} does not exist", action_item_id=task_id)
    return {"what": found.what, "department": found.department, "item_id": found.item_id}


@action(
    "minutes.edit_action_item",
    Permission.EDIT_MINUTES,
    parse=_parse_task_edit,
    changes=MINUTES,
    fields=TASK_ID + TASK,
)
async def edit_action_item(conn: Conn, ctx: Context, params: tuple[int, dict[str, Any]]) -> Outcome:
    task_id, changes = params
    await open_draft(conn, ctx)
    task = await _task_of(conn, ctx, task_id)
    await store.update_action_item(conn, task_id, changes)
    task.update(changes)
    await search.put_action_item(
        conn, ctx.body_id, ctx.meeting_id, task_id, task["item_id"], _task_text(task)
    )
    return Outcome(log={"action_item_id": task_id, "fields": sorted(changes)})


def _parse_task_id(payload: Payload) -> int:
    return fields.identifier(payload, "action_item_id")


@action(
    "minutes.remove_action_item",
    Permission.EDIT_MINUTES,
    parse=_parse_task_id,
    changes=MINUTES,
    fields=TASK_ID,
)
async def remove_action_item(conn: Conn, ctx: Context, task_id: int) -> Outcome:
    await open_draft(conn, ctx)
    await _task_of(conn, ctx, task_id)
    await store.delete_action_item(conn, task_id)
    await search.remove(conn, search.Kind.ACTION_ITEM, task_id)
    return Outcome(log={"action_item_id": task_id})
