"""Small validators for action payloads: each names the field and the limit it broke."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as calendar_date
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from board.actions.errors import Invalid

E = TypeVar("E", bound=StrEnum)

NAME_MAX = 100
TITLE_MAX = 200
TEXT_MAX = 2000

# Dates and times outside these years are refused: the board shows every stored time in
# its local zone and the Japanese era, which a year 1 or 9999 cannot survive.
YEAR_MIN = 1900
YEAR_MAX = 2200
ID_MAX = 2**31

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Kind(StrEnum):
    """What a declared field holds: the validators below read each kind."""

    TEXT = "text"  # one line
    MULTILINE = "multiline"
    INTEGER = "integer"
    ID = "id"
    ID_LIST = "id_list"
    BOOLEAN = "boolean"
    DATE = "date"  # 2026-04-15
    CLOCK = "clock"  # 14:00
    MOMENT = "moment"  # 2026-04-15T17:00 (or 14:05 where a time of the day is meant)
    CHOICE = "choice"
    LINES = "lines"  # a list of one-line texts


@dataclass(frozen=True, slots=True)
class Field:
    """One field an action accepts; an action refuses any other (see ``registry``)."""

    name: str
    kind: Kind
    options: tuple[str, ...] = ()  # the values of a CHOICE


def declare(**kinds: Kind) -> tuple[Field, ...]:
    return tuple(Field(name, kind) for name, kind in kinds.items())


def one_of(name: str, options: type[StrEnum] | Iterable[str]) -> Field:
    return Field(name, Kind.CHOICE, tuple(str(option) for option in options))


def storable(value: str, name: str) -> str:
    """Text SQLite can store: valid UTF-8 (a lone surrogate such as \\ud800 is not)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("{name} contains a character that is not valid Unicode", name=name) from None
    return value


def within_years(moment: calendar_date, name: str) -> None:
    if not YEAR_MIN <= moment.year <= YEAR_MAX:
        raise Invalid(
            "{name} must be between the years {minimum} and {maximum}",
            name=name,
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        )


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
    value = storable(value, name).strip()
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
    maximum: int = ID_MAX,
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
        within_years(calendar_date.fromisoformat(value), name)
    return value


def moment(payload: dict[str, Any], name: str, *, max_len: int = 40) -> datetime | None:
    """An ISO 8601 date and time (naive or with an offset) within the board's years;
    None when empty."""
    value = text(payload, name, max_len=max_len, required=False)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid("{name} must be a date and time like 2026-04-15T17:00", name=name) from None
    within_years(parsed, name)
    return parsed


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
        if isinstance(entry, str) and entry.strip().isascii() and entry.strip().isdigit():
            entry = int(entry)
        if not isinstance(entry, int) or isinstance(entry, bool) or not 1 <= entry <= ID_MAX:
            raise Invalid("{name} must be a list of ids", name=name)
        result.append(entry)
    if len(set(result)) != len(result):
        raise Invalid("{name} lists an id twice", name=name)
    return result
