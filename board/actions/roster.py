"""Importing the roster from a spreadsheet file: a preview that changes nothing, then the
confirmed import, all or nothing."""

from __future__ import annotations

from typing import Any

from board import roster as roster_file
from board.actions import fields
from board.actions.errors import Conflict, Invalid
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Scope, action
from board.i18n import N_
from board.store import people
from board.store.db import Conn

IMPORT_FIELDS = fields.declare(csv=fields.Kind.MULTILINE, confirm=fields.Kind.BOOLEAN)
CSV_MAX = 2 * 1024 * 1024  # characters: a 500-person roster is well under


def _parse_import(payload: Payload) -> tuple[str, bool]:
    text = payload.get("csv")
    if not isinstance(text, str) or not text.strip():
        raise Invalid("{name} is required", name="csv")
    if len(text) > CSV_MAX:
        raise Invalid(
            "{name} is too long ({length} characters; the limit is {limit})",
            name="csv",
            length=len(text),
            limit=CSV_MAX,
        )
    fields.storable(text, "csv")
    return text, fields.boolean(payload, "confirm")


@action(
    "roster.import",
    Permission.MANAGE_BODY,
    scope=Scope.BODY,
    parse=_parse_import,
    fields=IMPORT_FIELDS,
)
async def import_roster(conn: Conn, ctx: Context, params: tuple[str, bool]) -> Outcome:
    """Without ``confirm``, the preview: what each row would do; nothing is written. With it,
    the import, only when no row is refused."""
    text, confirm = params
    assert ctx.body is not None
    current = await people.roster_entries(conn, ctx.body_id)
    rows, columns = roster_file.plan(text, ctx.body, current, ctx.actor.id)
    counts = {status.value: 0 for status in roster_file.Status}
    for row in rows:
        counts[row.status.value] += 1
    preview: dict[str, Any] = {
        "rows": [row.as_json() for row in rows],
        "counts": counts,
        "columns": columns,
        "confirmed": False,
    }
    if not confirm:
        return Outcome(record=False, result=preview)
    refused = [row for row in rows if row.status is roster_file.Status.REFUSED]
    if refused:
        raise Invalid(
            N_("{count} rows are refused (the first on line {line}); nothing was imported"),
            count=len(refused),
            line=refused[0].line,
        )
    if len(current) + counts["added"] > roster_file.ROWS_MAX:
        raise Conflict("a body holds at most {limit} people", limit=roster_file.ROWS_MAX)
    added, changed, role_changed = [], [], set()
    for row in rows:
        entry = row.entry
        if row.status is roster_file.Status.ADDED:
            added.append(await people.add_roster_entry(conn, ctx.body_id, entry))
        elif row.status is roster_file.Status.CHANGED:
            assert row.person_id is not None
            person = entry.person
            values = {
                "name": person.name,
                "affiliation": person.affiliation,
                "role": person.role.value,
                "reading": entry.reading,
                "email": entry.email,
            }
            await people.update_person(
                conn, row.person_id, {key: values[key] for key in _stored(row.changed)}
            )
            changed.append(row.person_id)
            if "role" in row.changed:
                role_changed.add(row.person_id)
    preview["confirmed"] = True
    return Outcome(
        # Who was added or changed; never the addresses, which the log has no need of.
        log={"added": added, "changed": changed},
        result={**preview, "added": added, "changed": changed},
        access_changed=frozenset(role_changed),
    )


def _stored(columns: list[str]) -> list[str]:
    return ["affiliation" if column == "department" else column for column in columns]
