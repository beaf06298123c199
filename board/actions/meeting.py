"""The meeting itself: details, start, adjourn, attendance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from board import agenda, timeutil
from board.actions import fields
from board.actions.errors import Conflict, Invalid, NotFound
from board.actions.floor import end_any_speech
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Serial, action
from board.changes import Aspect
from board.models import MeetingStatus, Role
from board.store import meetings, people
from board.store.db import Conn

SPEECH_LIMIT_MAX = 3600
DETAILS = fields.declare(
    title=fields.Kind.TEXT,
    date=fields.Kind.DATE,
    start_time=fields.Kind.CLOCK,
    planned_end=fields.Kind.CLOCK,
    place=fields.Kind.TEXT,
    speech_limit_seconds=fields.Kind.INTEGER,
)


def parse_details(payload: Payload, *, partial: bool) -> dict[str, Any]:
    """Meeting details; with ``partial`` only the fields present are read."""
    readers: dict[str, Callable[[], Any]] = {
        "title": lambda: fields.text(payload, "title"),
        "date": lambda: fields.date(payload, "date"),
        "start_time": lambda: fields.clock(payload, "start_time"),
        "planned_end": lambda: fields.clock(payload, "planned_end"),
        "place": lambda: fields.text(payload, "place", required=False),
        "speech_limit_seconds": lambda: fields.integer(
            payload,
            "speech_limit_seconds",
            minimum=30,
            maximum=SPEECH_LIMIT_MAX,
            required=False,
            default=180,
        ),
    }
    wanted = [name for name in readers if not partial or name in payload]
    details = {name: readers[name]() for name in wanted}
    if partial and not details:
        raise Invalid("nothing to change: give at least one field")
    start, end = str(details.get("start_time") or ""), str(details.get("planned_end") or "")
    if start and end and end <= start:
        raise Invalid("planned_end must be after start_time")
    return details


@action(
    "meeting.update",
    Permission.PREPARE_MEETING,
    parse=lambda payload: parse_details(payload, partial=True),
    changes={Aspect.DETAILS},
    fields=DETAILS,
)
async def update(conn: Conn, ctx: Context, details: dict[str, Any]) -> Outcome:
    assert ctx.meeting is not None
    start = details.get("start_time", ctx.meeting.start_time)
    end = details.get("planned_end", ctx.meeting.planned_end)
    if end <= start:
        raise Invalid("planned_end must be after start_time")
    await meetings.update_meeting(conn, ctx.meeting_id, details)
    return Outcome(log=details)


def _parse_start(payload: Payload) -> bool:
    return fields.boolean(payload, "date_confirmed")


@action(
    "meeting.start",
    Permission.RUN_MEETING,
    parse=_parse_start,
    changes={Aspect.LIFECYCLE, Aspect.ATTENDANCE},
    fields=fields.declare(date_confirmed=fields.Kind.BOOLEAN),
)
async def start(conn: Conn, ctx: Context, date_confirmed: bool) -> Outcome:
    assert ctx.meeting is not None
    if ctx.meeting.status is MeetingStatus.LIVE:
        raise Conflict("the meeting is already in session")
    if ctx.meeting.status is MeetingStatus.ADJOURNED:
        raise Conflict("the meeting has been adjourned")
    # The minutes take the day it is actually held: the chair is told first when that is
    # not the day it was scheduled for.
    today = timeutil.local(timeutil.parse(ctx.at)).date().isoformat()
    if today != ctx.meeting.date and not date_confirmed:
        raise Conflict(
            "the meeting is scheduled for {date}, not today ({today}): "
            "confirm to start it today (date_confirmed)",
            date=ctx.meeting.date,
            today=today,
        )
    items = await meetings.items(conn, ctx.meeting_id)
    # The first item the chair steps through (a heading only groups its sub-items).
    steps = agenda.steps(items)
    first = steps[0].id if steps else (items[0].id if items else None)
    await meetings.set_status(conn, ctx.meeting_id, MeetingStatus.LIVE, started_at=ctx.at)
    # Whoever starts it chairs it: they (or the deputy designated before) approve its minutes.
    await meetings.record_chair(conn, ctx.meeting_id, ctx.actor.id)
    # ... and is present from its first moment.
    await meetings.mark_present(conn, ctx.meeting_id, ctx.actor.id)
    if first is not None and ctx.meeting.current_item_id is None:
        await meetings.set_current_item(conn, ctx.meeting_id, first)
    log = {"started_at": ctx.at, "item_id": first, "chair_id": ctx.actor.id}
    if today != ctx.meeting.date:
        log["scheduled_date"] = ctx.meeting.date
    return Outcome(log=log)


@action("meeting.adjourn", Permission.RUN_MEETING, changes={Aspect.LIFECYCLE})
async def adjourn(conn: Conn, ctx: Context, _: None) -> Outcome:
    assert ctx.meeting is not None
    if ctx.meeting.status is not MeetingStatus.LIVE:
        raise Conflict("the meeting is not in session")
    ended = await end_any_speech(conn, ctx)
    previous = ctx.meeting.current_item_id
    await meetings.set_current_item(conn, ctx.meeting_id, None)
    await meetings.set_status(conn, ctx.meeting_id, MeetingStatus.ADJOURNED, adjourned_at=ctx.at)
    return Outcome(log={"adjourned_at": ctx.at, "from_item_id": previous, "ended_speech": ended})


@action("attendance.mark", Permission.VIEW, changes={Aspect.ATTENDANCE}, serial=Serial.ACTOR)
async def mark_present(conn: Conn, ctx: Context, _: None) -> Outcome:
    """Opening the meeting, or being connected to it when it starts, marks a person present:
    only while it is in session, so reading the page before or after records nothing.
    Observers are counted, not listed."""
    assert ctx.meeting is not None
    if ctx.meeting.status is not MeetingStatus.LIVE:
        return Outcome(record=False)
    first = await meetings.mark_present(conn, ctx.meeting_id, ctx.actor.id)
    if not first:
        return Outcome(record=False)
    return Outcome(log={"person_id": ctx.actor.id, "role": ctx.actor.role.value})


def _parse_mode(payload: Payload) -> bool:
    if payload.get("online") in (None, ""):
        raise Invalid("online is required (true: online, false: in the room)")
    return fields.boolean(payload, "online")


@action(
    "attendance.mode",
    Permission.VIEW,
    parse=_parse_mode,
    changes={Aspect.ATTENDANCE},
    fields=fields.declare(online=fields.Kind.BOOLEAN),
    serial=Serial.ACTOR,
)
async def mode(conn: Conn, ctx: Context, online: bool) -> Outcome:
    """A person says how they take part: online, or in the room (the default)."""
    assert ctx.meeting is not None
    if ctx.meeting.status is not MeetingStatus.LIVE:
        raise Conflict("the meeting is not in session")
    await meetings.mark_present(conn, ctx.meeting_id, ctx.actor.id)
    if not await meetings.set_online(conn, ctx.meeting_id, ctx.actor.id, online):
        return Outcome(record=False)
    return Outcome(log={"person_id": ctx.actor.id, "online": online})


@action("meeting.publish", Permission.PREPARE_MEETING, changes={Aspect.LIFECYCLE})
async def publish(conn: Conn, ctx: Context, _: None) -> Outcome:
    """Members and observers see a meeting once it is published."""
    assert ctx.meeting is not None
    if ctx.meeting.status is not MeetingStatus.DRAFT:
        raise Conflict("the meeting has already been published")
    await meetings.set_status(conn, ctx.meeting_id, MeetingStatus.PUBLISHED)
    return Outcome(log={})


def _parse_deputy(payload: Payload) -> int | None:
    if "person_id" not in payload:
        raise Invalid("person_id is required (empty to remove the deputy)")
    return fields.optional_id(payload, "person_id")


@action(
    "meeting.deputy",
    Permission.PREPARE_MEETING,
    parse=_parse_deputy,
    fields=fields.declare(person_id=fields.Kind.ID),
)
async def deputy(conn: Conn, ctx: Context, person_id: int | None) -> Outcome:
    """Designate the chair's deputy (職務代理者), a person with the chair role, before the
    meeting starts: besides the chair who starts it, only the deputy approves its minutes.
    Not afterwards, so no one can be made an approver once the meeting has been held."""
    assert ctx.meeting is not None
    if ctx.meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.PUBLISHED):
        raise Conflict("the deputy can be designated only before the meeting starts")
    if person_id is not None:
        person = await people.get_person(conn, person_id)
        if person is None or person.body_id != ctx.body_id:
            raise NotFound("person {person_id} does not exist in this body", person_id=person_id)
        if not person.active or person.role is not Role.CHAIR:
            raise Conflict("the deputy must be an active person with the chair role")
    if ctx.meeting.deputy_id == person_id:
        return Outcome(record=False)
    await meetings.set_deputy(conn, ctx.meeting_id, person_id)
    return Outcome(log={"person_id": person_id})
