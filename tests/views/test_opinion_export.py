"""The CSV export of a meeting's opinions, read back with Python's csv module."""

from __future__ import annotations

import csv
import io

from tests.support import Seeded, Server, act, api

TEXTS = [
    "普通の意見です。",
    "カンマ, を含む意見, です",
    "引用符 \"ダブル\" と 'シングル' を含む",
    "改行を\n含む\r\n意見\rです",
    "<script>alert('x')</script><b>太字</b>",
    '=HYPERLINK("http://example.com")',
    "バックスラッシュ \\n は文字のまま",
    "絵文字と異体字: 𠮷野家 髙橋 🙂",
]


def _restore(field: str) -> str:
    """Undo the export's one-line escaping: \\n is a line break, \\\\ a backslash."""
    out, index = [], 0
    while index < len(field):
        if field[index] == "\\" and index + 1 < len(field):
            out.append("\n" if field[index + 1] == "n" else field[index + 1])
            index += 2
        else:
            out.append(field[index])
            index += 1
    return "".join(out)


def test_every_opinion_is_exported_one_record_per_line(server: Server, seeded: Seeded) -> None:
    member, secretariat = api(server, seeded.members[0]), api(server, seeded.secretariat)
    ids = []
    for index, text in enumerate(TEXTS):
        item_id = 1 + index % 4
        response = act(member, 1, "opinion.write", item_id=item_id, stance="concern", text=text)
        assert response.status_code == 200, response.text
        ids.append(response.json()["opinion_id"])
    act(member, 1, "opinion.withdraw", opinion_id=ids[0])
    act(secretariat, 1, "opinion.answer", opinion_id=ids[1], answer='回答です。\n二行目, "引用"')

    response = secretariat.get("/meetings/1/opinions.csv?bom=1")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert len(lines) - 1 == 1 + len(TEXTS)  # header, then one line per opinion
    assert all("\n" not in line and "\r" not in line for line in lines)

    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, records = rows[0], rows[1:]
    assert header[0] == "意見ID" and "意見" in header
    column = header.index("意見")
    by_id = {int(record[0]): record for record in records}
    assert sorted(by_id) == sorted(ids)
    for opinion_id, original in zip(ids, TEXTS, strict=True):
        field = by_id[opinion_id][column]
        if original.startswith("="):
            assert field == "'" + original.replace("\\", "\\\\")
            continue
        expected = original.replace("\r\n", "\n").replace("\r", "\n")
        assert _restore(field) == expected
    assert by_id[ids[0]][header.index("状態")] == "取下げ"
    assert _restore(by_id[ids[1]][header.index("書面回答")]) == '回答です。\n二行目, "引用"'
    assert by_id[ids[1]][header.index("事務局の扱い")] == "書面で回答済み"
    # Times in the board's zone with the offset, like minutes.csv (issue 12, point 8).
    created = [record[header.index("記入日時")] for record in records]
    assert all(moment.endswith("+09:00") for moment in created), created

    plain = secretariat.get("/meetings/1/opinions.csv", headers={"accept-language": "en"})
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    english = list(csv.DictReader(io.StringIO(plain.content.decode("utf-8"), newline="")))
    assert len(english) == len(TEXTS)
    assert {row["Stance"] for row in english} == {"Concern"}
    assert "<script>alert('x')</script><b>太字</b>" in [row["Opinion"] for row in english]


def test_only_the_secretariat_exports(server: Server, seeded: Seeded) -> None:
    for token in (seeded.members[0], seeded.chair, seeded.observer):
        assert api(server, token).get("/meetings/1/opinions.csv").status_code == 403
