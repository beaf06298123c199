"""The exports agree with each other (issue 12, point 8): the CSV's times are the board's
local time with its offset, a paragraph break survives as an escaped ``\\n`` (as in
opinions.csv), and the HTML export carries the revision's SHA-256 like the others."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from tests.minutes.driven import drive, ok
from tests.support import Seeded, Server, act


def test_the_csv_and_the_html_export_agree_with_the_json(server: Server, seeded: Seeded) -> None:
    meeting = drive(server, seeded)
    first = meeting.statements()[0]
    text = "一段落目です。\n二段落目です。"
    ok(act(meeting.secretariat, 1, "minutes.edit", statement_id=first["id"], text=text))
    ok(act(meeting.secretariat, 1, "minutes.submit"))
    approved = ok(act(meeting.chair, 1, "minutes.approve"))

    exports = {
        fmt: meeting.secretariat.get(f"/meetings/1/minutes.{fmt}")
        for fmt in ("json", "md", "txt", "csv", "html")
    }
    for fmt, response in exports.items():
        assert response.status_code == 200, fmt
        assert response.headers["x-minutes-sha256"] == approved["sha256"], fmt
    page = meeting.secretariat.get("/meetings/1/minutes/document")
    assert page.headers["x-minutes-sha256"] == approved["sha256"]

    document = json.loads(exports["json"].text)
    rows = list(csv.DictReader(io.StringIO(exports["csv"].text, newline="")))
    assert rows[0]["text"] == "一段落目です。\\n二段落目です。"
    assert "\n" not in exports["csv"].text.replace("\r\n", "")
    for row, statement in zip(rows, document["statements"], strict=True):
        for column in ("started_at", "ended_at"):
            local = datetime.fromisoformat(row[column])
            assert row[column].endswith("+09:00"), row[column]
            stored = datetime.fromisoformat(statement[column])
            assert local == stored.replace(microsecond=0)
