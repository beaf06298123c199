"""The one entry point for every state change.

Checks the permission, validates the input, applies the change and appends it to the
event log in one transaction, and only after commit publishes it to the live room.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from board.actions import registry
from board.actions.errors import BadRequest, Forbidden, NotFound
from board.actions.permissions import allowed
from board.actions.registry import REGISTRY, Context, Outcome, Scope, Serial
from board.changes import Change, access_changed_json
from board.models import Person
from board.store import meetings, people
from board.store.conn import Lock
from board.store.db import Conn, Store
from board.timeutil import now_iso

# Called after commit with what the action changed in its meeting.
Publish = Callable[[Change], None]
# Called after commit with the people whose access changed: ends their live connections.
Revoke = Callable[[frozenset[int]], None]
# The store's notification channel for changes (PostgreSQL's NOTIFY; a no-op on SQLite).
CHANGES_CHANNEL = "board_changes"


def _nobody_listens(person_ids: frozenset[int]) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Result:
    seq: int
    data: dict[str, Any] = field(default_factory=dict)
    recorded: bool = True


def lookup(name: str) -> registry.Action:
    found = REGISTRY.get(name)
    if found is None:
        raise NotFound("unknown action: {name}", name=name)
    return found


async def dispatch(
    db: Store,
    publish: Publish,
    actor: Person,
    name: str,
    payload: Any,
    *,
    meeting_id: int | None = None,
    body_id: int | None = None,
    revoke: Revoke = _nobody_listens,
) -> Result:
    """Run an action to its end even if the caller goes away (a closed tab cancels its
    request): a change that committed is always published."""
    work = asyncio.ensure_future(
        _dispatch(db, publish, revoke, actor, name, payload, meeting_id=meeting_id, body_id=body_id)
    )
    # When nobody awaits it any more, its error (a refusal) has nobody to tell: retrieve it.
    work.add_done_callback(lambda done: done.cancelled() or done.exception())
    return await asyncio.shield(work)


async def _dispatch(
    db: Store,
    publish: Publish,
    revoke: Revoke,
    actor: Person,
    name: str,
    payload: Any,
    *,
    meeting_id: int | None,
    body_id: int | None,
) -> Result:
    action = lookup(name)
    if not isinstance(payload, dict):
        raise BadRequest("the request body must be a JSON object")
    if action.scope is Scope.MEETING and meeting_id is None:
        raise NotFound("{name} acts on a meeting: use /api/meetings/ID/actions/{name}", name=name)
    if action.scope is Scope.BODY and body_id is None:
        raise NotFound("{name} acts on a body: use /api/bodies/ID/actions/{name}", name=name)

    outcome, seq, change = await db.run_write(
        _apply, action, actor, payload, meeting_id, body_id, now_iso()
    )
    if outcome.forget_history:
        await db.forget_history()
    if outcome.access_changed:
        # First, in this same step after commit: no push is offered to those devices after.
        # (Other processes hear of it from the store: see _apply.)
        revoke(outcome.access_changed)
    if change is not None:
        publish(change)
    return Result(seq=seq, data=outcome.result, recorded=outcome.record)


async def _apply(
    conn: Conn,
    action: registry.Action,
    actor: Person,
    payload: dict[str, Any],
    meeting_id: int | None,
    body_id: int | None,
    at: str,
) -> tuple[Outcome, int, Change | None]:
    """The transaction, whole on the writer's thread: check, apply, log, and tell other
    processes what changed (delivered on commit)."""
    meeting = body = None
    if action.scope is Scope.MEETING:
        assert meeting_id is not None
        if action.serial is Serial.ACTOR:
            # Beside other actors' own writes, never beside a change of the meeting that
            # its checks read (comments closed, the meeting adjourned): meeting first.
            await conn.serialize(Lock("meeting", meeting_id, shared=True), Lock("person", actor.id))
        else:
            await conn.serialize(Lock("meeting", meeting_id))
        found = await meetings.get_meeting_and_body(conn, meeting_id)
        if found is None:
            raise NotFound("meeting {meeting_id} does not exist", meeting_id=meeting_id)
        meeting, body = found
        body_id = body.id
    elif body_id is not None:
        await conn.serialize(Lock("body", body_id))
    if body is None and body_id is not None:
        body = await people.get_body(conn, body_id)
        if body is None:
            raise NotFound("body {body_id} does not exist", body_id=body_id)
        if actor.body_id != body.id:
            raise Forbidden("you are not a member of this body")
    if not allowed(actor.role, action.permission):
        raise Forbidden("{role} may not {name}", role=actor.role.value, name=action.name)
    params = action.read(payload)
    context = Context(actor=actor, at=at, body=body, meeting=meeting)
    outcome: Outcome = await action.apply(conn, context, params)
    if outcome.access_changed:
        # Every process closes those people's live connections, on commit.
        await conn.notify(CHANGES_CHANNEL, access_changed_json(outcome.access_changed))
    if not outcome.record:
        return outcome, meeting.seq if meeting else 0, None
    log = json.dumps(outcome.log, ensure_ascii=False, separators=(",", ":"))
    if meeting is not None:
        change = Change(
            meeting.id, 0, action.changes | outcome.changes, outcome.items, outcome.people
        )
        announce = (CHANGES_CHANNEL, change.unsequenced_json())
        seq = await meetings.append_event(
            conn, meeting.id, actor.id, action.name, log, at, change.described(), announce
        )
        return outcome, seq, replace(change, seq=seq)
    if body is not None:
        seq = await people.append_body_event(conn, body.id, actor.id, action.name, log, at)
    else:  # a global action that created a body logs into that body's log
        created = int(outcome.result["body_id"])
        seq = await people.append_body_event(conn, created, actor.id, action.name, log, at)
    return outcome, seq, None
