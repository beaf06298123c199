"""Written opinions per agenda item, agreement, the secretariat's triage and answers, the
chair's "speak to your opinion", and the comment window with its deadline.

Members write, edit, withdraw and agree only while comments are open: the meeting is
published or in session, comments are not closed, and the deadline (if any) has not
passed. The secretariat's triage and the chair's queueing are not bound by the window.
"""

from __future__ import annotations

import re
from typing import Any

from board import timeutil
from board.actions import fields, page_refs
from board.actions.errors import Conflict, Forbidden, Invalid, NotFound
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Serial, action
from board.changes import Aspect
from board.models import (
    OPINION_MAX,
    CommentWindow,
    MeetingStatus,
    Opinion,
    OpinionStatus,
    RequestKind,
    Stance,
    Triage,
)
from board.store import floor, opinions, search
from board.store.db import Conn

ANSWER_MAX = OPINION_MAX
PER_ITEM_MAX = 10  # active opinions per person and agenda item
WINDOW = {Aspect.COMMENT_WINDOW}  # the deadline and the open/closed state
OPINIONS = {Aspect.OPINIONS}  # of the items the outcome names
OPEN_STATUSES = (MeetingStatus.PUBLISHED, MeetingStatus.LIVE)
OPINION_ID = fields.declare(opinion_id=fields.Kind.ID)
DEADLINE = fields.declare(deadline=fields.Kind.MOMENT)


def local_text(moment: str) -> str:
    """A stored time as the board's local date and minute, e.g. 2026-04-15 17:00."""
    return timeutil.local(timeutil.parse(moment)).strftime("%Y-%m-%d %H:%M")


async def _check_open(conn: Conn, ctx: Context) -> None:
    _check_window(ctx, await opinions.window(conn, ctx.meeting_id))


def _check_window(ctx: Context, comments: CommentWindow) -> None:
    assert ctx.meeting is not None
    if ctx.meeting.status not in OPEN_STATUSES:
        raise Conflict("opinions can be written only while the meeting is published or in session")
    if comments.closed:
        raise Conflict("comments on this meeting are closed")
    if comments.passed(ctx.at):
        assert comments.deadline is not None
        raise Conflict(
            "the deadline for comments has passed ({deadline})",
            deadline=local_text(comments.deadline),
        )


async def _opinion(conn: Conn, ctx: Context, opinion_id: int) -> Opinion:
    found = await opinions.get(conn, opinion_id)
    if found is None or found.meeting_id != ctx.meeting_id:
        raise NotFound("opinion {opinion_id} does not exist in this meeting", opinion_id=opinion_id)
    if found.status is OpinionStatus.WITHDRAWN:
        raise Conflict("opinion {opinion_id} has been withdrawn", opinion_id=opinion_id)
    return found


def _own(ctx: Context, opinion: Opinion) -> None:
    if opinion.author.id != ctx.actor.id:
        raise Forbidden("you can only change your own opinion")


def _text(payload: Payload, name: str, limit: int) -> str:
    value = fields.text(payload, name, max_len=limit, multiline=True)
    return value.replace("\r\n", "\n").replace("\r", "\n")


CLIENT_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def _parse_write(payload: Payload) -> dict[str, Any]:
    key = fields.text(payload, "client_key", max_len=64, required=False) or None
    if key is not None and not CLIENT_KEY.match(key):
        raise Invalid("client_key must be 8 to 64 letters, digits or hyphens")
    return {
        "item_id": fields.identifier(payload, "item_id"),
        "stance": fields.choice(payload, "stance", Stance),
        "text": _text(payload, "text", OPINION_MAX),
        "client_key": key,
        "page_ref": page_refs.parse(payload),  # 「資料1 p.12 について」
    }


async def _index(conn: Conn, ctx: Context, opinion_id: int, item_id: int, text: str) -> None:
    """Keep the search index in step, in the same transaction."""
    await search.put_opinion(
        conn,
        opinion_id,
        body_id=ctx.body_id,
        meeting_id=ctx.meeting_id,
        item_id=item_id,
        text=text,
        url=f"/meetings/{ctx.meeting_id}#opinion-{opinion_id}",
        label=ctx.actor.name,
    )


@action(
    "opinion.write",
    Permission.OPINE,
    parse=_parse_write,
    changes=OPINIONS,
    fields=(
        *fields.declare(item_id=fields.Kind.ID, text=fields.Kind.MULTILINE),
        fields.one_of("stance", Stance),
        fields.Field("client_key", fields.Kind.TEXT),
        *page_refs.FIELDS,
    ),
    serial=Serial.ACTOR,
)
async def write(conn: Conn, ctx: Context, params: dict[str, Any]) -> Outcome:
    key = params["client_key"]
    if key is not None:
        earlier = await opinions.by_client_key(conn, ctx.actor.id, key)
        if earlier is not None:  # the same submission again (a retry): saved once
            return Outcome(record=False, result={"opinion_id": earlier, "repeated": True})
    item_id = params["item_id"]
    # The window, the item and the author's count on it: one statement (on a shared
    # store every statement is a round trip, and opinions pour in before a meeting).
    before = await opinions.before_writing(conn, ctx.meeting_id, item_id, ctx.actor.id)
    _check_window(ctx, before.window)
    if not before.item_exists:
        raise NotFound("agenda item {item_id} does not exist in this meeting", item_id=item_id)
    if before.written >= PER_ITEM_MAX:
        raise Conflict(
            "you can write at most {limit} opinions on one agenda item", limit=PER_ITEM_MAX
        )
    stance: Stance = params["stance"]
    opinion_id = await opinions.add(
        conn, ctx.meeting_id, item_id, ctx.actor.id, stance, params["text"], ctx.at, key
    )
    if params["page_ref"] is not None:
        await page_refs.attach(conn, ctx, opinion_id, params["page_ref"])
    await _index(conn, ctx, opinion_id, item_id, params["text"])
    # Not the text: it can be withdrawn or edited, and the log is kept (log_access).
    log = {"opinion_id": opinion_id, "item_id": item_id, "stance": stance.value}
    return Outcome(log=log, result={"opinion_id": opinion_id}, items=frozenset({item_id}))


def _parse_edit(payload: Payload) -> dict[str, Any]:
    changes: dict[str, Any] = {"opinion_id": fields.identifier(payload, "opinion_id")}
    if "stance" in payload:
        changes["stance"] = fields.choice(payload, "stance", Stance)
    if "text" in payload:
        changes["text"] = _text(payload, "text", OPINION_MAX)
    if len(changes) == 1:
        raise Invalid("nothing to change: give stance or text")
    return changes


@action(
    "opinion.edit",
    Permission.OPINE,
    parse=_parse_edit,
    changes=OPINIONS,
    fields=(
        *OPINION_ID,
        fields.one_of("stance", Stance),
        fields.Field("text", fields.Kind.MULTILINE),
    ),
)
async def edit(conn: Conn, ctx: Context, params: dict[str, Any]) -> Outcome:
    opinion = await _opinion(conn, ctx, params["opinion_id"])
    _own(ctx, opinion)
    await _check_open(conn, ctx)
    stance: Stance = params.get("stance", opinion.stance)
    text: str = params.get("text", opinion.text)
    if stance is opinion.stance and text == opinion.text:
        return Outcome(record=False)
    await opinions.edit(conn, opinion.id, stance, text, ctx.at)
    await _index(conn, ctx, opinion.id, opinion.item_id, text)
    changed = [
        name for name, new in (("stance", stance), ("text", text)) if new != getattr(opinion, name)
    ]
    # What changed, not the text (log_access).
    log = {"opinion_id": opinion.id, "item_id": opinion.item_id, "fields": changed}
    return Outcome(log=log, items=frozenset({opinion.item_id}))


def _parse_opinion_id(payload: Payload) -> int:
    return fields.identifier(payload, "opinion_id")


@action(
    "opinion.withdraw",
    Permission.OPINE,
    parse=_parse_opinion_id,
    changes=OPINIONS,
    fields=OPINION_ID,
)
async def withdraw(conn: Conn, ctx: Context, opinion_id: int) -> Outcome:
    opinion = await _opinion(conn, ctx, opinion_id)
    _own(ctx, opinion)
    await _check_open(conn, ctx)
    await opinions.withdraw(conn, opinion.id, ctx.at)
    await search.remove_opinion(conn, opinion.id)
    log = {"opinion_id": opinion.id, "item_id": opinion.item_id}
    return Outcome(log=log, items=frozenset({opinion.item_id}))


@action(
    "opinion.agree",
    Permission.OPINE,
    parse=_parse_opinion_id,
    changes=OPINIONS,
    fields=OPINION_ID,
    serial=Serial.ACTOR,
)
async def agree(conn: Conn, ctx: Context, opinion_id: int) -> Outcome:
    """Agreeing twice counts once (the second is a no-op)."""
    opinion = await _opinion(conn, ctx, opinion_id)
    if opinion.author.id == ctx.actor.id:
        raise Conflict("you cannot agree with your own opinion")
    await _check_open(conn, ctx)
    new = await opinions.agree(conn, opinion.id, ctx.actor.id, ctx.at)
    result = {"agreed": True, "agrees": await opinions.agree_count(conn, opinion.id)}
    if not new:
        return Outcome(record=False, result=result)
    log = {"opinion_id": opinion.id, "person_id": ctx.actor.id}
    items, people = frozenset({opinion.item_id}), frozenset({ctx.actor.id})
    return Outcome(log=log, result=result, items=items, people=people)


@action(
    "opinion.unagree",
    Permission.OPINE,
    parse=_parse_opinion_id,
    changes=OPINIONS,
    fields=OPINION_ID,
    serial=Serial.ACTOR,
)
async def unagree(conn: Conn, ctx: Context, opinion_id: int) -> Outcome:
    opinion = await _opinion(conn, ctx, opinion_id)
    await _check_open(conn, ctx)
    gone = await opinions.unagree(conn, opinion.id, ctx.actor.id)
    result = {"agreed": False, "agrees": await opinions.agree_count(conn, opinion.id)}
    if not gone:
        return Outcome(record=False, result=result)
    log = {"opinion_id": opinion.id, "person_id": ctx.actor.id}
    items, people = frozenset({opinion.item_id}), frozenset({ctx.actor.id})
    return Outcome(log=log, result=result, items=items, people=people)


TRIAGE_CHOICES = ("raise", "noted", "none")


def _parse_triage(payload: Payload) -> tuple[int, Triage | None]:
    opinion_id = fields.identifier(payload, "opinion_id")
    value = payload.get("triage")
    if value == Triage.ANSWERED.value:
        raise Invalid("use opinion.answer to answer an opinion in writing")
    if value not in TRIAGE_CHOICES:
        raise Invalid("triage must be one of: {options}", options=", ".join(TRIAGE_CHOICES))
    return opinion_id, None if value == "none" else Triage(value)


@action(
    "opinion.triage",
    Permission.TRIAGE_OPINIONS,
    parse=_parse_triage,
    changes=OPINIONS,
    fields=(*OPINION_ID, fields.one_of("triage", TRIAGE_CHOICES)),
)
async def triage(conn: Conn, ctx: Context, params: tuple[int, Triage | None]) -> Outcome:
    opinion_id, mark = params
    opinion = await _opinion(conn, ctx, opinion_id)
    if opinion.triage is mark:
        return Outcome(record=False)
    await opinions.set_triage(conn, opinion.id, mark)
    log = {"opinion_id": opinion.id, "triage": None if mark is None else mark.value}
    return Outcome(log=log, items=frozenset({opinion.item_id}))


def _parse_answer(payload: Payload) -> tuple[int, str]:
    return fields.identifier(payload, "opinion_id"), _text(payload, "answer", ANSWER_MAX)


@action(
    "opinion.answer",
    Permission.TRIAGE_OPINIONS,
    parse=_parse_answer,
    changes=OPINIONS,
    fields=OPINION_ID + fields.declare(answer=fields.Kind.MULTILINE),
)
async def answer(conn: Conn, ctx: Context, params: tuple[int, str]) -> Outcome:
    """Answer in writing: the author and everyone else see the answer with the opinion."""
    opinion_id, text = params
    opinion = await _opinion(conn, ctx, opinion_id)
    await opinions.answer(conn, opinion.id, text, ctx.actor.id, ctx.at)
    log = {"opinion_id": opinion.id, "fields": ["answer"]}  # not the text (log_access)
    return Outcome(log=log, items=frozenset({opinion.item_id}))


@action(
    "opinion.to_queue",
    Permission.MANAGE_FLOOR,
    parse=_parse_opinion_id,
    changes={Aspect.FLOOR, Aspect.OPINIONS},
    fields=OPINION_ID,
)
async def to_queue(conn: Conn, ctx: Context, opinion_id: int) -> Outcome:
    """Speak to your opinion: the chair puts the author in the queue for the opinion's item
    (works after the comment deadline, and before the item is current)."""
    assert ctx.meeting is not None
    if ctx.meeting.status not in OPEN_STATUSES:
        raise Conflict("the meeting is not published or in session")
    opinion = await _opinion(conn, ctx, opinion_id)
    if not opinion.author.active:
        raise Conflict("{name} is no longer on the roster", name=opinion.author.name)
    if await floor.open_request_of(conn, opinion.item_id, opinion.author.id) is not None:
        raise Conflict("{name} is already in the queue for this item", name=opinion.author.name)
    kind = RequestKind.QUESTION if opinion.stance is Stance.QUESTION else RequestKind.ORDINARY
    request_id = await floor.add_request(
        conn, ctx.meeting_id, opinion.item_id, opinion.author.id, kind
    )
    await opinions.set_request(conn, opinion.id, request_id, ctx.at)
    log = {
        "opinion_id": opinion.id,
        "request_id": request_id,
        "item_id": opinion.item_id,
        "person_id": opinion.author.id,
        "kind": kind.value,
    }
    result = {"request_id": request_id}
    return Outcome(log=log, result=result, items=frozenset({opinion.item_id}))


def parse_deadline(payload: Payload, name: str = "deadline") -> str | None:
    """A date and time (``2026-04-15T17:00``, local time unless an offset is given);
    empty clears it."""
    moment = fields.moment(payload, name)
    return None if moment is None else timeutil.iso(timeutil.local(moment))


def _parse_deadline(payload: Payload) -> str | None:
    if "deadline" not in payload:
        raise Invalid("deadline is required (empty to remove it)")
    return parse_deadline(payload)


@action(
    "comments.deadline",
    Permission.PREPARE_MEETING,
    parse=_parse_deadline,
    changes=WINDOW,
    fields=DEADLINE,
)
async def deadline(conn: Conn, ctx: Context, moment: str | None) -> Outcome:
    current = await opinions.window(conn, ctx.meeting_id)
    if current.deadline == moment:
        return Outcome(record=False)
    await opinions.set_window(conn, ctx.meeting_id, CommentWindow(moment, current.closed))
    return Outcome(log={"deadline": moment})


@action("comments.close", Permission.PREPARE_MEETING, changes=WINDOW)
async def close(conn: Conn, ctx: Context, _: None) -> Outcome:
    current = await opinions.window(conn, ctx.meeting_id)
    if current.closed:
        raise Conflict("comments are already closed")
    await opinions.set_window(conn, ctx.meeting_id, CommentWindow(current.deadline, True))
    return Outcome(log={})


def _parse_reopen(payload: Payload) -> tuple[bool, str | None]:
    return "deadline" in payload, parse_deadline(payload)


@action(
    "comments.open",
    Permission.PREPARE_MEETING,
    parse=_parse_reopen,
    changes=WINDOW,
    fields=DEADLINE,
)
async def reopen(conn: Conn, ctx: Context, params: tuple[bool, str | None]) -> Outcome:
    """Reopen comments; a deadline that has passed is removed unless a new one is given."""
    given, moment = params
    current = await opinions.window(conn, ctx.meeting_id)
    if current.is_open(ctx.at) and not given:
        raise Conflict("comments are already open")
    if not given:
        moment = None if current.passed(ctx.at) else current.deadline
    await opinions.set_window(conn, ctx.meeting_id, CommentWindow(moment, False))
    return Outcome(log={"deadline": moment})
