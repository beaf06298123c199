"""The roster as a file on a real server: preview, confirm, each kind of refused row, the
encodings Excel writes, 500 people, and that nothing changes until a clean file is confirmed."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

import httpx
import pytest

from tests.support import Seeded, Server, api

HEADER = "氏名,ふりがな,所属,役割,メールアドレス\r\n"
GOOD = HEADER + (
    "髙橋 美智子,たかはし みちこ,副市長室,本部員,takahashi@city.example.jp\r\n"
    "𠮷田 一郎,ヨシダ イチロウ,デジタル推進課,委員,yoshida@city.example.jp\r\n"
    "相田 花子,あいだ はなこ,総務課,member,aida@city.example.jp\r\n"
)


@pytest.fixture
def secretariat(server: Server, seeded: Seeded) -> httpx.Client:
    return api(server, seeded.secretariat)


def send(client: httpx.Client, data: bytes, *, confirm: bool = False) -> httpx.Response:
    return client.post(
        "/api/bodies/1/roster",
        content=data,
        params={"confirm": "1"} if confirm else {},
        headers={"content-type": "text/csv"},
    )


def exported(client: httpx.Client) -> str:
    response = client.get("/bodies/1/roster.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return response.text


def records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def statuses(preview: dict[str, Any]) -> list[tuple[int, str]]:
    return [(row["line"], row["status"]) for row in preview["rows"]]


def test_a_good_file_is_previewed_then_imported(secretariat: httpx.Client) -> None:
    before = exported(secretariat)
    response = send(secretariat, GOOD.encode("utf-8"))
    assert response.status_code == 200, response.text
    preview = response.json()
    assert statuses(preview) == [(2, "changed"), (3, "added"), (4, "added")]
    first = preview["rows"][0]
    assert first["changed"] == ["reading", "department", "email"]
    assert preview["rows"][1]["reading"] == "よしだ いちろう"  # katakana kept as hiragana
    assert preview["counts"] == {"added": 2, "changed": 1, "unchanged": 0, "refused": 0}
    assert exported(secretariat) == before  # a preview changes nothing

    response = send(secretariat, GOOD.encode("utf-8"), confirm=True)
    assert response.status_code == 200, response.text
    assert response.json()["confirmed"] is True
    assert len(response.json()["added"]) == 2
    rows = records(exported(secretariat))
    assert rows[0] == ["氏名", "ふりがな", "所属", "役割", "メールアドレス"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["髙橋 美智子"] == [
        "髙橋 美智子",
        "たかはし みちこ",
        "副市長室",
        "本部員",
        "takahashi@city.example.jp",
    ]
    assert by_name["𠮷田 一郎"][3] == "本部員"
    # Readings sort the roster in 五十音 order, those without one after them.
    members = [row[0] for row in rows[1:] if row[3] == "本部員"]
    assert members[:3] == ["相田 花子", "髙橋 美智子", "𠮷田 一郎"]

    # The export reads back as a file that changes nothing.
    again = send(secretariat, exported(secretariat).encode("utf-8")).json()
    assert {row["status"] for row in again["rows"]} == {"unchanged"}


def test_shift_jis_and_a_bom_read_as_the_same_file(secretariat: httpx.Client) -> None:
    plain = send(secretariat, GOOD.encode("utf-8")).json()
    with_bom = send(secretariat, ("\ufeff" + GOOD).encode("utf-8")).json()
    sjis_text = GOOD.replace("𠮷田", "吉田")  # 𠮷 is beyond Shift_JIS; 髙 is in Windows' table
    shift_jis = send(secretariat, sjis_text.encode("cp932")).json()
    assert with_bom == plain
    assert statuses(shift_jis) == statuses(plain)
    assert shift_jis["rows"][0]["name"] == "髙橋 美智子"
    assert shift_jis["rows"][1]["name"] == "吉田 一郎"


BAD_ROWS = [
    (",なまえなし,総務課,委員,", "氏名 is required"),
    ("漢字 読み,漢字,総務課,委員,", "the reading must be written in kana: 漢字"),
    ("役割 不明,やくわり ふめい,総務課,部長,", "unknown role 部長"),
    ("宛先 誤り,あてさき あやまり,総務課,委員,not-an-address", "not an e-mail address"),
    ("相田 花子,あいだ はなこ,総務課,委員,", "the same person is listed on line 2"),
    ("青木 翔,あおき しょう,行政経営課長,本部員,", "you cannot remove your own secretariat role"),
    ('改行 入り,,"総務課\n企画係",委員,', "所属 must be a single line"),
    ("=HYPERLINK(1),,総務課,委員,\x01", "contains control characters"),
]


def test_each_kind_of_bad_row_is_refused_with_its_reason(
    secretariat: httpx.Client,
) -> None:
    before = exported(secretariat)
    text = HEADER + "相田 花子,あいだ はなこ,総務課,委員,\r\n"
    text += "".join(row + "\r\n" for row, _ in BAD_ROWS)
    preview = send(secretariat, text.encode("utf-8")).json()
    assert preview["rows"][0]["status"] == "added"
    for row, (line, reason) in zip(preview["rows"][1:], BAD_ROWS, strict=True):
        assert row["status"] == "refused", line
        assert reason in row["reason"], (line, row["reason"])
    assert preview["counts"]["refused"] == len(BAD_ROWS)

    response = send(secretariat, text.encode("utf-8"), confirm=True)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    assert "nothing was imported" in response.json()["message"]
    assert exported(secretariat) == before  # the good row was not imported either


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("氏名\r\n".encode("cp932") + b"\x81\x20\r\n", "neither UTF-8 nor Shift_JIS"),
        ("名前なし,所属\r\n山田,総務課\r\n".encode(), "unknown column 名前なし"),
        ("所属,役割\r\n総務課,委員\r\n".encode(), "at least 氏名"),
        (b"", "csv is required"),
        (("氏名\r\n" + "".join(f"委員{n}\r\n" for n in range(501))).encode(), "at most 500"),
    ],
)
def test_a_refused_file_changes_nothing(
    secretariat: httpx.Client, data: bytes, message: str
) -> None:
    before = exported(secretariat)
    for confirm in (False, True):
        response = send(secretariat, data, confirm=confirm)
        assert response.status_code == 422, response.text
        assert message in response.json()["message"]
    assert exported(secretariat) == before


def test_a_roster_of_500_people(secretariat: httpx.Client) -> None:
    current = records(exported(secretariat))
    room = 500 - (len(current) - 1)
    new = [[f"委員 {n:03d}", "いいん", "各課", "委員", ""] for n in range(room)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(current + new)
    data = out.getvalue().encode("utf-8")
    preview = send(secretariat, data).json()
    assert preview["counts"]["added"] == room and preview["counts"]["refused"] == 0
    response = send(secretariat, data, confirm=True)
    assert response.status_code == 200, response.text
    assert len(records(exported(secretariat))) == 501
    one_more = data + "委員 最後,,各課,委員,\r\n".encode()
    response = send(secretariat, one_more, confirm=True)
    assert response.status_code == 422
    assert len(records(exported(secretariat))) == 501


def test_only_the_secretariat_imports_or_exports(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    before = exported(secretariat)
    member = api(server, seeded.members[0])
    assert send(member, GOOD.encode("utf-8"), confirm=True).status_code == 403
    assert member.get("/bodies/1/roster.csv").status_code == 403
    assert exported(secretariat) == before


def test_the_roster_page_previews_then_imports(server: Server, seeded: Seeded) -> None:
    device = httpx.Client(
        base_url=server.base, follow_redirects=True, headers={"Origin": server.base}
    )
    server.clients.append(device)
    device.get(f"/join/{seeded.secretariat}")
    assert 'action="/bodies/1/roster"' in device.get("/bodies/1").text
    files = {"file": ("名簿.csv", GOOD.encode("cp932", errors="replace"), "text/csv")}
    preview = device.post("/bodies/1/roster", files=files)
    assert preview.status_code == 200, preview.text
    assert "まだ何も変わっていません" in preview.text
    assert "追加 2 件、変更 1 件、変更なし 0 件、受付不可 0 件" in preview.text
    assert "相田 花子" not in device.get("/bodies/1").text  # nothing changed yet
    text = re.search(
        r'<textarea name="csv" hidden aria-hidden="true">(.*?)</textarea>', preview.text, re.S
    )
    assert text is not None
    done = device.post(
        "/bodies/1/roster",
        files={"csv": (None, html.unescape(text.group(1))), "confirm": (None, "1")},
    )
    assert done.status_code == 200
    assert "名簿ファイルを取り込みました" in done.text and "相田 花子" in done.text

    bad = HEADER + "漢字 読み,漢字,総務課,委員,\r\n"
    refused = device.post("/bodies/1/roster", files={"file": ("x.csv", bad.encode(), "text/csv")})
    assert "ふりがなはかなで書いてください: 漢字" in refused.text
    assert "この内容で取り込む" not in refused.text
