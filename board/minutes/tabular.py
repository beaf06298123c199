"""The statements as CSV: UTF-8, one record per statement, no line break inside a record
(open-data habit), optionally with a BOM so spreadsheet software reads it as UTF-8."""

from __future__ import annotations

import csv
import io
import re

from board.minutes.model import Copy, Document

BOM = "\ufeff"
COLUMNS = (
    "order",
    "item_number",
    "item_title",
    "speaker",
    "speaker_role",
    "speaker_title",
    "speaker_position",
    "started_at",
    "ended_at",
    "text",
    "source",
)
ORIGINAL_COLUMNS = ("public", "non_public_reason")
_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def one_line(text: str) -> str:
    return _BREAKS.sub(" ", text).strip()


def to_csv(document: Document, *, bom: bool = False) -> str:
    original = document["copy"] == Copy.ORIGINAL.value
    columns = COLUMNS + (ORIGINAL_COLUMNS if original else ())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for statement in document["statements"]:
        row: dict[str, object] = {
            **statement,
            "speaker": statement["speaker"] or "",
            "started_at": statement["started_at"] or "",
            "ended_at": statement["ended_at"] or "",
            "public": "1" if statement["public"] else "0",
        }
        writer.writerow([one_line(str(row[column])) for column in columns])
    return (BOM if bom else "") + out.getvalue()
