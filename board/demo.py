"""A realistic demo, written for this product: a city's administrative-management
headquarters meeting on its DX plan. Every name here is fictional."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import date, timedelta
from pathlib import Path

from board import timeutil
from board.actions.body import new_token
from board.blobs import BlobStore
from board.models import CommentWindow, MeetingStatus, Role, Stance
from board.store import materials, meetings, opinions, people, search
from board.store.db import Conn, Store

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


MATERIALS = [
    (
        2,
        "資料1 みなと市DX推進計画（改定案）の概要",
        "資料1_DX推進計画改定案_概要.md",
        """# みなと市DX推進計画（改定案）の概要

## 改定の趣旨
- 計画期間を令和9年度まで延長し、成果指標を見直します。
- 「書かない窓口」と電子申請の拡大を重点取組に位置付けます。

## 主な成果指標
| 指標 | 現状 | 目標 |
| --- | --- | --- |
| 電子申請できる手続の割合 | 42% | 80% |
| 窓口の平均待ち時間 | 28分 | 15分以内 |

## 御意見をいただきたい点
1. 重点取組の優先順位
2. 職員の人材育成の進め方
""",
    ),
    (
        3,
        "資料2 「書かない窓口」導入の進め方",
        "資料2_書かない窓口.txt",
        """「書かない窓口」導入の進め方（案）

1 対象：転入・転出・転居の届出から始め、順次拡大する。
2 方法：マイナンバーカードの読み取りにより申請書を作成し、署名のみとする。
3 時期：令和9年4月から本庁舎で試行し、同年10月から支所に展開する。
4 課題：高齢の方への案内、職員の研修、システム改修の費用。
""",
    ),
]
OPINIONS = [
    (0, 2, Stance.SUPPORT, "計画の方向性に賛成します。成果指標を毎年度公表してください。"),
    (3, 2, Stance.QUESTION, "電子申請の割合の目標80%は、どの手続を分母にした数字ですか。"),
    (7, 3, Stance.CONCERN, "高齢の方が窓口で戸惑わないよう、案内の職員を配置してほしい。"),
    (
        10,
        3,
        Stance.PROPOSAL,
        "支所への展開の前に、利用者アンケートで試行の結果を確かめてはどうか。",
    ),
]


async def _demo_materials(
    conn: Conn,
    files: BlobStore,
    body_id: int,
    meeting_id: int,
    items: list[int],
    author: int,
) -> None:
    at = timeutil.now_iso()
    for position, title, filename, text in MATERIALS:
        data = text.encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        media_type = "text/markdown" if filename.endswith(".md") else "text/plain"
        target = files.path(sha)

        def write(target: Path = target, data: bytes = data) -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

        await asyncio.to_thread(write)
        blob = materials.Blob(sha256=sha, size=len(data), media_type=media_type)
        await materials.register_blob(conn, body_id, blob, at)
        material_id = await materials.add_material(conn, meeting_id, items[position - 1], title, at)
        await materials.add_version(conn, material_id, blob, filename, author, at)


async def _demo_opinions(
    conn: Conn, body_id: int, meeting_id: int, items: list[int], members: list[int]
) -> None:
    at = timeutil.now_iso()
    for index, position, stance, text in OPINIONS:
        item_id = items[position - 1]
        opinion_id = await opinions.add(conn, meeting_id, item_id, members[index], stance, text, at)
        await search.put_opinion(
            conn,
            opinion_id,
            body_id=body_id,
            meeting_id=meeting_id,
            item_id=item_id,
            text=text,
            url=f"/meetings/{meeting_id}#opinion-{opinion_id}",
        )
        for agreeing in members[index + 1 : index + 1 + (6 - index % 4)]:
            await opinions.agree(conn, opinion_id, agreeing, at)


async def seed(
    db: Store, *, today: date | None = None, files_dir: Path | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Create the demo body, roster and meeting; return fresh sign-in tokens by role. With
    ``files_dir`` the demo also has materials, written opinions and a comment deadline."""
    day = (today or timeutil.local(timeutil.now()).date()).isoformat()
    links: dict[str, list[tuple[str, str]]] = {role.value: [] for role in Role}
    async with db.write() as conn:
        body_id = await people.create_body(conn, BODY["name"], BODY)
        groups = [
            (Role.CHAIR, [CHAIR]),
            (Role.MEMBER, MEMBERS),
            (Role.SECRETARIAT, SECRETARIAT),
            (Role.OBSERVER, OBSERVERS),
        ]
        ids: dict[Role, list[int]] = {role: [] for role in Role}
        for role, roster in groups:
            for name, affiliation in roster:
                person_id = await people.add_person(conn, body_id, name, affiliation, role)
                token = new_token()
                await people.add_link(conn, person_id, token)
                links[role.value].append((name, token))
                ids[role].append(person_id)
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
        items = [await meetings.add_item(conn, meeting_id, item) for item in AGENDA]
        await meetings.set_status(conn, meeting_id, MeetingStatus.PUBLISHED)
        if files_dir is not None:
            await _demo_materials(
                conn, BlobStore(files_dir), body_id, meeting_id, items, ids[Role.SECRETARIAT][0]
            )
            await _demo_opinions(conn, body_id, meeting_id, items, ids[Role.MEMBER])
            deadline = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
            window = CommentWindow(deadline=f"{deadline}T12:00:00+09:00")
            await opinions.set_window(conn, meeting_id, window)
    return links
