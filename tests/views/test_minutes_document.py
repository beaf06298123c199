"""A known meeting, written through the API, exported as the expected document exactly:
header, numbering, role labels, era date with weekday, 以上; and its JSON against the
schema."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest

from board.minutes import SCHEMA
from tests.minutes.driven import ok
from tests.support import Seeded, Server, act, api

PRESENT = (
    "本部長 1名（山本 誠一）、本部員 3名（髙橋 美智子、𠮷田 健太郎、佐々木 直樹）、"
    "事務局 2名（青木 翔、西村 美穂）"
)
ABSENT = (
    "伊藤 恵、渡邊 隆、中村 由紀、小林 修、加藤 明美、斎藤 浩二、松本 千尋、井上 剛、"
    "木村 さやか、林 大輔、清水 陽子、山口 哲也、森 亜希子、池田 正人、橋本 香織、阿部 亮、"
    "石川 真理、山下 勇気、中島 聡子、前田 和也、藤田 久美子、後藤 拓海、岡田 奈緒、長谷川 博、"
    "村上 彩、近藤 誠、坂本 瞳"
)

EXPECTED_TEXT = f"""令和8年度第2回 みなと市行政経営推進本部会議 会議録（抄）

日時　令和8年11月26日（木）午後2時00分～午後3時30分
場所　本庁舎5階 第1会議室
出席者　{PRESENT}
欠席者　本部員 27名（{ABSENT}）
傍聴者　2名
資料　資料1 みなと市DX推進計画（改定案）、資料2 書かない窓口の導入について

議事の経過

1. 開会あいさつ

○本部長（山本 誠一）　本日はお忙しいところお集まりいただき、ありがとうございます。

2. 議事

(1) みなと市DX推進計画（改定案）について

○事務局（青木 翔）　資料1に基づき、改定案の概要を説明した。

○本部員（髙橋 美智子）　デジタル人材の確保について、庁内での育成の方針を示してほしい。

○本部員（𠮷田 健太郎）　窓口の混雑状況を把握しているか。
　来年度の予算規模も伺いたい。

(2) 「書かない窓口」の導入と窓口のデジタル化について

○事務局（西村 美穂）【非公開：個人情報を含むため】　相談者の個別の事例を説明した。

3. 令和9年度に向けた取組方針の決定

【決定事項】
・令和9年度の取組方針を原案のとおり決定した。

【対応事項】
・窓口の混雑状況を調査し、次回会議で報告する（担当：市民生活部、期限：令和9年3月31日）

以上

{{footer}}
"""

EXPECTED_MARKDOWN = f"""# 令和8年度第2回 みなと市行政経営推進本部会議 会議録（抄）

- 日時：令和8年11月26日（木）午後2時00分～午後3時30分
- 場所：本庁舎5階 第1会議室
- 出席者：{PRESENT}
- 欠席者：本部員 27名（{ABSENT}）
- 傍聴者：2名
- 資料：資料1 みなと市DX推進計画（改定案）、資料2 書かない窓口の導入について

## 議事の経過

### 1. 開会あいさつ

**○本部長（山本 誠一）**　本日はお忙しいところお集まりいただき、ありがとうございます。

### 2. 議事

#### (1) みなと市DX推進計画（改定案）について

**○事務局（青木 翔）**　資料1に基づき、改定案の概要を説明した。

**○本部員（髙橋 美智子）**　デジタル人材の確保について、庁内での育成の方針を示してほしい。

**○本部員（𠮷田 健太郎）**　窓口の混雑状況を把握しているか。\\
来年度の予算規模も伺いたい。

#### (2) 「書かない窓口」の導入と窓口のデジタル化について

**○事務局（西村 美穂）**【非公開：個人情報を含むため】　相談者の個別の事例を説明した。

### 3. 令和9年度に向けた取組方針の決定

**【決定事項】**

- 令和9年度の取組方針を原案のとおり決定した。

**【対応事項】**

- 窓口の混雑状況を調査し、次回会議で報告する（担当：市民生活部、期限：令和9年3月31日）

以上

---

{{footer}}
"""


# The board's clock starts here for these tests, on the day the meeting is held (the minutes
# take the day it was actually held): 08:00 in Tokyo is 23:00 the day before in UTC, so a
# document that took "today" from the machine's zone would print the 25th.
CLOCK_START = "2026-11-26T08:00:00+09:00"


@pytest.fixture
def server(seeded: Seeded) -> Iterator[Server]:
    running = Server(
        seeded.db_path, env={"BOARD_TIMEZONE": "Asia/Tokyo", "BOARD_CLOCK_START": CLOCK_START}
    ).start()
    try:
        yield running
    finally:
        running.stop()


def today_in_the_era() -> str:
    """The finalization day as the footer writes it, computed here by hand (令和 began in
    2019): the board's clock day in Tokyo, not the machine's."""
    return "令和8年11月26日（木）"


def write_known_meeting(server: Server, seeded: Seeded) -> dict[str, httpx.Client]:
    chair = api(server, seeded.chair)
    secretariat = api(server, seeded.secretariat)
    second_secretariat = api(server, seeded.token("secretariat", 1))
    members = [api(server, token) for token in seeded.members[:3]]
    ok(
        act(
            secretariat,
            1,
            "meeting.update",
            title="令和8年度第2回 みなと市行政経営推進本部会議",
            date="2026-11-26",
            place="本庁舎5階 第1会議室",
        )
    )
    # A heading item 議事 after the opening; items 2 and 3 become its sub-items.
    heading = ok(act(secretariat, 1, "agenda.add", title="議事", kind="report"))["item_id"]
    ok(act(secretariat, 1, "agenda.move", item_id=heading, to=1))
    ok(act(chair, 1, "meeting.start"))  # the chair is present from the start
    ids = {
        name: mark_present(client)
        for name, client in (
            ("chair", chair),
            ("secretariat", secretariat),
            ("second_secretariat", second_secretariat),
        )
    }
    for member in members:
        mark_present(member)
    ok(
        act(
            secretariat,
            1,
            "minutes.add",
            item_id=1,
            person_id=ids["chair"],
            text="本日はお忙しいところお集まりいただき、ありがとうございます。",
        )
    )
    ok(act(chair, 1, "agenda.goto", item_id=2))
    ok(
        act(
            secretariat,
            1,
            "minutes.add",
            item_id=2,
            person_id=ids["secretariat"],
            text="資料1に基づき、改定案の概要を説明した。",
        )
    )
    summaries = [
        "デジタル人材の確保について、庁内での育成の方針を示してほしい。",
        "窓口の混雑状況を把握しているか。\n来年度の予算規模も伺いたい。",
    ]
    for member, text in zip(members[:2], summaries, strict=True):
        ok(act(member, 1, "floor.request"))
        request_id = ok(act(chair, 1, "floor.grant"))["request_id"]
        ok(act(chair, 1, "floor.end"))
        ok(
            act(
                secretariat,
                1,
                "minutes.edit",
                statement_id=_entry(secretariat, request_id),
                text=text,
            )
        )
    ok(act(chair, 1, "agenda.goto", item_id=3))
    ok(act(members[2], 1, "floor.request"))
    left_out = ok(act(chair, 1, "floor.grant"))["request_id"]
    private = ok(
        act(
            secretariat,
            1,
            "minutes.add",
            item_id=3,
            person_id=ids["second_secretariat"],
            text="相談者の個別の事例を説明した。",
        )
    )["statement_id"]
    ok(act(chair, 1, "meeting.adjourn"))
    ok(
        act(
            secretariat,
            1,
            "minutes.edit",
            statement_id=_entry(secretariat, left_out),
            text="学校現場での活用も検討されたい。",
        )
    )
    ok(
        act(
            secretariat,
            1,
            "minutes.excerpt",
            statement_id=_entry(secretariat, left_out),
            included=False,
        )
    )
    ok(
        act(
            secretariat,
            1,
            "minutes.disclosure",
            statement_id=private,
            public=False,
            reason="個人情報を含むため",
        )
    )
    for item_id in (2, 3):
        ok(act(secretariat, 1, "minutes.outline", item_id=item_id, level=2))
    ok(
        act(
            secretariat,
            1,
            "minutes.add_decision",
            item_id=4,
            text="令和9年度の取組方針を原案のとおり決定した。",
        )
    )
    ok(
        act(
            secretariat,
            1,
            "minutes.add_action_item",
            item_id=4,
            what="窓口の混雑状況を調査し、次回会議で報告する",
            department="市民生活部",
            due_date="2027-03-31",
        )
    )
    ok(
        act(
            secretariat,
            1,
            "minutes.header",
            kind="excerpt",
            opened="14:00",
            closed="15:30",
            observers=2,
            materials="資料1 みなと市DX推進計画（改定案）\n資料2 書かない窓口の導入について",
        )
    )
    return {"chair": chair, "secretariat": secretariat, "member": members[0]}


def mark_present(client: httpx.Client) -> int:
    """Record the person behind a token as present (the meeting is in session); return
    their id."""
    ok(act(client, 1, "attendance.mark"))
    person_id: int = ok(client.get("/api/me"))["person_id"]
    return person_id


def _entry(client: httpx.Client, request_id: int) -> int:
    """The statement entry the floor made of a speech."""
    response = client.get("/api/meetings/1/minutes")
    entries = response.json()["document"]["statements"]
    events = client.get("/api/meetings/1/events").json()["events"]
    granted = next(
        e
        for e in events
        if e["action"] == "floor.grant" and e["payload"]["request_id"] == request_id
    )
    started = granted["payload"]["started_at"]
    found: int = next(s["id"] for s in entries if s["started_at"] == started)
    return found


@pytest.fixture
def finalized(server: Server, seeded: Seeded) -> dict[str, Any]:
    clients = write_known_meeting(server, seeded)
    ok(act(clients["secretariat"], 1, "minutes.submit"))
    approved = ok(act(clients["chair"], 1, "minutes.approve"))
    return {**clients, **approved}


def footer(sha256: str, *, markdown: bool) -> str:
    lines = [f"第1版　{today_in_the_era()}確定", "承認　本部長 山本 誠一", f"SHA-256　{sha256}"]
    return ("\n\n" if markdown else "\n").join(lines)


def test_the_text_export_is_the_expected_document(finalized: dict[str, Any]) -> None:
    response = finalized["secretariat"].get("/meetings/1/minutes.txt")
    assert response.status_code == 200
    expected = EXPECTED_TEXT.replace("{footer}", footer(finalized["sha256"], markdown=False))
    assert response.text == expected


def test_the_markdown_export_is_the_expected_document(finalized: dict[str, Any]) -> None:
    response = finalized["secretariat"].get("/meetings/1/minutes.md")
    assert response.status_code == 200
    expected = EXPECTED_MARKDOWN.replace("{footer}", footer(finalized["sha256"], markdown=True))
    assert response.text == expected


def test_the_public_copy_omits_the_non_public_statement(finalized: dict[str, Any]) -> None:
    response = finalized["secretariat"].get("/meetings/1/minutes.txt?copy=public")
    text = response.text
    assert "相談者の個別の事例" not in text and "非公開" not in text.split("以上")[0]
    assert "(2) 「書かない窓口」の導入と窓口のデジタル化について\n\n3. " in text
    assert f"SHA-256　{finalized['public_sha256']}" in text
    assert "公開用の写し（非公開とした発言を除く）" in text


def test_western_years_on_request(finalized: dict[str, Any]) -> None:
    text = finalized["secretariat"].get("/meetings/1/minutes.txt?era=western").text
    assert "日時　2026年11月26日（木）午後2時00分～午後3時30分" in text
    assert "期限：2027年3月31日" in text


def test_the_json_export_validates_against_the_schema(finalized: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    secretariat = finalized["secretariat"]
    for query in ("", "?copy=public"):
        response = secretariat.get(f"/meetings/1/minutes.json{query}")
        errors = [error.message for error in validator.iter_errors(response.json())]
        assert errors == [], query
    # Finalized minutes have no working draft (a revision opens one).
    assert secretariat.get("/meetings/1/minutes.json?draft=1").status_code == 404
    document = secretariat.get("/meetings/1/minutes.json").json()
    assert document["kind"] == "excerpt"
    assert [s["speaker_title"] for s in document["statements"]] == [
        "本部長",
        "事務局",
        "本部員",
        "本部員",
        "事務局",
    ]
    assert [s["item_number"] for s in document["statements"]] == [
        "1",
        "2(1)",
        "2(1)",
        "2(1)",
        "2(2)",
    ]
    served = secretariat.get("/api/schema/minutes.json")
    assert served.status_code == 200 and served.json() == schema


def test_the_html_document_is_accessible_and_prints_on_a4(finalized: dict[str, Any]) -> None:
    secretariat = finalized["secretariat"]
    page = secretariat.get("/meetings/1/minutes/document")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="ja">' in html and "<h1>" in html and '<th scope="row">日時</th>' in html
    assert "令和8年11月26日（木）午後2時00分～午後3時30分" in html
    assert '<p class="closing">以上</p>' in html
    assert "@page { size: A4;" in html
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in page.headers["content-security-policy"]
    assert "script" not in page.headers["content-security-policy"].split("default-src")[0]
    download = secretariat.get("/meetings/1/minutes.html")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert 'class="doc-nav"' not in download.text
