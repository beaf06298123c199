"""Exports are safe to open (issue 11, point 5): no cell of minutes.csv or opinions.csv is
run as a formula by spreadsheet software; both go through one helper."""

from __future__ import annotations

import csv
import io

import pytest

from board.spreadsheet import Breaks, cell, to_csv
from tests.minutes.driven import drive, ok
from tests.support import Seeded, Server, act

FORMULAS = [
    '=HYPERLINK("http://example.com","押してください")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\n=1+1",  # a leading break is dropped, which must not uncover the formula
]


@pytest.mark.parametrize("breaks", list(Breaks))
@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_becomes_text_under_either_line_break_policy(text: str, breaks: Breaks) -> None:
    safe = cell(text, breaks)
    assert not safe.lstrip().startswith(("=", "+", "-", "@"))
    assert safe.startswith("'") or (breaks is Breaks.ESCAPE and safe.startswith("\\n"))


def test_the_policies_keep_text_on_one_line() -> None:
    assert cell("一行目\r\n二行目 \\n", Breaks.ESCAPE) == "一行目\\n二行目 \\\\n"
    assert cell("  一行目 \r\n  二行目 ", Breaks.SPACE) == "一行目 二行目"
    assert cell("普通の発言", Breaks.SPACE) == "普通の発言" and cell(None, Breaks.SPACE) == ""
    text = to_csv(["a", "=b"], [[1, "=c"]], breaks=Breaks.SPACE, bom=True)
    assert text == "\ufeffa,'=b\r\n1,'=c\r\n"


def test_minutes_csv_neutralises_formulas(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    statements = meeting.statements()
    for statement, text in zip(statements, FORMULAS, strict=False):
        ok(act(meeting.secretariat, 1, "minutes.edit", statement_id=statement["id"], text=text))
    ok(
        act(
            meeting.secretariat,
            1,
            "minutes.edit",
            statement_id=statements[0]["id"],
            speaker_title="=1+2",
        )
    )
    for query in ("", "?copy=public"):
        response = meeting.secretariat.get(f"/meetings/1/minutes.csv{query}")
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
        texts = [row["text"] for row in rows]
        for text in FORMULAS[: len(statements)]:
            assert "'" + text.strip() in texts
        for row in rows:
            assert not any(value.startswith(("=", "+", "-", "@", "\t")) for value in row.values())
        assert rows[0]["speaker_title"] == "'=1+2"
