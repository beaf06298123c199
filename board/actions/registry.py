"""Named actions: each declares its permission, its scope, the fields it accepts, how to
read them and what it changes. Registered once, dispatched by ``board.actions.dispatch``;
the declared fields are also what the API listing and the fuzz test read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from board.actions.errors import Invalid
from board.actions.fields import Field
from board.actions.permissions import Permission
from board.changes import Aspect
from board.models import Body, Meeting, Person
from board.store.db import Conn

Payload = dict[str, Any]


class Serial(StrEnum):
    """What a write waits for. Most actions read the meeting and act on what they read (the
    queue, the current item): writers of one meeting take their turn. An action that
    touches only its actor's own records (an opinion, an agreement, having opened a
    material) runs beside other actors' such writes, waiting only for its actor's other
    writes and for changes of the meeting itself; the event log's seq still orders it
    among all of the meeting's changes."""

    MEETING = "meeting"
    ACTOR = "actor"


class Scope(StrEnum):
    MEETING = "meeting"  # acts on one meeting; logged in its event log
    BODY = "body"  # acts on a body (roster, links, new meetings); logged in the body log
    GLOBAL = "global"  # creates a body


@dataclass(frozen=True, slots=True)
class Context:
    actor: Person
    at: str
    body: Body | None = None
    meeting: Meeting | None = None

    @property
    def meeting_id(self) -> int:
        assert self.meeting is not None
        return self.meeting.id

    @property
    def body_id(self) -> int:
        assert self.body is not None
        return self.body.id


@dataclass(slots=True)
class Outcome:
    """What an action did: the event payload to log and what to tell the caller."""

    log: Payload = field(default_factory=dict)
    result: Payload = field(default_factory=dict)
    record: bool = True  # False for a no-op (nothing changed, nothing logged or pushed)
    changes: frozenset[Aspect] = frozenset()  # beyond what the action declares
    # The agenda items whose materials or opinions changed: only these
    # are pushed (an opinion re-renders its own item, not the whole agenda's).
    items: frozenset[int] = frozenset()
    # The people whose own state (what only they see, e.g. what they agree with) changed:
    # it is pushed to their devices alone.
    people: frozenset[int] = frozenset()
    # The people whose access changed (removed, links revoked, role changed): after commit
    # their open connections are closed, in every meeting, before anything else is pushed.
    access_changed: frozenset[int] = frozenset()
    # Earlier versions of what it changed must leave the store's files once it commits (a
    # secret vote's ballots paired each voter's flag with a counter): Store.forget_history.
    forget_history: bool = False


Apply = Callable[[Conn, Context, Any], Awaitable[Outcome]]
Parse = Callable[[Payload], Any]


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    permission: Permission
    scope: Scope
    parse: Parse
    apply: Apply
    changes: frozenset[Aspect]
    fields: tuple[Field, ...] = ()
    serial: Serial = Serial.MEETING

    def read(self, payload: Payload) -> Any:
        """The parsed input; a field the action does not declare is refused, so a typo or
        a field it ignores never passes for a change that was made."""
        declared = {entry.name for entry in self.fields}
        for name in payload:
            if name not in declared:
                raise Invalid("{action} has no field {field}", action=self.name, field=name)
        return self.parse(payload)


REGISTRY: dict[str, Action] = {}


def no_input(payload: Payload) -> None:
    return None


def action(
    name: str,
    permission: Permission,
    *,
    scope: Scope = Scope.MEETING,
    parse: Parse = no_input,
    changes: frozenset[Aspect] | set[Aspect] = frozenset(),
    fields: tuple[Field, ...] = (),
    serial: Serial = Serial.MEETING,
) -> Callable[[Apply], Apply]:
    def register(apply: Apply) -> Apply:
        if name in REGISTRY:
            raise RuntimeError(f"action {name} is registered twice")
        if (parse is no_input) != (not fields):
            raise RuntimeError(f"action {name} must declare the fields its parser reads")
        REGISTRY[name] = Action(
            name, permission, scope, parse, apply, frozenset(changes), fields, serial
        )
        return apply

    return register
