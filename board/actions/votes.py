"""Votes (採決): prepare, open, cast, close, announce, cancel; and a body's standing rules.

The chair puts a question by a method (異議なし, 挙手, 起立, 記名, 無記名) under the body's rules;
who may vote is fixed when it opens (the members present, and the chair when the rules say
so); a voter may change their choice until the close; the result is announced to every
device and recorded as the item's decision (決定事項), linked to the vote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from board.actions import fields
from board.actions.errors import Conflict, Forbidden, Invalid, NotFound
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Scope, Serial, action
from board.changes import Aspect
from board.models import MeetingStatus, Role
from board.store import meetings, people
from board.store import minutes as minutes_store
from board.store import votes as store
from board.store.db import Conn
from board.votes import rules as vote_rules
from board.votes import text
from board.votes.model import Vote
from board.votes.rules import (
    COUNTED_BY_CHAIR,
    Abstentions,
    Majority,
    Method,
    NeedsCastingVote,
    Quorum,
    Status,
)

VOTES = {Aspect.VOTES}
BALLOTS = {Aspect.BALLOTS}
QUESTION_MAX = 500
OPTIONS_MAX = 20
RECEIPT_MAX = 100
REASON_MAX = fields.TITLE_MAX
COUNT_MAX = 100_000
VOTE_ID = fields.declare(vote_id=fields.Kind.ID)


async def _vote(conn: Conn, ctx: Context, vote_id: int, *expected: Status) -> Vote:
    found = await store.get(conn, vote_id)
    if found is None or found.meeting_id != ctx.meeting_id:
        raise NotFound("vote {vote_id} does not exist in this meeting", vote_id=vote_id)
    if expected and found.status not in expected:
        raise Conflict(
            "vote {vote_id} is {status}: it cannot do that now",
            vote_id=vote_id,
            status=found.status.value,
        )
    return found


def _in_session(ctx: Context) -> None:
    assert ctx.meeting is not None
    if ctx.meeting.status is not MeetingStatus.LIVE:
        raise Conflict("the meeting is not in session")


# --- the body's standing rules -------------------------------------------------------


def _parse_rules(payload: Payload) -> dict[str, Any]:
    readers: dict[str, Callable[[], Any]] = {
        "quorum": lambda: fields.choice(payload, "quorum", Quorum),
        "majority": lambda: fields.choice(payload, "majority", Majority),
        "abstentions": lambda: fields.choice(payload, "abstentions", Abstentions),
        "chair_votes": lambda: fields.boolean(payload, "chair_votes"),
        "casting_vote": lambda: fields.boolean(payload, "casting_vote"),
    }
    wanted = {name: read() for name, read in readers.items() if name in payload}
    if not wanted:
        raise Invalid("nothing to change: give at least one field")
    return wanted


@action(
    "body.vote_rules",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=_parse_rules,
    fields=(
        fields.one_of("quorum", Quorum),
        fields.one_of("majority", Majority),
        fields.one_of("abstentions", Abstentions),
        fields.Field("chair_votes", fields.Kind.BOOLEAN),
        fields.Field("casting_vote", fields.Kind.BOOLEAN),
    ),
)
async def set_rules(conn: Conn, ctx: Context, changes: dict[str, Any]) -> Outcome:
    current = await store.rules_of(conn, ctx.body_id)
    await store.set_rules(conn, ctx.body_id, replace(current, **changes))
    return Outcome(log={name: str(value) for name, value in changes.items()})


# --- prepare -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prepared:
    question: str
    item_id: int | None
    method: Method
    options: tuple[str, ...]
    majority: Majority | None


def _options(payload: Payload) -> tuple[str, ...]:
    value = payload.get("options")
    if isinstance(value, str):
        value = value.splitlines()
    if value is None or value == []:
        return ()
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        raise Invalid("options must be a list of lines")
    lines = [
        fields.text({"options": line}, "options", max_len=fields.NAME_MAX)
        for line in value
        if line.strip()
    ]
    if len(lines) > OPTIONS_MAX:
        raise Invalid("options lists at most {limit} lines", limit=OPTIONS_MAX)
    if len(set(lines)) != len(lines) or {"abstain", "objection"} & set(lines):
        raise Invalid("options must be different names")
    if len(lines) == 1:
        raise Invalid("an election needs at least two options")
    return tuple(lines)


def _parse_prepare(payload: Payload) -> Prepared:
    majority = payload.get("majority")
    found = Prepared(
        question=fields.text(payload, "question", max_len=QUESTION_MAX),
        item_id=fields.optional_id(payload, "item_id"),
        method=fields.choice(payload, "method", Method, Method.HANDS),
        options=_options(payload),
        majority=None if majority in (None, "") else fields.choice(payload, "majority", Majority),
    )
    if found.options and found.method not in (Method.NAMED, Method.SECRET):
        raise Invalid("an election is taken by a named or a secret ballot")
    return found


@action(
    "vote.prepare",
    Permission.PREPARE_VOTE,
    parse=_parse_prepare,
    changes=VOTES,
    fields=(
        fields.Field("question", fields.Kind.TEXT),
        fields.Field("item_id", fields.Kind.ID),
        fields.one_of("method", Method),
        fields.Field("options", fields.Kind.LINES),
        fields.one_of("majority", Majority),
    ),
)
async def prepare(conn: Conn, ctx: Context, params: Prepared) -> Outcome:
    assert ctx.meeting is not None
    if ctx.meeting.status is MeetingStatus.ADJOURNED:
        raise Conflict("the meeting is adjourned")
    item_id = params.item_id or ctx.meeting.current_item_id
    if item_id is not None:
        item = await meetings.get_item(conn, item_id)
        if item is None or item.meeting_id != ctx.meeting_id:
            raise NotFound("agenda item {item_id} does not exist", item_id=item_id)
    rules = await store.rules_of(conn, ctx.body_id)
    if params.majority is not None:
        rules = replace(rules, majority=params.majority)
    vote_id = await store.prepare(
        conn,
        ctx.meeting_id,
        item_id,
        params.question,
        params.method,
        params.options,
        rules,
        ctx.at,
    )
    log = {"vote_id": vote_id, "item_id": item_id, "method": params.method.value}
    return Outcome(log={**log, "majority": rules.majority.value}, result={"vote_id": vote_id})


# --- open ----------------------------------------------------------------------------


def _parse_open(payload: Payload) -> tuple[int, bool]:
    return fields.identifier(payload, "vote_id"), fields.boolean(payload, "override_quorum")


@action(
    "vote.open",
    Permission.RUN_VOTE,
    parse=_parse_open,
    changes=VOTES,
    fields=fields.declare(vote_id=fields.Kind.ID, override_quorum=fields.Kind.BOOLEAN),
)
async def open_vote(conn: Conn, ctx: Context, params: tuple[int, bool]) -> Outcome:
    vote_id, override = params
    _in_session(ctx)
    vote = await _vote(conn, ctx, vote_id, Status.PREPARED)
    if await store.open_vote(conn, ctx.meeting_id) is not None:
        raise Conflict("another vote is open: close it first")
    assert ctx.meeting is not None
    roster = await people.roster(conn, ctx.body_id)
    present_ids = await meetings.present_ids(conn, ctx.meeting_id)
    members = [p for p in roster if p.role in (Role.MEMBER, Role.CHAIR)]
    present = [p for p in members if p.id in present_ids]
    met = vote_rules.quorum_met(vote.rules.quorum, len(present), len(members))
    if not met and not override:
        raise Conflict(
            "no quorum: {present} of {members} members are present and {needed} are needed "
            "(the chair may open it anyway, which is recorded)",
            present=len(present),
            members=len(members),
            needed=vote_rules.quorum_needed(vote.rules.quorum, len(members)),
        )
    entitled = [
        p.id
        for p in present
        if p.role is Role.MEMBER or (vote.rules.chair_votes and p.id == ctx.actor.id)
    ]
    await store.open_(
        conn, vote, len(members), len(present), entitled, override and not met, ctx.at
    )
    log = {
        "vote_id": vote.id,
        "members": len(members),
        "present": len(present),
        "entitled": len(entitled),
        "quorum_override": override and not met,
    }
    return Outcome(log=log)


# --- cast ----------------------------------------------------------------------------


def _parse_cast(payload: Payload) -> tuple[int, str, str | None]:
    vote_id = fields.identifier(payload, "vote_id")
    choice = fields.text(payload, "choice", max_len=fields.NAME_MAX)
    receipt = fields.text(payload, "receipt", max_len=RECEIPT_MAX, required=False) or None
    return vote_id, choice, receipt


@action(
    "vote.cast",
    Permission.CAST_VOTE,
    parse=_parse_cast,
    changes=BALLOTS,
    fields=fields.declare(
        vote_id=fields.Kind.ID, choice=fields.Kind.TEXT, receipt=fields.Kind.TEXT
    ),
    serial=Serial.ACTOR,
)
async def cast(conn: Conn, ctx: Context, params: tuple[int, str, str | None]) -> Outcome:
    vote_id, choice, receipt = params
    vote = await _vote(conn, ctx, vote_id)
    if vote.status is not Status.OPEN:
        raise Conflict("this vote is not open")
    if vote.method in COUNTED_BY_CHAIR:
        raise Conflict("this vote is counted in the room, not on the board")
    if choice not in vote.choices:
        raise Invalid("choice must be one of: {options}", options=", ".join(vote.choices))
    # Who may vote and who has: read with the vote, in this transaction.
    voted = ctx.actor.id in vote.voted if ctx.actor.id in vote.entitled else None
    if voted is None:
        raise Forbidden("you may not vote in this vote (only those present when it opened)")
    # What the log keeps: who voted, never what (the room sees only how many have).
    log: dict[str, Any] = {"vote_id": vote.id}
    if vote.method is not Method.SECRET:
        await store.cast_named(conn, vote.id, ctx.actor.id, choice)
        return Outcome(
            log=log, result={"vote_id": vote.id, "choice": choice}, people=frozenset({ctx.actor.id})
        )
    if voted and receipt is None:
        raise Conflict(
            "you have already voted in this secret ballot: change it on the device you voted with"
        )
    if not voted and receipt is not None:
        receipt = None  # a receipt from before a lost ballot means nothing: vote afresh
    new = await store.cast_secret(conn, vote.id, ctx.actor.id, choice, receipt)
    if new is None:
        raise Conflict("this receipt is no longer valid: your latest choice stands")
    return Outcome(log=log, result={"vote_id": vote.id, "choice": choice, "receipt": new})


# --- close, announce, cancel ---------------------------------------------------------


def _parse_close(payload: Payload) -> tuple[int, dict[str, int], bool]:
    vote_id = fields.identifier(payload, "vote_id")
    counts = {}
    for name in ("yes", "no", "abstain"):
        value = fields.integer(payload, name, maximum=COUNT_MAX, required=False)
        if value is not None:
            counts[name] = value
    return vote_id, counts, fields.boolean(payload, "objection")


@action(
    "vote.close",
    Permission.RUN_VOTE,
    parse=_parse_close,
    changes=VOTES,
    fields=fields.declare(
        vote_id=fields.Kind.ID,
        yes=fields.Kind.INTEGER,
        no=fields.Kind.INTEGER,
        abstain=fields.Kind.INTEGER,
        objection=fields.Kind.BOOLEAN,
    ),
)
async def close(conn: Conn, ctx: Context, params: tuple[int, dict[str, int], bool]) -> Outcome:
    vote_id, entered, objection = params
    vote = await _vote(conn, ctx, vote_id, Status.OPEN)
    if vote.method in COUNTED_BY_CHAIR:
        if "yes" not in entered:
            raise Invalid("yes is required: enter the counts of the room")
        counts = {choice: entered.get(choice, 0) for choice in vote.choices}
        if sum(counts.values()) > len(vote.entitled) and vote.entitled:
            raise Invalid(
                "the counts add up to {total}, more than the {entitled} entitled to vote",
                total=sum(counts.values()),
                entitled=len(vote.entitled),
            )
    elif entered:
        raise Invalid("the board counts this vote: counts are entered only for 挙手 and 起立")
    else:
        counts = await store.tally(conn, vote)
    if vote.method is Method.NO_OBJECTION and objection:
        counts["objection"] = max(counts.get("objection", 0), 1)
    await store.close(conn, vote.id, counts, ctx.at)
    secret = vote.method is Method.SECRET
    return Outcome(log={"vote_id": vote.id, "counts": counts}, forget_history=secret)


# After an objection to 異議なし, the question is put again by one of these.
THEN_METHODS = (Method.HANDS, Method.STANDING, Method.NAMED, Method.SECRET)


@dataclass(frozen=True, slots=True)
class Announced:
    vote_id: int
    casting: str | None
    then: Method | None  # 異議なし with an objection: prepare the question again by this


def _parse_announce(payload: Payload) -> Announced:
    vote_id = fields.identifier(payload, "vote_id")
    casting = fields.text(payload, "casting", max_len=fields.NAME_MAX, required=False) or None
    then = payload.get("then")
    if then in (None, ""):
        return Announced(vote_id, casting, None)
    method = fields.choice(payload, "then", Method)
    if method not in THEN_METHODS:
        raise Invalid(
            "then must be one of: {options}", options=", ".join(m.value for m in THEN_METHODS)
        )
    return Announced(vote_id, casting, method)


def decide(vote: Vote, casting: str | None) -> vote_rules.Decision:
    counts = vote.counts or {}
    if vote.method is Method.NO_OBJECTION:
        return vote_rules.decide_no_objection(counts.get("objection", 0))
    if vote.election:
        return vote_rules.decide_election(vote.rules, counts, vote.options, casting)
    return vote_rules.decide_motion(vote.rules, counts, len(vote.entitled), casting)


@action(
    "vote.announce",
    Permission.RUN_VOTE,
    parse=_parse_announce,
    changes=VOTES | {Aspect.MINUTES},
    fields=(
        *fields.declare(vote_id=fields.Kind.ID, casting=fields.Kind.TEXT),
        fields.one_of("then", THEN_METHODS),
    ),
)
async def announce(conn: Conn, ctx: Context, params: Announced) -> Outcome:
    vote_id, casting = params.vote_id, params.casting
    vote = await _vote(conn, ctx, vote_id, Status.CLOSED)
    if casting is not None and casting not in (vote.options or ("yes", "no")):
        raise Invalid(
            "casting must be one of: {options}", options=", ".join(vote.options or ("yes", "no"))
        )
    try:
        decision = decide(vote, casting)
    except NeedsCastingVote:
        raise Conflict(
            "the vote is tied: the chair decides (可否同数のときは議長の決するところによる); "
            "give casting"
        ) from None
    if params.then is not None and decision.outcome is not vote_rules.Outcome.OBJECTED:
        raise Invalid("then is for a 異議なし vote that met an objection")
    used = casting if decision.tie else None
    await store.announce(conn, vote.id, decision.outcome, decision.tie, used, ctx.at)
    decision_id = None
    announced = replace(vote, outcome=decision.outcome, tie=decision.tie, casting=used)
    line = text.decision(announced)
    if vote.item_id is not None and line:
        decision_id = await minutes_store.add_decision(
            conn, ctx.meeting_id, vote.item_id, line, vote_id=vote.id, at=ctx.at
        )
    next_vote_id = None
    if params.then is not None:
        # The objection moves the question to another method: the same question, item and
        # rules, prepared for the chair to open.
        next_vote_id = await store.prepare(
            conn, ctx.meeting_id, vote.item_id, vote.question, params.then, (), vote.rules, ctx.at
        )
    log = {"vote_id": vote.id, "outcome": decision.outcome.value, "tie": decision.tie}
    return Outcome(
        log={**log, "decision_id": decision_id, "next_vote_id": next_vote_id},
        result={
            "outcome": decision.outcome.value,
            "decision_id": decision_id,
            "next_vote_id": next_vote_id,
        },
    )


def _parse_cancel(payload: Payload) -> tuple[int, str]:
    return fields.identifier(payload, "vote_id"), fields.text(payload, "reason", max_len=REASON_MAX)


@action(
    "vote.cancel",
    Permission.RUN_VOTE,
    parse=_parse_cancel,
    changes=VOTES,
    fields=fields.declare(vote_id=fields.Kind.ID, reason=fields.Kind.TEXT),
)
async def cancel(conn: Conn, ctx: Context, params: tuple[int, str]) -> Outcome:
    vote_id, reason = params
    vote = await _vote(conn, ctx, vote_id, Status.PREPARED, Status.OPEN, Status.CLOSED)
    await store.cancel(conn, vote.id, reason)
    secret = vote.method is Method.SECRET
    return Outcome(log={"vote_id": vote.id, "reason": reason}, forget_history=secret)
