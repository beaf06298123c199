"""Fresh sign-in links for a printed sheet: each person's earlier links stop working."""

from __future__ import annotations

from typing import Any

from board.actions import fields
from board.actions.body import new_token
from board.actions.errors import NotFound
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Scope, action
from board.store import people
from board.store.db import Conn

REISSUE_FIELDS = fields.declare(person_ids=fields.Kind.ID_LIST)


def _parse_reissue(payload: Payload) -> list[int]:
    # Named one by one, never "everyone" by default: an empty call must not sign the
    # whole body's links away.
    return fields.id_list(payload, "person_ids")


@action(
    "link.reissue",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=_parse_reissue,
    fields=REISSUE_FIELDS,
)
async def reissue_links(conn: Conn, ctx: Context, person_ids: list[int]) -> Outcome:
    """A new link for each person, their earlier links revoked (devices already signed in
    stay signed in). The tokens are returned once, for the sheet, and never logged."""
    roster = await people.roster(conn, ctx.body_id)
    by_id = {person.id: person for person in roster}
    missing = [person_id for person_id in person_ids if person_id not in by_id]
    if missing:
        raise NotFound("person {person_id} does not exist in this body", person_id=missing[0])
    chosen = [person for person in roster if person.id in set(person_ids)]
    links: list[dict[str, Any]] = []
    revoked = 0
    for person in chosen:
        revoked += await people.revoke_links(conn, person.id)
        token = new_token()
        await people.add_link(conn, person.id, token)
        links.append({"person_id": person.id, "token": token, "path": f"/join/{token}"})
    return Outcome(
        log={"person_ids": [person.id for person in chosen], "links_revoked": revoked},
        result={"links": links},
    )
