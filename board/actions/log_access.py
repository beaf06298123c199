"""Who may read what of a meeting's event log (``GET /api/meetings/{id}/events``).

The log says what happened, not what was written where that is private:

- Opinion texts and written answers are not in it: an opinion can be withdrawn or edited,
  and its earlier text must not stay readable. ``opinion.write`` / ``opinion.edit`` /
  ``opinion.answer`` log which opinion and which fields changed; events logged before they
  did are read without the text.
- Why a statement was removed from the minutes or merged into another (``reason``) is for
  the body's staff (the secretariat and the chair), as the working draft is.
- Observers do not read the log at all.

Every reader of the log asks this module; nothing else decides.
"""

from __future__ import annotations

from typing import Any

from board.actions.errors import Forbidden
from board.models import Role

STAFF_ROLES = frozenset({Role.CHAIR, Role.SECRETARIAT})

# Kept out of the log for everyone (the text lives with the opinion, and goes with it).
PRIVATE: dict[str, frozenset[str]] = {
    "opinion.write": frozenset({"text"}),
    "opinion.edit": frozenset({"text"}),
    "opinion.answer": frozenset({"answer"}),
}
# Read by the staff only.
STAFF_ONLY: dict[str, frozenset[str]] = {
    "minutes.remove": frozenset({"reason"}),
    "minutes.merge": frozenset({"reason"}),
}


def check_may_read(role: Role) -> None:
    """Raise Forbidden for a role that may not read the log."""
    if role is Role.OBSERVER:
        raise Forbidden("observers may not read the event log")


def hidden_fields(role: Role, action: str) -> frozenset[str]:
    hidden = PRIVATE.get(action, frozenset())
    if role not in STAFF_ROLES:
        hidden |= STAFF_ONLY.get(action, frozenset())
    return hidden


def readable(role: Role, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The part of one event's payload the role may read."""
    hidden = hidden_fields(role, action)
    if not hidden:
        return payload
    return {key: value for key, value in payload.items() if key not in hidden}
