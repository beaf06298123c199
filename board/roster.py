"""The roster as a spreadsheet file: reading it (UTF-8 with or without a BOM, or Shift_JIS as
Excel in Japan writes it), planning what an import would do, row by row, and writing it back
in the same format.

Planning is pure: it compares the file with the roster it is given and says per row whether
the person is added, changed, unchanged or refused (and why). Nothing here writes; the
``roster.import`` action applies a plan only when no row is refused.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from board.actions import fields
from board.actions.errors import ActionError, Invalid
from board.i18n import N_
from board.models import Body, Person, Role, RosterEntry
from board.spreadsheet import BOM, FORMULA_START, Breaks, to_csv

FILE_MAX_BYTES = 2 * 1024 * 1024
ROWS_MAX = 500  # the roster's own limit: a body holds at most this many people
EMAIL_MAX = 254


class Column(StrEnum):
    NAME = "name"
    READING = "reading"
    DEPARTMENT = "department"
    ROLE = "role"
    EMAIL = "email"


# The header the export writes (Japanese first, as the secretariats' spreadsheets are),
# and every header an import understands for each column.
HEADER = {
    Column.NAME: "氏名",
    Column.READING: "ふりがな",
    Column.DEPARTMENT: "所属",
    Column.ROLE: "役割",
    Column.EMAIL: "メールアドレス",
}
_ALIASES = {
    Column.NAME: ("氏名", "名前", "name"),
    Column.READING: ("ふりがな", "フリガナ", "よみがな", "ヨミガナ", "読み", "reading"),
    Column.DEPARTMENT: ("所属", "部署", "所属部署", "department", "affiliation"),
    Column.ROLE: ("役割", "区分", "role"),
    Column.EMAIL: ("メールアドレス", "メール", "e-mail", "email", "mail"),
}
_HEADER_NAMES = {alias.casefold(): column for column, names in _ALIASES.items() for alias in names}
_DEFAULT_TITLES = {"議長": Role.CHAIR, "事務局": Role.SECRETARIAT, "委員": Role.MEMBER}
_DEFAULT_TITLES["傍聴者"] = Role.OBSERVER
_KANA = re.compile(r"^[\u3041-\u3096\u309d\u309e\u30fc ]+$")
_EMAIL = re.compile(r"^[^@\s\"<>(),;:]+@[^@\s\"<>(),;:]+\.[^@\s\"<>(),;:]+$")


class Status(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(slots=True)
class Row:
    """One line of the file as planned: what it would do, and for a refusal, why."""

    line: int
    status: Status
    entry: RosterEntry
    person_id: int | None = None
    changed: list[str] = field(default_factory=list)
    reason: ActionError | None = None

    def as_json(self) -> dict[str, Any]:
        person = self.entry.person
        return {
            "line": self.line,
            "status": self.status.value,
            "person_id": self.person_id,
            "name": person.name,
            "reading": self.entry.reading,
            "department": person.affiliation,
            "role": person.role.value,
            "email": self.entry.email,
            "changed": self.changed,
            "reason": None if self.reason is None else self.reason.message,
        }


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a BOM says so outright), else Shift_JIS (Windows' cp932)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid(N_("the file starts as UTF-8 but is not valid UTF-8")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise Invalid(N_("the file is neither UTF-8 nor Shift_JIS text")) from None


def hiragana(reading: str) -> str:
    """A reading as the roster keeps it: full-width, katakana turned into hiragana, single
    spaces, so the code points run in 五十音 order."""
    text = " ".join(unicodedata.normalize("NFKC", reading).split())
    return "".join(chr(ord(ch) - 0x60) if "\u30a1" <= ch <= "\u30f6" else ch for ch in text)


def _unformula(value: str) -> str:
    # The export writes a cell that starts like a formula with a leading ' : read it back.
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _columns(header: Sequence[str]) -> dict[Column, int]:
    found: dict[Column, int] = {}
    for index, title in enumerate(header):
        column = _HEADER_NAMES.get(title.strip().lstrip(BOM).casefold())
        if column is None:
            if title.strip():
                raise Invalid(N_("unknown column {column} in the header"), column=title.strip())
            continue
        if column in found:
            raise Invalid(N_("the column {column} appears twice"), column=title.strip())
        found[column] = index
    if Column.NAME not in found:
        raise Invalid(N_("the first line must name the columns, with at least 氏名 (name)"))
    return found


def read_rows(text: str) -> list[tuple[int, dict[Column, str]]]:
    """The file's data rows (line number, cells by column); blank lines are skipped."""
    reader = csv.reader(io.StringIO(text.lstrip(BOM), newline=""))
    try:
        records = list(reader)
    except csv.Error as error:
        raise Invalid(N_("the file is not CSV: {problem}"), problem=str(error)) from None
    if not records:
        raise Invalid(N_("the file is empty"))
    columns = _columns(records[0])
    rows = []
    for line, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            column: _unformula(record[index]) if index < len(record) else ""
            for column, index in columns.items()
        }
        rows.append((line, cells))
    if len(rows) > ROWS_MAX:
        raise Invalid(
            N_("the file lists {count} people; a body holds at most {limit}"),
            count=len(rows),
            limit=ROWS_MAX,
        )
    return rows


def _roles(body: Body) -> dict[str, Role]:
    names: dict[str, Role] = {role.value: role for role in Role}
    names.update(_DEFAULT_TITLES)
    for role in Role:
        names.setdefault(body.title_for(role), role)
    return names


def _entry(cells: dict[Column, str], roles: dict[str, Role], body_id: int) -> RosterEntry:
    """A row's cells checked one by one; the first fault is the row's refusal."""
    name = fields.text({"氏名": cells[Column.NAME]}, "氏名", max_len=fields.NAME_MAX)
    reading = hiragana(
        fields.text(
            {"ふりがな": cells.get(Column.READING, "")},
            "ふりがな",
            max_len=fields.NAME_MAX,
            required=False,
        )
    )
    if reading and not _KANA.match(reading):
        raise Invalid(N_("the reading must be written in kana: {reading}"), reading=reading)
    department = fields.text(
        {"所属": cells.get(Column.DEPARTMENT, "")}, "所属", max_len=fields.TITLE_MAX, required=False
    )
    role_text = fields.text({"役割": cells.get(Column.ROLE, "")}, "役割", required=False)
    role = roles.get(role_text, roles.get(role_text.casefold())) if role_text else Role.MEMBER
    if role is None:
        raise Invalid(N_("unknown role {role}"), role=role_text)
    email = fields.text(
        {"メールアドレス": cells.get(Column.EMAIL, "")},
        "メールアドレス",
        max_len=EMAIL_MAX,
        required=False,
    )
    if email and not _EMAIL.match(email):
        raise Invalid(N_("not an e-mail address: {email}"), email=email)
    return RosterEntry(Person(0, body_id, name, department, role), reading, email)


def _differences(old: RosterEntry, new: RosterEntry) -> list[str]:
    pairs = {
        Column.NAME: (old.person.name, new.person.name),
        Column.READING: (old.reading, new.reading),
        Column.DEPARTMENT: (old.person.affiliation, new.person.affiliation),
        Column.ROLE: (old.person.role, new.person.role),
        Column.EMAIL: (old.email, new.email),
    }
    return [column.value for column, (before, after) in pairs.items() if before != after]


def plan(
    text: str, body: Body, current: Sequence[RosterEntry], actor_id: int
) -> tuple[list[Row], list[str]]:
    """What importing the file would do to the roster, row by row, and the columns it has.

    A row matches a person by e-mail address when it gives one the roster knows, otherwise
    by name. A column the file leaves out keeps what the roster has; a role left empty
    keeps the person's role (a new person is a member)."""
    rows = read_rows(text)
    present = set(rows[0][1]) if rows else set()
    roles = _roles(body)
    by_email = {entry.email.casefold(): entry for entry in current if entry.email}
    by_name: dict[str, list[RosterEntry]] = {}
    for entry in current:
        by_name.setdefault(entry.person.name, []).append(entry)
    seen: dict[str, int] = {}
    planned = []
    for line, cells in rows:
        blank = RosterEntry(Person(0, body.id, cells.get(Column.NAME, "").strip(), "", Role.MEMBER))
        try:
            entry = _entry(cells, roles, body.id)
            row = _match(line, entry, cells, by_email, by_name, present, actor_id)
            key = entry.email.casefold() or entry.person.name
            if key in seen:
                raise Invalid(N_("the same person is listed on line {line}"), line=seen[key])
            seen[key] = line
        except ActionError as error:
            row = Row(line, Status.REFUSED, blank, reason=error)
        planned.append(row)
    return planned, [column.value for column in Column if column in present]


def _match(
    line: int,
    entry: RosterEntry,
    cells: dict[Column, str],
    by_email: dict[str, RosterEntry],
    by_name: dict[str, list[RosterEntry]],
    present: set[Column],
    actor_id: int,
) -> Row:
    found = by_email.get(entry.email.casefold()) if entry.email else None
    if found is None:
        namesakes = by_name.get(entry.person.name, [])
        if len(namesakes) > 1:
            raise Invalid(
                N_("{count} people on the roster are called {name}: give an e-mail address"),
                count=len(namesakes),
                name=entry.person.name,
            )
        found = namesakes[0] if namesakes else None
    if found is None:
        return Row(line, Status.ADDED, entry)
    old = found.person
    # What the file does not say, the roster keeps.
    role = entry.person.role if cells.get(Column.ROLE, "").strip() else old.role
    merged = RosterEntry(
        replace(
            entry.person,
            id=old.id,
            role=role,
            affiliation=entry.person.affiliation
            if Column.DEPARTMENT in present
            else old.affiliation,
        ),
        entry.reading if Column.READING in present else found.reading,
        entry.email if Column.EMAIL in present else found.email,
    )
    if old.id == actor_id and role is not Role.SECRETARIAT:
        raise Invalid(N_("you cannot remove your own secretariat role"))
    changed = _differences(found, merged)
    status = Status.CHANGED if changed else Status.UNCHANGED
    return Row(line, status, merged, person_id=old.id, changed=changed)


def export(body: Body, entries: Sequence[RosterEntry], *, bom: bool) -> str:
    """The roster in the file format the import reads, roles as the body titles them."""
    rows = [
        [e.person.name, e.reading, e.person.affiliation, body.title_for(e.person.role), e.email]
        for e in entries
    ]
    return to_csv(list(HEADER.values()), rows, breaks=Breaks.SPACE, bom=bom)
