"""A body and its roster: people, role titles, sign-in links, and its meetings."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from board.actions import fields
from board.actions.errors import Conflict, Invalid, NotFound
from board.actions.meeting import DETAILS, parse_details
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Scope, action
from board.models import Person, Role
from board.store import meetings, people, sessions
from board.store.db import Conn

TITLE_FIELDS = ("chair_title", "secretariat_title", "member_title", "observer_title")
ROSTER_MAX = 500
BODY_FIELDS = fields.declare(
    name=fields.Kind.TEXT,
    **dict.fromkeys(TITLE_FIELDS, fields.Kind.TEXT),
    show_names=fields.Kind.BOOLEAN,
)
PERSON_FIELDS = (
    *fields.declare(name=fields.Kind.TEXT, affiliation=fields.Kind.TEXT),
    fields.one_of("role", Role),
)
PERSON_ID = fields.declare(person_id=fields.Kind.ID)


def new_token() -> str:
    """A personal sign-in token: 256 random bits, URL-safe. Only its hash is stored."""
    return secrets.token_urlsafe(32)


def partial_text(payload: Payload, name: str) -> Callable[[], str]:
    return lambda: fields.text(payload, name, max_len=fields.NAME_MAX)


def _parse_body(payload: Payload, *, partial: bool) -> dict[str, Any]:
    readers: dict[str, Callable[[], Any]] = {"name": lambda: fields.text(payload, "name")}
    for title in TITLE_FIELDS:
        readers[title] = partial_text(payload, title)
    readers["show_names"] = lambda: fields.boolean(payload, "show_names", default=True)
    if not partial:
        return {
            name: reader()
            for name, reader in readers.items()
            if name == "name" or payload.get(name) not in (None, "")
        }
    wanted = [name for name in readers if name in payload]
    if not wanted:
        raise Invalid("nothing to change: give at least one field")
    return {name: readers[name]() for name in wanted}


@action(
    "body.create",
    Permission.MANAGE_BODY,
    scope=Scope.GLOBAL,
    parse=lambda payload: _parse_body(payload, partial=False),
    fields=BODY_FIELDS,
)
async def create_body(conn: Conn, ctx: Context, details: dict[str, Any]) -> Outcome:
    """A secretariat opens a new body and becomes its first secretariat member."""
    body_id = await people.create_body(conn, details["name"], details)
    person_id = await people.add_person(
        conn, body_id, ctx.actor.name, ctx.actor.affiliation, Role.SECRETARIAT
    )
    return Outcome(
        log={**details, "secretariat_id": person_id},
        result={"body_id": body_id, "person_id": person_id},
    )


@action(
    "body.update",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=lambda payload: _parse_body(payload, partial=True),
    fields=BODY_FIELDS,
)
async def update_body(conn: Conn, ctx: Context, changes: dict[str, Any]) -> Outcome:
    await people.update_body(conn, ctx.body_id, changes)
    return Outcome(log=changes)


def _parse_person(payload: Payload, *, partial: bool) -> dict[str, Any]:
    readers: dict[str, Callable[[], Any]] = {
        "name": lambda: fields.text(payload, "name", max_len=fields.NAME_MAX),
        "affiliation": lambda: fields.text(
            payload, "affiliation", max_len=fields.TITLE_MAX, required=False
        ),
        "role": lambda: fields.choice(payload, "role", Role, Role.MEMBER).value,
    }
    wanted = [name for name in readers if not partial or name in payload]
    if partial and not wanted:
        raise Invalid("nothing to change: give at least one field")
    return {name: readers[name]() for name in wanted}


@action(
    "person.add",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=lambda payload: _parse_person(payload, partial=False),
    fields=PERSON_FIELDS,
)
async def add_person(conn: Conn, ctx: Context, person: dict[str, Any]) -> Outcome:
    if len(await people.roster(conn, ctx.body_id)) >= ROSTER_MAX:
        raise Conflict("a body holds at most {limit} people", limit=ROSTER_MAX)
    person_id = await people.add_person(
        conn, ctx.body_id, person["name"], person["affiliation"], Role(person["role"])
    )
    return Outcome(log={"person_id": person_id, **person}, result={"person_id": person_id})


async def _person(conn: Conn, ctx: Context, person_id: int) -> Person:
    person = await people.get_person(conn, person_id)
    if person is None or person.body_id != ctx.body_id:
        raise NotFound("person {person_id} does not exist in this body", person_id=person_id)
    return person


def _parse_person_edit(payload: Payload) -> tuple[int, dict[str, Any]]:
    person_id = fields.identifier(payload, "person_id")
    rest = {key: value for key, value in payload.items() if key != "person_id"}
    return person_id, _parse_person(rest, partial=True)


@action(
    "person.edit",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=_parse_person_edit,
    fields=PERSON_ID + PERSON_FIELDS,
)
async def edit_person(conn: Conn, ctx: Context, params: tuple[int, dict[str, Any]]) -> Outcome:
    person_id, changes = params
    person = await _person(conn, ctx, person_id)
    if person_id == ctx.actor.id and changes.get("role", Role.SECRETARIAT) != Role.SECRETARIAT:
        raise Conflict("you cannot remove your own secretariat role")
    await people.update_person(conn, person_id, changes)
    # A new role is a new audience: what the person's devices were shown may no longer be
    # theirs to see, so those connections end and the pages load again as the new role.
    changed = "role" in changes and changes["role"] != person.role.value
    return Outcome(
        log={"person_id": person_id, **changes},
        access_changed=frozenset({person_id}) if changed else frozenset(),
    )


def _parse_person_id(payload: Payload) -> int:
    return fields.identifier(payload, "person_id")


@action(
    "person.deactivate",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=_parse_person_id,
    fields=PERSON_ID,
)
async def deactivate_person(conn: Conn, ctx: Context, person_id: int) -> Outcome:
    person = await _person(conn, ctx, person_id)
    if person_id == ctx.actor.id:
        raise Conflict("you cannot remove yourself")
    if not person.active:
        raise Conflict("that person has already been removed")
    await people.update_person(conn, person_id, {"active": False})
    revoked = await people.revoke_links(conn, person_id)
    await sessions.end_sessions_of(conn, person_id)
    return Outcome(
        log={"person_id": person_id, "links_revoked": revoked},
        access_changed=frozenset({person_id}),
    )


@action(
    "link.issue", Permission.MANAGE_BODY, scope=Scope.BODY, parse=_parse_person_id, fields=PERSON_ID
)
async def issue_link(conn: Conn, ctx: Context, person_id: int) -> Outcome:
    """A new personal sign-in link. The token is returned once and never logged."""
    person = await _person(conn, ctx, person_id)
    if not person.active:
        raise Conflict("that person has been removed")
    token = new_token()
    link_id = await people.add_link(conn, person_id, token)
    return Outcome(
        log={"person_id": person_id, "link_id": link_id},
        result={"token": token, "path": f"/join/{token}", "person_id": person_id},
    )


@action(
    "link.revoke",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=_parse_person_id,
    fields=PERSON_ID,
)
async def revoke_link(conn: Conn, ctx: Context, person_id: int) -> Outcome:
    await _person(conn, ctx, person_id)
    revoked = await people.revoke_links(conn, person_id)
    # Devices signed in through those links, or on the setup link, are signed out too.
    ended = await sessions.end_sessions_of(conn, person_id)
    if revoked == 0 and ended == 0:
        raise Conflict("that person has no active sign-in link")
    return Outcome(
        log={"person_id": person_id, "links_revoked": revoked},
        access_changed=frozenset({person_id}),
    )


@action(
    "meeting.create",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=lambda payload: parse_details(payload, partial=False),
    fields=DETAILS,
)
async def create_meeting(conn: Conn, ctx: Context, details: dict[str, Any]) -> Outcome:
    meeting_id = await meetings.create_meeting(conn, ctx.body_id, details)
    return Outcome(log={"meeting_id": meeting_id, **details}, result={"meeting_id": meeting_id})
