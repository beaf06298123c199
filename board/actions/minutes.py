"""The secretariat's edits to the statement entries of the minutes. Each edit is refused
once the draft is with the chair or finalized (a correction is a new revision, see
``minutes_flow``); the header, outline, decisions and action items are in ``minutes_record``.

The event log records which entry changed and which fields, never the text: the log is
readable by every participant, the draft and non-public statements are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from board import timeutil
from board.actions import fields
from board.actions.errors import Conflict, Invalid, NotFound
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, action
from board.changes import Aspect
from board.minutes.model import Minutes, MinutesStatus, Statement
from board.models import AgendaItem, MeetingStatus, Person, Role
from board.store import meetings, people, search
from board.store import minutes as store
from board.store.db import Conn

MINUTES = {Aspect.MINUTES}
STATEMENT_MAX = 20_000
REASON_MAX = 200
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")
STATEMENT_ID = fields.declare(statement_id=fields.Kind.ID)
SPEAKER = (
    *fields.declare(person_id=fields.Kind.ID, speaker_name=fields.Kind.TEXT),
    fields.one_of("speaker_role", Role),
    *fields.declare(
        speaker_title=fields.Kind.TEXT,
        speaker_position=fields.Kind.TEXT,
        text=fields.Kind.MULTILINE,
        started_at=fields.Kind.MOMENT,
        ended_at=fields.Kind.MOMENT,
    ),
)


async def open_draft(conn: Conn, ctx: Context) -> Minutes:
    """The minutes, if the secretariat may edit them now."""
    assert ctx.meeting is not None
    if ctx.meeting.status not in (MeetingStatus.LIVE, MeetingStatus.ADJOURNED):
        raise Conflict("the minutes open when the meeting starts")
    found = await store.get(conn, ctx.meeting_id)
    if found.status is MinutesStatus.SUBMITTED:
        raise Conflict("the minutes are with the chair for approval: recall them first")
    if found.status is MinutesStatus.FINALIZED:
        raise Conflict("finalized minutes cannot be changed: make a new revision")
    await store.ensure(conn, ctx.meeting_id)
    return found


async def _statement(conn: Conn, ctx: Context, statement_id: int) -> Statement:
    found = await store.get_statement(conn, statement_id)
    if found is None or found.meeting_id != ctx.meeting_id:
        raise NotFound(
            "statement {statement_id} does not exist in these minutes", statement_id=statement_id
        )
    return found


async def _kept(conn: Conn, ctx: Context, statement_id: int) -> Statement:
    found = await _statement(conn, ctx, statement_id)
    if found.removed_at is not None:
        raise Conflict("statement {statement_id} has been removed", statement_id=statement_id)
    return found


async def item_of(conn: Conn, ctx: Context, item_id: int) -> AgendaItem:
    item = await meetings.get_item(conn, item_id)
    if item is None or item.meeting_id != ctx.meeting_id:
        raise NotFound("agenda item {item_id} does not exist in this meeting", item_id=item_id)
    return item


async def person_of(conn: Conn, ctx: Context, person_id: int) -> Person:
    person = await people.get_person(conn, person_id)
    if person is None or person.body_id != ctx.body_id:
        raise NotFound("person {person_id} does not exist in this body", person_id=person_id)
    return person


async def _reindex(conn: Conn, ctx: Context, statement_id: int) -> None:
    assert ctx.body is not None
    found = await store.get_statement(conn, statement_id)
    assert found is not None
    await search.put_statement(conn, ctx.body, found)


def _moment(payload: Payload, name: str) -> str:
    """A time as HH:MM on the meeting's day, or an ISO 8601 instant; '' clears it."""
    value = fields.text(payload, name, max_len=40, required=False)
    if not value or _CLOCK.match(value):
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise Invalid("{name} must be a time like 14:05 or 2026-11-26T14:05:00+09:00", name=name)
    fields.within_years(parsed, name)
    return value


def _instant(value: str, day: str) -> str | None:
    """The stored form of a time: an ISO 8601 instant in UTC (HH:MM[:SS] is local time on
    the meeting's day)."""
    if not value:
        return None
    if _CLOCK.match(value):
        local = datetime.combine(date.fromisoformat(day), time.fromisoformat(value))
        return timeutil.iso(timeutil.local(local).astimezone(UTC))
    return timeutil.iso(timeutil.parse(value).astimezone(UTC))


def _same_time(value: str, stored: str | None) -> bool:
    """A form sends back the time it showed (to the second): that is no change."""
    if stored is None or not _CLOCK.match(value):
        return False
    shown = timeutil.local(timeutil.parse(stored)).strftime("%H:%M:%S")
    return shown.startswith(value) if len(value) == 5 else shown == value


def _speaker_fields(payload: Payload) -> dict[str, Callable[[], Any]]:
    return {
        "person_id": lambda: fields.optional_id(payload, "person_id"),
        "speaker_name": lambda: fields.text(
            payload, "speaker_name", max_len=fields.NAME_MAX, required=False
        ),
        "speaker_role": lambda: fields.choice(payload, "speaker_role", Role, Role.MEMBER).value,
        "speaker_title": lambda: fields.text(
            payload, "speaker_title", max_len=fields.NAME_MAX, required=False
        ),
        "speaker_position": lambda: fields.text(
            payload, "speaker_position", max_len=fields.TITLE_MAX, required=False
        ),
        "text": lambda: fields.text(
            payload, "text", max_len=STATEMENT_MAX, required=False, multiline=True
        ),
        "started_at": lambda: _moment(payload, "started_at"),
        "ended_at": lambda: _moment(payload, "ended_at"),
    }


async def _resolve(
    conn: Conn, ctx: Context, changes: dict[str, Any], existing: Statement | None = None
) -> dict[str, Any]:
    """Turn a person into the speaker's name, role and post; times into instants (a time
    sent back unchanged keeps the floor log's exact instant)."""
    assert ctx.meeting is not None
    resolved = dict(changes)
    if resolved.get("person_id"):
        person = await person_of(conn, ctx, resolved["person_id"])
        resolved.setdefault("speaker_name", person.name)
        resolved.setdefault("speaker_role", person.role.value)
        resolved.setdefault("speaker_position", person.affiliation)
    elif "person_id" in resolved:
        resolved["person_id"] = None
    for name in ("started_at", "ended_at"):
        if name not in resolved:
            continue
        stored = getattr(existing, name) if existing is not None else None
        if _same_time(resolved[name], stored):
            del resolved[name]
        else:
            resolved[name] = _instant(resolved[name], ctx.meeting.date)
    return resolved


def _parse_edit(payload: Payload) -> tuple[int, dict[str, Any]]:
    statement_id = fields.identifier(payload, "statement_id")
    readers = _speaker_fields(payload)
    readers["item_id"] = lambda: fields.identifier(payload, "item_id")
    changes = {name: read() for name, read in readers.items() if name in payload}
    if not changes:
        raise Invalid("nothing to change: give at least one field")
    return statement_id, changes


@action(
    "minutes.edit",
    Permission.EDIT_MINUTES,
    parse=_parse_edit,
    changes=MINUTES,
    fields=STATEMENT_ID + SPEAKER + fields.declare(item_id=fields.Kind.ID),
)
async def edit(conn: Conn, ctx: Context, params: tuple[int, dict[str, Any]]) -> Outcome:
    """Write an entry's summary (要点) or correct its speaker, item or times."""
    statement_id, changes = params
    await open_draft(conn, ctx)
    found = await _kept(conn, ctx, statement_id)
    resolved = await _resolve(conn, ctx, changes, found)
    if "item_id" in resolved and resolved["item_id"] != found.item_id:
        await item_of(conn, ctx, resolved["item_id"])
        resolved["position"] = await store.next_position(conn, ctx.meeting_id)
    await store.update_statement(conn, statement_id, resolved)
    await _reindex(conn, ctx, statement_id)
    return Outcome(log={"statement_id": statement_id, "fields": sorted(changes)})


def _parse_add(payload: Payload) -> dict[str, Any]:
    readers = _speaker_fields(payload)
    added = {name: read() for name, read in readers.items() if name in payload}
    added["item_id"] = fields.identifier(payload, "item_id")
    added["after_id"] = fields.optional_id(payload, "after_id")
    if not added.get("person_id") and "speaker_role" not in added:
        raise Invalid("give person_id or speaker_role")
    return added


@action(
    "minutes.add",
    Permission.EDIT_MINUTES,
    parse=_parse_add,
    changes=MINUTES,
    fields=SPEAKER + fields.declare(item_id=fields.Kind.ID, after_id=fields.Kind.ID),
)
async def add(conn: Conn, ctx: Context, added: dict[str, Any]) -> Outcome:
    """A statement that did not go through the queue: opening remarks, an explanation.
    It goes after ``after_id``, or last under its item."""
    await open_draft(conn, ctx)
    item = await item_of(conn, ctx, added["item_id"])
    after_id = added.pop("after_id")
    if after_id is not None and (await _kept(conn, ctx, after_id)).item_id != item.id:
        raise Conflict("after_id is a statement of another agenda item")
    resolved = await _resolve(conn, ctx, added)
    resolved["position"] = await store.next_position(conn, ctx.meeting_id)
    statement_id = await store.add_statement(conn, ctx.meeting_id, resolved)
    others = [s for s in await store.statements(conn, ctx.meeting_id) if s.id != statement_id]
    order = [s.id for s in others]
    if after_id is not None:
        place = order.index(after_id) + 1
    else:
        same_item = [index for index, s in enumerate(others) if s.item_id == item.id]
        place = same_item[-1] + 1 if same_item else len(order)
    order.insert(place, statement_id)
    await store.set_positions(conn, [(sid, index + 1) for index, sid in enumerate(order)])
    await _reindex(conn, ctx, statement_id)
    log = {"statement_id": statement_id, "item_id": item.id, "fields": sorted(added)}
    return Outcome(log=log, result={"statement_id": statement_id})


def _parse_move(payload: Payload) -> tuple[int, int]:
    statement_id = fields.identifier(payload, "statement_id")
    to = fields.integer(payload, "to", minimum=0, maximum=10_000)
    assert to is not None
    return statement_id, to


@action(
    "minutes.move",
    Permission.EDIT_MINUTES,
    parse=_parse_move,
    changes=MINUTES,
    fields=STATEMENT_ID + fields.declare(to=fields.Kind.INTEGER),
)
async def move(conn: Conn, ctx: Context, params: tuple[int, int]) -> Outcome:
    """Reorder an entry among the entries of its item (``to`` is 0-based)."""
    statement_id, to = params
    await open_draft(conn, ctx)
    found = await _kept(conn, ctx, statement_id)
    kept = await store.statements(conn, ctx.meeting_id)
    of_item = [s for s in kept if s.item_id == found.item_id]
    before = [s.id for s in of_item]
    after = [sid for sid in before if sid != statement_id]
    after.insert(min(to, len(after)), statement_id)
    if after == before:
        return Outcome(record=False)
    slots = sorted(s.position for s in of_item)
    await store.set_positions(conn, list(zip(after, slots, strict=True)))
    return Outcome(log={"statement_id": statement_id, "item_id": found.item_id, "order": after})


def _reason(payload: Payload, *, required: bool = True) -> str:
    return fields.text(payload, "reason", max_len=REASON_MAX, required=required)


def _parse_merge(payload: Payload) -> tuple[int, int, str]:
    statement_id = fields.identifier(payload, "statement_id")
    into_id = fields.identifier(payload, "into_id")
    if statement_id == into_id:
        raise Invalid("a statement cannot be merged into itself")
    return statement_id, into_id, _reason(payload, required=False)


@action(
    "minutes.merge",
    Permission.EDIT_MINUTES,
    parse=_parse_merge,
    changes=MINUTES,
    fields=STATEMENT_ID + fields.declare(into_id=fields.Kind.ID, reason=fields.Kind.TEXT),
)
async def merge(conn: Conn, ctx: Context, params: tuple[int, int, str]) -> Outcome:
    """Join an entry into another of the same item (e.g. one speech given the floor twice).
    The texts are joined, the times widened; the merged entry is kept as removed. The
    result is non-public if either part was."""
    statement_id, into_id, reason = params
    await open_draft(conn, ctx)
    part = await _kept(conn, ctx, statement_id)
    whole = await _kept(conn, ctx, into_id)
    if part.item_id != whole.item_id:
        raise Conflict("only statements on the same agenda item can be merged")
    starts = [t for t in (whole.started_at, part.started_at) if t]
    ends = [t for t in (whole.ended_at, part.ended_at) if t]
    changes: dict[str, Any] = {
        "text": "\n".join(t for t in (whole.text, part.text) if t),
        "started_at": min(starts, key=timeutil.parse) if starts else None,
        "ended_at": max(ends, key=timeutil.parse) if ends else None,
    }
    if not part.public and whole.public:
        changes["public"] = False
        changes["non_public_reason"] = part.non_public_reason
    await store.update_statement(conn, into_id, changes)
    await store.remove_statement(conn, statement_id, ctx.at, reason or "merged", into_id)
    await _reindex(conn, ctx, into_id)
    await _reindex(conn, ctx, statement_id)
    return Outcome(log={"statement_id": statement_id, "into_id": into_id, "reason": reason})


def _parse_remove(payload: Payload) -> tuple[int, str]:
    return fields.identifier(payload, "statement_id"), _reason(payload)


@action(
    "minutes.remove",
    Permission.EDIT_MINUTES,
    parse=_parse_remove,
    changes=MINUTES,
    fields=STATEMENT_ID + fields.declare(reason=fields.Kind.TEXT),
)
async def remove(conn: Conn, ctx: Context, params: tuple[int, str]) -> Outcome:
    """Take an entry out of the minutes; it is kept, with the reason, and can be restored."""
    statement_id, reason = params
    await open_draft(conn, ctx)
    await _kept(conn, ctx, statement_id)
    await store.remove_statement(conn, statement_id, ctx.at, reason)
    await _reindex(conn, ctx, statement_id)
    return Outcome(log={"statement_id": statement_id, "reason": reason})


def _parse_statement_id(payload: Payload) -> int:
    return fields.identifier(payload, "statement_id")


@action(
    "minutes.restore",
    Permission.EDIT_MINUTES,
    parse=_parse_statement_id,
    changes=MINUTES,
    fields=STATEMENT_ID,
)
async def restore(conn: Conn, ctx: Context, statement_id: int) -> Outcome:
    await open_draft(conn, ctx)
    found = await _statement(conn, ctx, statement_id)
    if found.removed_at is None:
        raise Conflict("statement {statement_id} has not been removed", statement_id=statement_id)
    await store.restore_statement(conn, statement_id, found.position)
    await _reindex(conn, ctx, statement_id)
    return Outcome(log={"statement_id": statement_id})


def _parse_disclosure(payload: Payload) -> tuple[int, bool, str]:
    statement_id = fields.identifier(payload, "statement_id")
    public = fields.boolean(payload, "public", default=True)
    reason = _reason(payload, required=not public) if not public else ""
    return statement_id, public, reason


@action(
    "minutes.disclosure",
    Permission.EDIT_MINUTES,
    parse=_parse_disclosure,
    changes=MINUTES,
    fields=STATEMENT_ID + fields.declare(public=fields.Kind.BOOLEAN, reason=fields.Kind.TEXT),
)
async def disclosure(conn: Conn, ctx: Context, params: tuple[int, bool, str]) -> Outcome:
    """Mark an entry non-public (with the reason) or public again. The public copy omits a
    non-public statement; the original keeps it."""
    statement_id, public, reason = params
    await open_draft(conn, ctx)
    await _kept(conn, ctx, statement_id)
    changes = {"public": public, "non_public_reason": reason}
    await store.update_statement(conn, statement_id, changes)
    return Outcome(log={"statement_id": statement_id, "public": public})


def _parse_excerpt(payload: Payload) -> tuple[int, bool]:
    statement_id = fields.identifier(payload, "statement_id")
    return statement_id, fields.boolean(payload, "included", default=True)


@action(
    "minutes.excerpt",
    Permission.EDIT_MINUTES,
    parse=_parse_excerpt,
    changes=MINUTES,
    fields=STATEMENT_ID + fields.declare(included=fields.Kind.BOOLEAN),
)
async def excerpt(conn: Conn, ctx: Context, params: tuple[int, bool]) -> Outcome:
    """Choose whether an entry is in the excerpt (抄); other kinds show every entry."""
    statement_id, included = params
    await open_draft(conn, ctx)
    await _kept(conn, ctx, statement_id)
    await store.update_statement(conn, statement_id, {"in_excerpt": included})
    return Outcome(log={"statement_id": statement_id, "included": included})
