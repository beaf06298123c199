"""The JSON API: the meeting state, the event log, and every action by name."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board import auth
from board.actions import REGISTRY, log_access
from board.actions.errors import ActionError, NotFound
from board.actions.permissions import allowed
from board.actions.registry import Action
from board.models import FloorRequest, MeetingState, Presenting, Role
from board.store import meetings, people
from board.views.base import board_of, json_error, query_int, read_json
from board.views.meeting import VIEW_OF_ROLE, meeting_and_person
from board.votes.view import vote_json


def _request_json(request: FloorRequest) -> dict[str, Any]:
    return {
        "id": request.id,
        "person_id": request.person.id,
        "name": request.person.name,
        "role": request.person.role.value,
        "kind": request.kind.value,
        "requested_at": request.requested_at,
    }


def state_json(state: MeetingState, view: str = "projector") -> dict[str, Any]:
    """The room's state as ``view`` (the reader's page: chair, secretariat, member or
    projector) may see it."""
    meeting = state.meeting
    speaking = state.speaking
    return {
        "meeting": {
            "id": meeting.id,
            "body_id": meeting.body_id,
            "title": meeting.title,
            "status": meeting.status.value,
            "date": meeting.date,
            "start_time": meeting.start_time,
            "planned_end": meeting.planned_end,
            "place": meeting.place,
            "speech_limit_seconds": meeting.speech_limit_seconds,
            "started_at": meeting.started_at,
            "adjourned_at": meeting.adjourned_at,
            "chair_id": meeting.chair_id,
            "deputy_id": meeting.deputy_id,
        },
        "items": [
            {
                "id": item.id,
                "position": item.position,
                "number": item.number,
                "path": item.path,
                "parent_id": item.parent_id,
                "heading": item.heading,
                "title": item.title,
                "presenter": item.presenter,
                "planned_minutes": item.planned_minutes,
                "kind": item.kind.value,
                "status": item.status.value,
                "list_closed": item.list_closed,
            }
            for item in state.items
        ],
        "current_item_id": meeting.current_item_id,
        "queue": [_request_json(request) for request in state.queue],
        "speaking": None
        if speaking is None
        else {
            **_request_json(speaking),
            "person": {
                "id": speaking.person.id,
                "name": speaking.person.name,
                "role": speaking.person.role.value,
            },
            "started_at": speaking.granted_at,
            "limit_seconds": (speaking.limit_seconds or 0) + speaking.extended_seconds,
            "extended_seconds": speaking.extended_seconds,
        },
        "present": sorted(state.present_ids),
        "spoken_on_current_item": sorted(state.spoken_ids),
        "votes": [vote_json(vote, view) for vote in state.votes],
        "presenting": presenting_json(state.presenting),
        "seq": state.seq,
    }


def presenting_json(shown: Presenting | None) -> dict[str, Any] | None:
    """The material page shown to the room, or None."""
    if shown is None:
        return None
    return {
        "material_id": shown.material_id,
        "version_id": shown.version_id,
        "version": shown.version,
        "title": shown.title,
        "page": shown.page,
        "presenter_id": shown.presenter_id,
        "started_at": shown.started_at,
        "updated_at": shown.updated_at,
    }


async def state(request: Request) -> Response:
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    try:
        _meeting, person = await meeting_and_person(request, meeting_id)
    except ActionError as error:
        return json_error(error, request)
    found = await board.state(meeting_id)
    assert found is not None
    return JSONResponse(state_json(found, VIEW_OF_ROLE[person.role]))


async def events(request: Request) -> Response:
    """The meeting's event log, as much of it as the reader's role may read
    (``board.actions.log_access``)."""
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    try:
        _meeting, person = await meeting_and_person(request, meeting_id)
        log_access.check_may_read(person.role)
        after = query_int(request, "after") or 0
    except ActionError as error:
        return json_error(error, request)
    async with board.db.read() as conn:
        rows = await meetings.events(conn, meeting_id, after)
    return JSONResponse(
        {
            "events": [
                {
                    "seq": row["seq"],
                    "at": row["at"],
                    "actor_id": row["actor_id"],
                    "action": row["action"],
                    "payload": log_access.readable(
                        person.role, row["action"], json.loads(row["payload"])
                    ),
                }
                for row in rows
            ]
        }
    )


async def meeting_action(request: Request) -> Response:
    board = board_of(request)
    meeting_id = request.path_params["meeting_id"]
    try:
        _meeting, person = await meeting_and_person(request, meeting_id)
        payload = await read_json(request)
        result = await board.act(
            person, request.path_params["name"], payload, meeting_id=meeting_id
        )
    except ActionError as error:
        return json_error(error, request)
    return JSONResponse({"seq": result.seq, **result.data})


async def body_action(request: Request) -> Response:
    board = board_of(request)
    body_id = request.path_params["body_id"]
    try:
        async with board.db.read() as conn:
            if await people.get_body(conn, body_id) is None:
                raise NotFound("body {body_id} does not exist", body_id=body_id)
            person = await auth.person_in_body(conn, request, body_id)
        payload = await read_json(request)
        result = await board.act(person, request.path_params["name"], payload, body_id=body_id)
    except ActionError as error:
        return json_error(error, request)
    return JSONResponse({"seq": result.seq, **result.data})


async def global_action(request: Request) -> Response:
    board = board_of(request)
    try:
        async with board.db.read() as conn:
            person = await auth.any_secretariat(conn, request)
        payload = await read_json(request)
        result = await board.act(person, request.path_params["name"], payload)
    except ActionError as error:
        return json_error(error, request)
    return JSONResponse({"seq": result.seq, **result.data})


def action_fields(entry: Action) -> list[dict[str, Any]]:
    """The fields an action accepts (any other is refused), as declared once with it."""
    return [
        {"name": field.name, "kind": field.kind.value}
        | ({"options": list(field.options)} if field.options else {})
        for field in entry.fields
    ]


async def action_list(request: Request) -> Response:
    """The registered actions with their scope, permission and fields, for integrators."""
    return JSONResponse(
        {
            "actions": [
                {
                    "name": name,
                    "scope": entry.scope.value,
                    "permission": entry.permission.value,
                    "roles": [role.value for role in _roles_with(entry.permission)],
                    "fields": action_fields(entry),
                }
                for name, entry in sorted(REGISTRY.items())
            ]
        }
    )


def _roles_with(permission: Any) -> list[Any]:
    return [role for role in Role if allowed(role, permission)]
