"""A body's minutes style (様式), set once by its secretariat: a built-in style and a few
overrides (board/minutes/style.py)."""

from __future__ import annotations

from typing import Any

from board.actions import fields
from board.actions.errors import Invalid
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Scope, action
from board.minutes import style as styles
from board.minutes.era import Calendar
from board.models import Role
from board.store import people
from board.store.db import Conn

CHOICES = {
    "time": styles.TimeStyle,
    "calendar": Calendar,
    "speaker": styles.Speaker,
    "counting": styles.Counting,
}


def _pairs(payload: Payload, name: str, keys: set[str]) -> dict[str, str] | None:
    """Lines of ``key=text`` (member=委員, date=日 時): a role's title, or a header label."""
    value = payload.get(name)
    if value is None:
        return None
    lines = value.splitlines() if isinstance(value, str) else value
    if not isinstance(lines, list):
        raise Invalid("{name} must be lines of key=text", name=name)
    pairs = {}
    for line in lines:
        text = fields.text({name: line}, name, required=False) if line else ""
        if not text:
            continue
        key, _, title = text.partition("=")
        if key.strip() not in keys or not title.strip():
            raise Invalid("{name} must be lines of key=text", name=name)
        pairs[key.strip()] = title.strip()
    return pairs


def _separator(payload: Payload) -> str:
    """Between a header label and its value: "：", or a (full-width) space kept as it is."""
    value = payload.get("separator")
    if isinstance(value, str) and value in (" ", "　", "  ", "　　"):
        return value
    return fields.text(payload, "separator", max_len=3)


def _lines(payload: Payload) -> list[str] | None:
    """The header lines to show, in order: keys of styles.LINES."""
    value = payload.get("lines")
    if value in (None, ""):
        return None
    keys = value.splitlines() if isinstance(value, str) else value
    if not isinstance(keys, list):
        raise Invalid("lines must list header lines: {options}", options=", ".join(styles.LINES))
    chosen = [str(key).strip() for key in keys if str(key).strip()]
    if (
        not chosen
        or any(key not in styles.LINES for key in chosen)
        or len(set(chosen)) != len(chosen)
    ):
        raise Invalid("lines must list header lines: {options}", options=", ".join(styles.LINES))
    return chosen


def _parse(payload: Payload) -> tuple[str, dict[str, Any]]:
    base = fields.text(payload, "style", max_len=40)
    if base not in styles.BUILT_IN:
        raise Invalid("style must be one of: {options}", options=", ".join(sorted(styles.BUILT_IN)))
    overrides: dict[str, Any] = {}
    for name in ("chair_label", "heading", "marker"):
        if name in payload:
            overrides[name] = fields.text(payload, name, max_len=fields.NAME_MAX, required=False)
    if payload.get("separator") not in (None, ""):
        overrides["separator"] = _separator(payload)
    for name, kind in CHOICES.items():
        if payload.get(name) not in (None, ""):
            overrides[name] = fields.choice(payload, name, kind).value
    if payload.get("chair_among_members") not in (None, ""):
        overrides["chair_among_members"] = fields.boolean(payload, "chair_among_members")
    for name in ("attendance_titles", "statement_titles"):
        titles = _pairs(payload, name, {role.value for role in Role})
        if titles is not None:
            overrides[name] = titles
    labels = _pairs(payload, "labels", set(styles.LINES))
    if labels:
        overrides["labels"] = {**styles.STANDARD_LABELS, **labels}
    lines = _lines(payload)
    if lines:
        overrides["lines"] = lines
    return base, overrides


@action(
    "body.minutes_style",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=_parse,
    fields=(
        fields.one_of("style", styles.BUILT_IN),
        *(fields.one_of(name, kind) for name, kind in CHOICES.items()),
        *fields.declare(
            chair_label=fields.Kind.TEXT,
            separator=fields.Kind.TEXT,
            heading=fields.Kind.TEXT,
            marker=fields.Kind.TEXT,
            chair_among_members=fields.Kind.BOOLEAN,
            attendance_titles=fields.Kind.LINES,
            statement_titles=fields.Kind.LINES,
            labels=fields.Kind.LINES,
            lines=fields.Kind.LINES,
        ),
    ),
)
async def set_style(conn: Conn, ctx: Context, params: tuple[str, dict[str, Any]]) -> Outcome:
    """Choose the body's minutes style; drafts print in it from now on, and a finalized
    revision keeps the style it was approved in."""
    base, overrides = params
    setting = styles.setting_of(base, overrides)
    await people.set_minutes_style(conn, ctx.body_id, setting)
    return Outcome(log={"style": base, "overrides": sorted(overrides)})
