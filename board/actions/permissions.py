"""What each role may do. One table, checked in one place (the dispatcher)."""

from __future__ import annotations

from enum import StrEnum

from board.models import Role


class Permission(StrEnum):
    VIEW = "view"  # be in the room: attendance, the live view
    REQUEST_FLOOR = "request_floor"  # ask for the floor, withdraw one's own request
    RUN_MEETING = "run_meeting"  # start, move through the agenda, adjourn
    MANAGE_FLOOR = "manage_floor"  # grant, end, reorder, remove, close/open, extend
    PREPARE_MEETING = "prepare_meeting"  # meeting details and agenda
    MANAGE_BODY = "manage_body"  # roster, titles, sign-in links, new meetings and bodies
    EDIT_MINUTES = "edit_minutes"  # record statements, decisions, action items; publish
    APPROVE_MINUTES = "approve_minutes"  # approve (finalize) or return the draft minutes
    OPINE = "opine"  # write, edit, withdraw one's own opinions; agree with others'
    TRIAGE_OPINIONS = "triage_opinions"  # mark and answer opinions, export them
    PREPARE_VOTE = "prepare_vote"  # put a question to a vote (its text, item, method, rule)
    RUN_VOTE = "run_vote"  # open, close, announce or cancel a vote
    CAST_VOTE = "cast_vote"  # vote (when entitled: present when the vote opened)
    PRESENT = "present"  # show a material page to the room (画面同期) and stop showing it
    NOTE = "note"  # keep private notes on material pages


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CHAIR: frozenset(
        {
            Permission.VIEW,
            Permission.RUN_MEETING,
            Permission.MANAGE_FLOOR,
            Permission.APPROVE_MINUTES,
            Permission.PREPARE_VOTE,
            Permission.RUN_VOTE,
            Permission.CAST_VOTE,
            Permission.NOTE,
        }
    ),
    Role.SECRETARIAT: frozenset(
        {
            Permission.VIEW,
            Permission.REQUEST_FLOOR,
            Permission.PREPARE_MEETING,
            Permission.MANAGE_BODY,
            Permission.EDIT_MINUTES,
            Permission.TRIAGE_OPINIONS,
            Permission.PREPARE_VOTE,
            Permission.PRESENT,
            Permission.NOTE,
        }
    ),
    Role.MEMBER: frozenset(
        {
            Permission.VIEW,
            Permission.REQUEST_FLOOR,
            Permission.OPINE,
            Permission.CAST_VOTE,
            Permission.NOTE,
        }
    ),
    Role.OBSERVER: frozenset({Permission.VIEW}),
}


def allowed(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
