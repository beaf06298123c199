"""The life of the minutes after the meeting: the secretariat sends the draft to the chair,
the chair approves it (it is finalized: frozen as revision N with the SHA-256 of its
canonical JSON) or returns it; a correction is a new revision with a reason; the
secretariat publishes the public copy.

draft --submit--> submitted --approve--> finalized --revise--> draft (revision N+1) ...
        <--recall / return--
"""

from __future__ import annotations

from board.actions import fields
from board.actions.errors import Conflict, Forbidden
from board.actions.minutes import REASON_MAX
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, action
from board.changes import Aspect
from board.minutes import model
from board.minutes.model import Copy, Minutes, MinutesStatus
from board.models import MeetingStatus
from board.store import minutes as store
from board.store import search
from board.store.db import Conn


async def _in(conn: Conn, ctx: Context, status: MinutesStatus) -> Minutes:
    found = await store.get(conn, ctx.meeting_id)
    if found.status is not status:
        raise Conflict(
            "the minutes are {status}, not {expected}",
            status=found.status.value,
            expected=status.value,
        )
    return found


# The chair's and members' status bar says where the minutes stand.
FLOW = {Aspect.MINUTES_STATUS}


@action("minutes.submit", Permission.EDIT_MINUTES, changes=FLOW)
async def submit(conn: Conn, ctx: Context, _: None) -> Outcome:
    """Send the draft to the chair for approval (once the meeting is adjourned)."""
    assert ctx.meeting is not None
    if ctx.meeting.status is not MeetingStatus.ADJOURNED:
        raise Conflict("the minutes can be sent for approval once the meeting is adjourned")
    await _in(conn, ctx, MinutesStatus.DRAFT)
    await store.set_state(conn, ctx.meeting_id, MinutesStatus.SUBMITTED, note="")
    return Outcome(log={})


@action("minutes.recall", Permission.EDIT_MINUTES, changes=FLOW)
async def recall(conn: Conn, ctx: Context, _: None) -> Outcome:
    """The secretariat takes the draft back from the chair to change it."""
    await _in(conn, ctx, MinutesStatus.SUBMITTED)
    await store.set_state(conn, ctx.meeting_id, MinutesStatus.DRAFT)
    return Outcome(log={})


def _parse_note(payload: Payload) -> str:
    return fields.text(payload, "note", max_len=fields.TEXT_MAX, required=False, multiline=True)


DEPUTY_TITLE = "職務代理者"  # after the chair's title: 本部長職務代理者


def _approver_title(ctx: Context) -> str:
    """Only the chair who chaired the meeting, or the deputy designated before it, approves
    or returns its minutes (holding the chair role is not enough: the role can be granted
    afterwards). Returns how the minutes name the approver."""
    assert ctx.meeting is not None and ctx.body is not None
    if ctx.actor.id not in ctx.meeting.approvers:
        raise Forbidden(
            "only the chair who chaired this meeting, or the deputy designated before it, "
            "may approve or return its minutes"
        )
    title = ctx.body.chair_title
    if ctx.actor.id != ctx.meeting.chair_id:
        title += DEPUTY_TITLE
    return title


@action(
    "minutes.return",
    Permission.APPROVE_MINUTES,
    parse=_parse_note,
    changes=FLOW,
    fields=fields.declare(note=fields.Kind.MULTILINE),
)
async def send_back(conn: Conn, ctx: Context, note: str) -> Outcome:
    """The chair returns the draft to the secretariat, with a note on what to change."""
    _approver_title(ctx)
    await _in(conn, ctx, MinutesStatus.SUBMITTED)
    await store.set_state(conn, ctx.meeting_id, MinutesStatus.DRAFT, note=note)
    return Outcome(log={"note": bool(note)})


@action("minutes.approve", Permission.APPROVE_MINUTES, changes=FLOW)
async def approve(conn: Conn, ctx: Context, _: None) -> Outcome:
    """The chair approves: the draft becomes revision N, frozen, with the SHA-256 of the
    canonical JSON of its original and of its public copy; members can now read it."""
    assert ctx.body is not None
    approver = _approver_title(ctx)
    current = await _in(conn, ctx, MinutesStatus.SUBMITTED)
    sources = await store.sources(conn, ctx.meeting_id)
    assert sources is not None
    number = current.revision + 1
    # The document names the approver of this approval, as recorded with the revision.
    if ctx.body.show_names:
        approver += f" {ctx.actor.name}"
    original = model.finalized(
        model.build(sources), revision=number, at=ctx.at, approved_by=approver
    )
    public = model.public_copy(original)
    texts = {Copy.ORIGINAL: model.canonical(original), Copy.PUBLIC: model.canonical(public)}
    documents = {copy: (text, model.digest(text)) for copy, text in texts.items()}
    await store.add_revision(
        conn,
        ctx.meeting_id,
        number,
        reason=current.pending_reason,
        approved_by=ctx.actor.id,
        at=ctx.at,
        documents=documents,
    )
    await store.set_state(
        conn,
        ctx.meeting_id,
        MinutesStatus.FINALIZED,
        revision=number,
        pending_reason="",
        note="",
    )
    await search.put_revision(conn, public, number)
    sha256 = documents[Copy.ORIGINAL][1]
    public_sha256 = documents[Copy.PUBLIC][1]
    log = {"revision": number, "sha256": sha256, "public_sha256": public_sha256}
    return Outcome(log={**log, "approved_by": ctx.actor.id}, result=log)


def _parse_reason(payload: Payload) -> str:
    return fields.text(payload, "reason", max_len=REASON_MAX)


@action(
    "minutes.revise",
    Permission.EDIT_MINUTES,
    parse=_parse_reason,
    changes=FLOW,
    fields=fields.declare(reason=fields.Kind.TEXT),
)
async def revise(conn: Conn, ctx: Context, reason: str) -> Outcome:
    """Open a correction of finalized minutes: a new revision, drafted, approved again.
    Every earlier revision stays as it was and readable."""
    current = await _in(conn, ctx, MinutesStatus.FINALIZED)
    await store.set_state(conn, ctx.meeting_id, MinutesStatus.DRAFT, pending_reason=reason)
    return Outcome(log={"revision": current.revision + 1, "reason": reason})


@action("minutes.publish", Permission.EDIT_MINUTES, changes=FLOW)
async def publish(conn: Conn, ctx: Context, _: None) -> Outcome:
    """Publish the public copy of the latest finalized revision."""
    current = await store.get(conn, ctx.meeting_id)
    if current.revision == 0:
        raise Conflict("only finalized minutes can be published")
    if current.published_revision == current.revision:
        raise Conflict("revision {revision} is already published", revision=current.revision)
    await store.publish_revision(conn, ctx.meeting_id, current.revision, ctx.at)
    await store.set_published(conn, ctx.meeting_id, current.revision)
    return Outcome(log={"revision": current.revision}, result={"revision": current.revision})
