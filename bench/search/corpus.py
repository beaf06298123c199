"""A synthetic archive of municipal minutes: bodies, ten fiscal years of meetings, agenda
items and statements of realistic Japanese text with names, numbers and some English."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

BODIES = [
    "行政経営推進本部", "総合教育会議", "防災会議", "都市計画審議会", "子ども・子育て会議",
    "環境審議会", "地域福祉推進委員会", "公共交通会議", "男女共同参画審議会", "情報公開審査会",
    "文化振興審議会", "産業振興会議", "健康づくり推進協議会", "国民健康保険運営協議会",
    "上下水道事業経営審議会", "空家等対策協議会", "景観審議会", "スポーツ推進審議会",
    "図書館協議会", "デジタル推進本部",
]  # fmt: skip
ITEMS = [
    "令和{y}年度予算編成方針について", "人材育成基本方針の改定について", "地域防災計画の見直し",
    "公共施設等総合管理計画", "デジタル人材の確保について", "子育て支援事業の評価",
    "補正予算（案）について", "その他",
]  # fmt: skip
ROLES = ["本部長", "事務局", "委員", "委員", "委員", "副本部長"]
NAMES = ["髙橋", "佐藤", "鈴木", "田中", "𠮷田", "渡辺", "伊藤", "山本", "中村", "小林"]
COMMON = [
    "予算", "人材", "育成", "計画", "推進", "事業", "市民", "地域", "教育", "防災", "検討",
    "説明", "報告", "確認", "課題", "対応", "取組", "方針", "評価", "施設", "支援", "整備",
]  # fmt: skip
RARE = ["砂防", "減災", "補正", "港湾", "鳥獣", "姉妹都市", "子育て", "デジタル人材", "ＤＸ", "5G"]
PHRASES = ["Digital Transformation", "地域 防災", "ICT 教育"]
# Shares of the word slots (about ten per statement): each rare word ends up in about
# 0.3% of the statements, each phrase in about 0.07%, each common word in about a third.
RARE_SHARE = 0.003
PHRASE_SHARE = 0.002
GLUE = ["の", "を", "について", "に関して", "は", "が", "と", "も", "では", "として"]
ENDS = ["を進めてまいります。", "について説明します。", "が必要と考えます。", "はいかがか。",
        "を検討しております。", "について質問します。", "を確認したい。", "。"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Statement:
    body: int  # index into BODIES
    fiscal_year: int
    meeting: int  # index of the meeting within its body and year
    item: int  # index into ITEMS
    role: str
    name: str
    text: str


def sentence(rng: random.Random) -> str:
    words: list[str] = []
    for _ in range(rng.randint(3, 7)):
        roll = rng.random()
        if roll < RARE_SHARE:
            words.append(rng.choice(RARE))
        elif roll < RARE_SHARE + PHRASE_SHARE:
            words.append(rng.choice(PHRASES))
        elif roll < 0.05:
            words.append(f"{rng.randint(1, 9999):,}万円")
        else:
            words.append(rng.choice(COMMON))
        words.append(rng.choice(GLUE))
    return "".join(words[:-1]) + rng.choice(ENDS)


def statements(size: int, years: range, seed: int = 13) -> Iterator[Statement]:
    """``size`` statements spread over the bodies, years and about 200 per meeting."""
    rng = random.Random(seed)
    per_meeting = 200 if size >= 100_000 else 20
    meetings = max(size // per_meeting, 1)
    for number in range(size):
        meeting = number * meetings // size
        body = meeting % len(BODIES)
        year = years[(meeting // len(BODIES)) % len(years)]
        role = rng.choice(ROLES)
        text = "".join(sentence(rng) for _ in range(rng.randint(1, 3)))
        yield Statement(
            body,
            year,
            meeting // (len(BODIES) * len(years)),
            rng.randrange(len(ITEMS)),
            role,
            rng.choice(NAMES) if role == "委員" else "",
            text,
        )
