"""The statements as CSV: UTF-8, one record per statement, no line break inside a record (a
paragraph break is kept as an escaped ``\\n``, as ``opinions.csv`` keeps it), times in the
board's time zone with their offset, optionally with a BOM so spreadsheet software reads it
as UTF-8, and no cell it would run as a formula (``board.spreadsheet``)."""

from __future__ import annotations

from board import timeutil
from board.minutes.model import Copy, Document
from board.spreadsheet import Breaks
from board.spreadsheet import to_csv as write_csv

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


def to_csv(document: Document, *, bom: bool = False) -> str:
    original = document["copy"] == Copy.ORIGINAL.value
    columns = COLUMNS + (ORIGINAL_COLUMNS if original else ())
    rows = []
    for statement in document["statements"]:
        row: dict[str, object] = {
            **statement,
            "speaker": statement["speaker"] or "",
            "started_at": timeutil.local_iso(statement["started_at"]),
            "ended_at": timeutil.local_iso(statement["ended_at"]),
            "public": "1" if statement["public"] else "0",
        }
        rows.append([row[column] for column in columns])
    return write_csv(columns, rows, breaks=Breaks.ESCAPE, bom=bom)
