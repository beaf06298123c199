"""Each body's own minutes style (様式) (issue 12, point 3): the three built-in styles print
the known meeting exactly as expected; the headquarters style prints the header of the
product brief (「本部員 市長以下32名、事務局 4名」); a finalized revision keeps its style."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.minutes.driven import ok
from tests.support import Seeded, Server, act, api
from tests.views.test_minutes_document import ABSENT, CLOCK_START, PRESENT, write_known_meeting


@pytest.fixture
def server(seeded: Seeded) -> Iterator[Server]:
    running = Server(
        seeded.db_path, env={"BOARD_TIMEZONE": "Asia/Tokyo", "BOARD_CLOCK_START": CLOCK_START}
    ).start()
    try:
        yield running
    finally:
        running.stop()


def style(secretariat: httpx.Client, **payload: object) -> None:
    response = secretariat.post("/api/bodies/1/actions/body.minutes_style", json=payload)
    assert response.status_code == 200, response.text


def everyone_present(secretariat: httpx.Client) -> None:
    """A 31st member joins the roster, and the secretariat records everyone as present."""
    added = secretariat.post(
        "/api/bodies/1/actions/person.add",
        json={"name": "原田 光", "affiliation": "子育て支援課長", "role": "member"},
    )
    assert added.status_code == 200, added.text
    roster = ok(secretariat.get("/api/bodies/1/people"))["people"]
    for person in roster:
        if person["role"] != "observer":
            ok(
                act(
                    secretariat,
                    1,
                    "minutes.attendance",
                    person_id=person["person_id"],
                    present=True,
                )
            )


def text_of(secretariat: httpx.Client) -> str:
    response = secretariat.get("/meetings/1/minutes.txt")
    assert response.status_code == 200
    return response.text


STATEMENTS = """1. 開会あいさつ

{chair}　本日はお忙しいところお集まりいただき、ありがとうございます。

2. 議事

(1) みなと市DX推進計画（改定案）について

{first_secretariat}　資料1に基づき、改定案の概要を説明した。

{takahashi}　デジタル人材の確保について、庁内での育成の方針を示してほしい。

{yoshida}　窓口の混雑状況を把握しているか。
　来年度の予算規模も伺いたい。

(2) 「書かない窓口」の導入と窓口のデジタル化について

{left_out}{second_secretariat}【非公開：個人情報を含むため】　相談者の個別の事例を説明した。

3. 令和9年度に向けた取組方針の決定

【決定事項】
・令和9年度の取組方針を原案のとおり決定した。

【対応事項】
・窓口の混雑状況を調査し、次回会議で報告する（担当：市民生活部、期限：{due}）

以上

（案）この会議録は確定していません。
"""

# The product brief's header of a headquarters meeting's excerpt, exactly: the mayor counted
# among the 本部員, 本部員 in the attendance line and 委員 on the statements.
HEADQUARTERS = """令和8年度第2回 みなと市行政経営推進本部会議 会議録（抄）

日時　令和8年11月26日（木）午後2時00分～午後3時30分
場所　本庁舎5階 第1会議室
出席者　本部員 市長以下32名、事務局 4名
欠席者　なし
傍聴者　2名
資料　資料1 みなと市DX推進計画（改定案）、資料2 書かない窓口の導入について

議事の経過

""" + STATEMENTS.format(
    chair="○本部長",
    first_secretariat="○事務局",
    takahashi="○委員",
    yoshida="○委員",
    left_out="",  # an excerpt leaves this statement out
    second_secretariat="○事務局",
    due="令和9年3月31日",
)

COUNCIL_COMMITTEE = f"""令和8年度第2回 みなと市行政経営推進本部会議 会議録（要点筆記）

日 時：令和8年11月26日（木）14時00分～15時30分
場 所：本庁舎5階 第1会議室
出席委員等：{PRESENT}
欠席委員：本部員 27名（{ABSENT}）
傍聴人：2名

議事の経過

""" + STATEMENTS.format(
    chair="○山本 誠一 本部長",
    first_secretariat="○青木 翔 事務局",
    takahashi="○髙橋 美智子 本部員",
    yoshida="○𠮷田 健太郎 本部員",
    left_out="○佐々木 直樹 本部員　学校現場での活用も検討されたい。\n\n",
    second_secretariat="○西村 美穂 事務局",
    due="令和9年3月31日",
)

ADVISORY_BOARD = f"""令和8年度第2回 みなと市行政経営推進本部会議 会議録

開催日時：2026年11月26日（木）14:00～15:30
開催場所：本庁舎5階 第1会議室
配布資料：資料1 みなと市DX推進計画（改定案）、資料2 書かない窓口の導入について
出席者：{PRESENT}
欠席者：本部員 27名（{ABSENT}）
傍聴者数：2名

議事

""" + STATEMENTS.format(
    chair="山本 誠一 本部長",
    first_secretariat="青木 翔 事務局",
    takahashi="髙橋 美智子 本部員",
    yoshida="𠮷田 健太郎 本部員",
    left_out="佐々木 直樹 本部員　学校現場での活用も検討されたい。\n\n",
    second_secretariat="西村 美穂 事務局",
    due="2027年3月31日",
)


def test_the_headquarters_style_prints_the_brief_header(server: Server, seeded: Seeded) -> None:
    secretariat = write_known_meeting(server, seeded)["secretariat"]
    everyone_present(secretariat)
    style(secretariat, style="headquarters", statement_titles="member=委員")
    assert text_of(secretariat) == HEADQUARTERS


def test_the_council_committee_style(server: Server, seeded: Seeded) -> None:
    secretariat = write_known_meeting(server, seeded)["secretariat"]
    ok(act(secretariat, 1, "minutes.header", kind="summary"))
    style(secretariat, style="council_committee")
    assert text_of(secretariat) == COUNCIL_COMMITTEE


def test_the_advisory_board_style(server: Server, seeded: Seeded) -> None:
    secretariat = write_known_meeting(server, seeded)["secretariat"]
    ok(act(secretariat, 1, "minutes.header", kind="full"))
    style(secretariat, style="advisory_board")
    assert text_of(secretariat) == ADVISORY_BOARD


def test_a_finalized_revision_keeps_its_style(server: Server, seeded: Seeded) -> None:
    clients = write_known_meeting(server, seeded)
    secretariat = clients["secretariat"]
    style(secretariat, style="council_committee")
    ok(act(secretariat, 1, "minutes.submit"))
    approved = ok(act(clients["chair"], 1, "minutes.approve"))
    before = text_of(secretariat)
    assert "日 時：令和8年11月26日（木）14時00分～15時30分" in before
    style(secretariat, style="advisory_board")
    assert text_of(secretariat) == before  # the revision is printed as it was approved
    exported = secretariat.get("/meetings/1/minutes.json")
    assert exported.headers["x-minutes-sha256"] == approved["sha256"]
    assert exported.json()["style"]["name"] == "council_committee"


def test_only_the_secretariat_sets_a_known_style(server: Server, seeded: Seeded) -> None:
    secretariat, chair = api(server, seeded.secretariat), api(server, seeded.chair)
    refused = chair.post("/api/bodies/1/actions/body.minutes_style", json={"style": "standard"})
    assert refused.status_code == 403
    unknown = secretariat.post("/api/bodies/1/actions/body.minutes_style", json={"style": "x"})
    assert unknown.status_code == 422 and "headquarters" in unknown.json()["message"]
    bad = secretariat.post(
        "/api/bodies/1/actions/body.minutes_style",
        json={"style": "standard", "statement_titles": ["president=会長"]},
    )
    assert bad.status_code == 422


def test_a_style_is_previewed_on_a_sample(server: Server, seeded: Seeded) -> None:
    secretariat = api(server, seeded.secretariat)
    base = "/api/bodies/1/minutes-style/preview"
    headquarters = secretariat.get(base, params={"style": "headquarters"}).text
    assert "出席者　本部員 本部長以下4名（うちオンライン 1名）、事務局 1名" in headquarters
    assert "日時　令和8年4月20日（月）午前9時30分～午前11時00分" in headquarters
    assert (
        "2. 報告事項　※省略" in headquarters and "○本部員　進め方について伺いたい。" in headquarters
    )
    advisory = secretariat.get(base, params={"style": "advisory_board"}).text
    assert "開催日時：2026年4月20日（月）9:30～11:00" in advisory
    assert "見本 花子 本部員　進め方について伺いたい。" in advisory
    # Without a name: the body's own style, with its overrides.
    style(secretariat, style="headquarters", statement_titles="member=委員")
    own = secretariat.get(base).text
    assert "○委員　進め方について伺いたい。" in own
    assert secretariat.get(base, params={"style": "x"}).status_code == 422
    assert api(server, seeded.members[0]).get(base).status_code == 403


def test_the_secretariat_sets_the_style_on_the_body_page(server: Server, seeded: Seeded) -> None:
    with httpx.Client(base_url=server.base, follow_redirects=True) as browser:
        assert browser.get(f"/join/{seeded.secretariat}").status_code == 200
        page = browser.get("/bodies/1").text
        assert 'action="/bodies/1/actions/body.minutes_style"' in page
        saved = browser.post(
            "/bodies/1/actions/body.minutes_style",
            data={
                "style": "headquarters",
                "chair_label": "",
                "statement_titles": "member=委員\n",
                "attendance_titles": "",
            },
            headers={"Origin": server.base},
        )
        assert saved.status_code == 200 and "会議録の様式を保存しました" in saved.text
        assert '<option value="headquarters" selected>' in saved.text
        assert "member=委員" in saved.text
    preview = api(server, seeded.secretariat).get("/api/bodies/1/minutes-style/preview").text
    assert "○委員　進め方について伺いたい。" in preview


def test_a_body_makes_a_built_in_style_its_own(server: Server, seeded: Seeded) -> None:
    """Labels, punctuation, which lines and in what order, times, marker, speaker labels."""
    secretariat = write_known_meeting(server, seeded)["secretariat"]
    style(
        secretariat,
        style="standard",
        labels="date=日　時\nplace=会　場",
        separator="　",
        lines=["date", "place", "present"],
        heading="",
        time="kanji",
        calendar="western",
        marker="◯",
        speaker="role",
        counting="count",
        attendance_titles="secretariat=説明員",
    )
    text = text_of(secretariat)
    header, rest = text.split("\n\n", 2)[1:]
    assert header == (
        "日　時　2026年11月26日（木）14時00分～15時30分\n"
        "会　場　本庁舎5階 第1会議室\n"
        "出席者　本部長 1名、本部員 3名、説明員 2名"
    )
    assert "議事の経過" not in text and "資料" not in header
    assert rest.startswith("1. 開会あいさつ\n\n◯本部長　本日は")
    bad = secretariat.post(
        "/api/bodies/1/actions/body.minutes_style",
        json={"style": "standard", "lines": ["date", "agenda"]},
    )
    assert bad.status_code == 422 and "materials" in bad.json()["message"]
