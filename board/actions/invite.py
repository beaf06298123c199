"""Sending the convocation notice (開催通知) by e-mail: the action queues one delivery per
person; the mailer (``board.mail.outbox``) sends them in the background."""

from __future__ import annotations

from typing import Any

from board.actions import fields
from board.actions.errors import Conflict, Invalid, NotFound
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, action
from board.mail.ics import Notice
from board.models import MeetingStatus, Role
from board.store import mail, people
from board.store.db import Conn

INVITE_FIELDS = (
    *fields.declare(person_ids=fields.Kind.ID_LIST),
    fields.one_of("notice", Notice),
)
# Who is invited when nobody is named: those who take part, not observers or the screen.
INVITED_ROLES = (Role.CHAIR, Role.MEMBER, Role.SECRETARIAT)


def _parse_invite(payload: Payload) -> tuple[list[int] | None, Notice]:
    notice = fields.choice(payload, "notice", Notice, Notice.INVITATION)
    if payload.get("person_ids") in (None, "", []):
        return None, notice
    return fields.id_list(payload, "person_ids"), notice


@action(
    "meeting.invite",
    Permission.PREPARE_MEETING,
    parse=_parse_invite,
    fields=INVITE_FIELDS,
)
async def invite(conn: Conn, ctx: Context, params: tuple[list[int] | None, Notice]) -> Outcome:
    person_ids, notice = params
    assert ctx.meeting is not None
    if ctx.meeting.status is MeetingStatus.DRAFT and notice is not Notice.CANCELLATION:
        raise Conflict("publish the meeting before sending its invitations")
    entries = await people.roster_entries(conn, ctx.meeting.body_id)
    if person_ids is None:
        chosen = [e for e in entries if e.person.role in INVITED_ROLES and e.email]
        if not chosen:
            raise Invalid("nobody on the roster has an e-mail address")
    else:
        by_id = {entry.person.id: entry for entry in entries}
        for person_id in person_ids:
            entry = by_id.get(person_id)
            if entry is None:
                raise NotFound(
                    "person {person_id} does not exist in this body", person_id=person_id
                )
            if not entry.email:
                raise Invalid("{name} has no e-mail address", name=entry.person.name)
        chosen = [by_id[person_id] for person_id in person_ids]
    reached = await mail.sequence_of(conn, ctx.meeting_id)
    # RFC 5545: a changed or cancelled event carries a higher SEQUENCE than what was sent.
    sequence = (reached or 0) + (0 if notice is Notice.INVITATION else 1)
    queued: list[dict[str, Any]] = []
    for entry in chosen:
        delivery_id = await mail.enqueue(
            conn, ctx.meeting_id, entry.person.id, entry.email, notice.value, sequence, ctx.at
        )
        queued.append({"delivery_id": delivery_id, "person_id": entry.person.id})
    return Outcome(
        # People by id: the addresses stay in the roster, out of the event log.
        log={
            "notice": notice.value,
            "sequence": sequence,
            "person_ids": [q["person_id"] for q in queued],
        },
        result={"queued": queued, "sequence": sequence},
    )
