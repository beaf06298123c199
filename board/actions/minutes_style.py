"""A body's minutes style (様式), set once by its secretariat: a built-in style and a few
overrides (board/minutes/style.py)."""

from __future__ import annotations

from typing import Any

from board.actions import fields
from board.actions.errors import Invalid
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Scope, action
from board.minutes import style as styles
from board.models import Role
from board.store import people
from board.store.db import Conn


def _titles(payload: Payload, name: str) -> dict[str, str] | None:
    """Lines of ``role=title`` (member=委員): a role's title in one place of the minutes."""
    value = payload.get(name)
    if value is None:
        return None
    lines = value.splitlines() if isinstance(value, str) else value
    if not isinstance(lines, list):
        raise Invalid("{name} must be lines of role=title", name=name)
    titles = {}
    for line in lines:
        text = fields.text({name: line}, name, required=False) if line else ""
        if not text:
            continue
        role, _, title = text.partition("=")
        if role.strip() not in {r.value for r in Role} or not title.strip():
            raise Invalid("{name} must be lines of role=title", name=name)
        titles[role.strip()] = title.strip()
    return titles


def _parse(payload: Payload) -> tuple[str, dict[str, Any]]:
    base = fields.text(payload, "style", max_len=40)
    if base not in styles.BUILT_IN:
        raise Invalid("style must be one of: {options}", options=", ".join(sorted(styles.BUILT_IN)))
    overrides: dict[str, Any] = {}
    if "chair_label" in payload:
        overrides["chair_label"] = fields.text(
            payload, "chair_label", max_len=fields.NAME_MAX, required=False
        )
    for name in ("attendance_titles", "statement_titles"):
        titles = _titles(payload, name)
        if titles is not None:
            overrides[name] = titles
    return base, overrides


@action(
    "body.minutes_style",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=_parse,
    fields=(
        fields.one_of("style", styles.BUILT_IN),
        *fields.declare(
            chair_label=fields.Kind.TEXT,
            attendance_titles=fields.Kind.LINES,
            statement_titles=fields.Kind.LINES,
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
