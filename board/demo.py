"""A realistic demo, written for this product: a city's administrative-management
headquarters meeting on its DX plan. Every name here is fictional."""

from __future__ import annotations

from datetime import date

from board.actions.body import new_token
from board.models import MeetingStatus, Role
from board.store import meetings, people
from board.store.db import Database

BODY = {
    "name": "みなと市 行政経営推進本部",
    "chair_title": "本部長",
    "secretariat_title": "事務局",
    "member_title": "本部員",
    "observer_title": "傍聴者",
}
CHAIR = ("山本 誠一", "市長")
MEMBERS = [
    ("髙橋 美智子", "副市長"),
    ("𠮷田 健太郎", "副市長"),
    ("佐々木 直樹", "教育長"),
    ("伊藤 恵", "総務部長"),
    ("渡邊 隆", "企画政策部長"),
    ("中村 由紀", "財務部長"),
    ("小林 修", "デジタル推進部長"),
    ("加藤 明美", "市民生活部長"),
    ("斎藤 浩二", "福祉部長"),
    ("松本 千尋", "こども未来部長"),
    ("井上 剛", "健康部長"),
    ("木村 さやか", "環境部長"),
    ("林 大輔", "経済観光部長"),
    ("清水 陽子", "都市整備部長"),
    ("山口 哲也", "建設部長"),
    ("森 亜希子", "上下水道局長"),
    ("池田 正人", "消防長"),
    ("橋本 香織", "会計管理者"),
    ("阿部 亮", "議会事務局長"),
    ("石川 真理", "教育部長"),
    ("山下 勇気", "危機管理監"),
    ("中島 聡子", "選挙管理委員会事務局長"),
    ("前田 和也", "監査委員事務局長"),
    ("藤田 久美子", "農業委員会事務局長"),
    ("後藤 拓海", "人事課長"),
    ("岡田 奈緒", "広報課長"),
    ("長谷川 博", "資産経営課長"),
    ("村上 彩", "市民課長"),
    ("近藤 誠", "税務課長"),
    ("坂本 瞳", "情報政策課長"),
]
SECRETARIAT = [
    ("青木 翔", "行政経営課長"),
    ("西村 美穂", "行政経営課 主幹"),
    ("福田 大樹", "行政経営課 主査"),
    ("太田 舞", "行政経営課 主事"),
]
OBSERVERS = [("傍聴者 A", "市民"), ("傍聴者 B", "報道"), ("会議室スクリーン", "プロジェクター")]
AGENDA = [
    {"title": "開会あいさつ", "presenter": "本部長", "planned_minutes": 3, "kind": "greeting"},
    {
        "title": "みなと市DX推進計画（改定案）について",
        "presenter": "デジタル推進部長",
        "planned_minutes": 20,
        "kind": "report",
    },
    {
        "title": "「書かない窓口」の導入と窓口のデジタル化について",
        "presenter": "市民生活部長",
        "planned_minutes": 30,
        "kind": "discussion",
    },
    {
        "title": "令和9年度に向けた取組方針の決定",
        "presenter": "企画政策部長",
        "planned_minutes": 15,
        "kind": "decision",
    },
]


async def seed(db: Database, *, today: date | None = None) -> dict[str, list[tuple[str, str]]]:
    """Create the demo body, roster and meeting; return fresh sign-in tokens by role."""
    day = (today or date.today()).isoformat()
    links: dict[str, list[tuple[str, str]]] = {role.value: [] for role in Role}
    async with db.write() as conn:
        body_id = await people.create_body(conn, BODY["name"], BODY)
        groups = [
            (Role.CHAIR, [CHAIR]),
            (Role.MEMBER, MEMBERS),
            (Role.SECRETARIAT, SECRETARIAT),
            (Role.OBSERVER, OBSERVERS),
        ]
        for role, roster in groups:
            for name, affiliation in roster:
                person_id = await people.add_person(conn, body_id, name, affiliation, role)
                token = new_token()
                await people.add_link(conn, person_id, token)
                links[role.value].append((name, token))
        meeting_id = await meetings.create_meeting(
            conn,
            body_id,
            {
                "title": "令和8年度第2回 みなと市行政経営推進本部会議",
                "date": day,
                "start_time": "14:00",
                "planned_end": "15:30",
                "place": "本庁舎5階 第1会議室",
                "speech_limit_seconds": 180,
            },
        )
        for item in AGENDA:
            await meetings.add_item(conn, meeting_id, item)
        await meetings.set_status(conn, meeting_id, MeetingStatus.PUBLISHED)
    return links
