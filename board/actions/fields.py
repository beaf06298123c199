"""Small validators for action payloads: each names the field and the limit it broke."""

from __future__ import annotations

import re
from datetime import date as calendar_date
from enum import StrEnum
from typing import Any, TypeVar

from board.actions.errors import Invalid

E = TypeVar("E", bound=StrEnum)

NAME_MAX = 100
TITLE_MAX = 200
TEXT_MAX = 2000

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(
    payload: dict[str, Any],
    name: str,
    *,
    max_len: int = TITLE_MAX,
    required: bool = True,
    default: str = "",
    multiline: bool = False,
) -> str:
    value = payload.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid("{name} is required", name=name)
        return default
    if not isinstance(value, str):
        raise Invalid("{name} must be text", name=name)
    value = value.strip()
    if not multiline and ("\n" in value or "\r" in value):
        raise Invalid("{name} must be a single line", name=name)
    if _CONTROL.search(value):
        raise Invalid("{name} contains control characters", name=name)
    if len(value) > max_len:
        raise Invalid(
            "{name} is too long ({length} characters; the limit is {limit})",
            name=name,
            length=len(value),
            limit=max_len,
        )
    return value


def integer(
    payload: dict[str, Any],
    name: str,
    *,
    minimum: int = 0,
    maximum: int = 2**31,
    required: bool = True,
    default: int | None = None,
) -> int | None:
    value = payload.get(name)
    if value is None or value == "":
        if required:
            raise Invalid("{name} is required", name=name)
        return default
    if isinstance(value, bool):
        raise Invalid("{name} must be a whole number", name=name)
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise Invalid("{name} must be a whole number", name=name) from None
    if not isinstance(value, int):
        raise Invalid("{name} must be a whole number", name=name)
    if not minimum <= value <= maximum:
        raise Invalid(
            "{name} must be between {minimum} and {maximum}",
            name=name,
            minimum=minimum,
            maximum=maximum,
        )
    return value


def identifier(payload: dict[str, Any], name: str) -> int:
    value = integer(payload, name, minimum=1)
    assert value is not None
    return value


def optional_id(payload: dict[str, Any], name: str) -> int | None:
    return integer(payload, name, minimum=1, required=False)


def choice(payload: dict[str, Any], name: str, kind: type[E], default: E | None = None) -> E:
    value = payload.get(name)
    if value is None or value == "":
        if default is None:
            raise Invalid("{name} is required", name=name)
        return default
    try:
        return kind(value)
    except ValueError:
        options = ", ".join(member.value for member in kind)
        raise Invalid("{name} must be one of: {options}", name=name, options=options) from None


def date(payload: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = text(payload, name, max_len=10, required=required)
    if value:
        try:
            valid = bool(_DATE.match(value)) and bool(calendar_date.fromisoformat(value))
        except ValueError:
            valid = False
        if not valid:
            raise Invalid("{name} must be a date like 2026-04-15", name=name)
    return value


def clock(payload: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = text(payload, name, max_len=5, required=required)
    if value and not _TIME.match(value):
        raise Invalid("{name} must be a time like 14:00", name=name)
    return value


def boolean(payload: dict[str, Any], name: str, *, default: bool = False) -> bool:
    value = payload.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"1", "true", "on", "yes"}:
        return True
    if isinstance(value, str) and value.lower() in {"0", "false", "off", "no"}:
        return False
    raise Invalid("{name} must be true or false", name=name)


def id_list(payload: dict[str, Any], name: str) -> list[int]:
    value = payload.get(name)
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not value:
        raise Invalid("{name} must be a non-empty list of ids", name=name)
    result = []
    for entry in value:
        try:
            number = int(entry)
        except (TypeError, ValueError):
            raise Invalid("{name} must be a list of ids", name=name) from None
        if number < 1 or isinstance(entry, bool):
            raise Invalid("{name} must be a list of ids", name=name)
        result.append(number)
    if len(set(result)) != len(result):
        raise Invalid("{name} lists an id twice", name=name)
    return result
