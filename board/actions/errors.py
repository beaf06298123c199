"""Errors an action can end with; each maps to one HTTP status.

The message is an English template with named fields; pages show it translated through
the catalog (the template is the msgid), the JSON API in English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ActionError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _encodable(self.template.format(**self.params))

    def localized(self, gettext: Callable[[str], str]) -> str:
        return _encodable(gettext(self.template).format(**self.params))


def _encodable(text: str) -> str:
    """A message that names what was sent can always be sent back: a lone surrogate in it
    (which UTF-8 cannot encode) is shown as its escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class BadRequest(ActionError):
    status = 400
    code = "bad_request"


class Unauthenticated(ActionError):
    status = 401
    code = "unauthenticated"


class Forbidden(ActionError):
    status = 403
    code = "forbidden"


class NotFound(ActionError):
    status = 404
    code = "not_found"


class TooLarge(ActionError):
    status = 413
    code = "too_large"


class Conflict(ActionError):
    status = 409
    code = "conflict"


class Invalid(ActionError):
    status = 422
    code = "invalid"
