"""CSV that is safe to open in spreadsheet software: UTF-8 (optionally with a BOM so it is
read as UTF-8), one record per line, and no cell that the software would run as a formula.

The exports differ in one policy only, how a line break inside a cell is kept on one line,
so that is the argument; formulas are neutralised in every cell of every export.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

BOM = "\ufeff"
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and
# Google Sheets; a leading ' makes it text (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BREAK = re.compile(r"\r\n|\r|\n")
_BREAK_AND_SPACE = re.compile(r"\s*[\r\n]+\s*")


class Breaks(StrEnum):
    """How a cell's line breaks are kept on one line."""

    ESCAPE = "escape"  # as the two characters \n, a backslash doubled: the text restores
    SPACE = "space"  # a break and the space around it become one space (open-data habit)


def cell(value: object, breaks: Breaks) -> str:
    text = "" if value is None else str(value)
    if breaks is Breaks.ESCAPE:
        flat = _BREAK.sub(r"\\n", text.replace("\\", "\\\\"))
    else:
        flat = _BREAK_AND_SPACE.sub(" ", text).strip()
    return "'" + flat if flat.startswith(FORMULA_START) else flat


def to_csv(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, breaks: Breaks, bom: bool = False
) -> str:
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(name, breaks) for name in header])
    for row in rows:
        writer.writerow([cell(value, breaks) for value in row])
    return out.getvalue()
