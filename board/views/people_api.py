"""Who is asking and who is in a body, as JSON, so a secretariat's script never scrapes a
page: ``GET /api/me`` and ``GET /api/bodies/{id}/people``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from board import auth
from board.actions.errors import ActionError, Invalid, Unauthenticated
from board.minutes import style as styles
from board.minutes.layout import layout
from board.minutes.sample import sample
from board.minutes.text import to_text
from board.models import Body, Person
from board.store import people
from board.views.base import board_of, json_error, lang_of
from board.views.body import secretariat_of


def _person_json(person: Person, body: Body | None) -> dict[str, Any]:
    return {
        "person_id": person.id,
        "name": person.name,
        "affiliation": person.affiliation,
        "role": person.role.value,
        "title": body.title_for(person.role) if body else "",
        "body_id": person.body_id,
        "body": body.name if body else "",
    }


async def me(request: Request) -> Response:
    """The caller: the person of the token, or every person this device is signed in as
    (one per body); the first is also given at the top level, with the language."""
    board = board_of(request)
    try:
        async with board.db.read() as conn:
            found = await auth.signed_in(conn, request)
            if not found:
                raise Unauthenticated("sign in with your personal link first")
            bodies = {body.id: body for body in await people.bodies_of(conn, [p.id for p in found])}
    except ActionError as error:
        return json_error(error, request)
    listed = [_person_json(person, bodies.get(person.body_id)) for person in found]
    return JSONResponse({**listed[0], "language": lang_of(request), "people": listed})


async def style_preview(request: Request) -> Response:
    """A sample of minutes in a style (``style=NAME``, a built-in), or in the body's own
    style with its overrides when none is named: what ``body.minutes_style`` would print."""
    try:
        body, _person = await secretariat_of(request, request.path_params["body_id"])
        name = request.query_params.get("style", "")
        if name and name not in styles.BUILT_IN:
            raise Invalid(
                "style must be one of: {options}", options=", ".join(sorted(styles.BUILT_IN))
            )
    except ActionError as error:
        return json_error(error, request)
    chosen = styles.BUILT_IN[name] if name else styles.of_body(body.minutes_style)
    return PlainTextResponse(to_text(layout(sample(body, chosen))))


async def roster(request: Request) -> Response:
    """The body's roster for its secretariat: everyone, with the title the minutes use, the
    person's state and how many sign-in links they hold."""
    try:
        body, _person = await secretariat_of(request, request.path_params["body_id"])
    except ActionError as error:
        return json_error(error, request)
    async with board_of(request).db.read() as conn:
        listed = await people.roster(conn, body.id, include_inactive=True)
        links = await people.link_counts(conn, body.id)
    return JSONResponse(
        {
            "body_id": body.id,
            "body": body.name,
            "people": [
                {
                    **_person_json(found, body),
                    "active": found.active,
                    "links": links.get(found.id, 0),
                }
                for found in listed
            ],
        }
    )
