"""The document as a reader sees it: header lines, numbered items, labelled statements.

Markdown, plain text and HTML are thin formatters over this one layout, so every format
says the same thing in the same order. The layout is in Japanese whatever the interface
language: it is the municipal document (日時, 出席者, 以上 ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from board import timeutil
from board.minutes.era import Calendar, date_text, iso_date_text, span_text
from board.minutes.model import Copy, Document, MinutesStatus, PersonGroup, StatementDoc

HEADING = "議事の経過"
DECISIONS = "決定事項"
ACTION_ITEMS = "対応事項"
CLOSING = "以上"
DRAFT_MARK = "（案）"
NON_PUBLIC = "非公開"
NONE = "なし"


@dataclass(frozen=True, slots=True)
class HeaderLine:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class StatementView:
    id: int
    label: str  # ○本部員（髙橋 美智子）
    paragraphs: list[str]
    non_public_reason: str | None  # set on a non-public statement of the original


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    text: str


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    number: str  # "1." at level 1, "(1)" at level 2
    level: int
    title: str
    statements: list[StatementView]
    decisions: list[Entry]
    action_items: list[Entry]
    omitted: str = ""  # the mark (※省略) beside an item an excerpt omits, else ""


@dataclass(frozen=True, slots=True)
class Layout:
    title: str
    header: list[HeaderLine]
    items: list[ItemView]
    footer: list[str]
    draft: bool
    public: bool
    heading: str = HEADING
    closing: str = CLOSING
    decisions_label: str = DECISIONS
    action_items_label: str = ACTION_ITEMS
    draft_mark: str = DRAFT_MARK
    non_public_label: str = NON_PUBLIC
    sha256: str | None = None
    revision: int | None = None


ONLINE = "オンライン"


def group_text(groups: list[PersonGroup]) -> str:
    """本部長 1名（山本 誠一）、本部員 3名（…、髙橋 美智子（オンライン））、事務局 2名; without
    names, those who took part online are counted: 本部員 30名（うちオンライン 3名）."""
    parts = []
    for group in groups:
        text = f"{group['title']} {group['count']}名"
        remote = group.get("online_names", [])
        if group["names"]:
            names = [f"{name}（{ONLINE}）" if name in remote else name for name in group["names"]]
            text += "（" + "、".join(names) + "）"
        elif group.get("online", 0):
            text += f"（うち{ONLINE} {group.get('online', 0)}名）"
        parts.append(text)
    return "、".join(parts) or NONE


def speaker_label(statement: StatementDoc) -> str:
    if statement["speaker"]:
        return f"○{statement['speaker_title']}（{statement['speaker']}）"
    return f"○{statement['speaker_title']}"


def action_item_text(what: str, department: str, due: str | None, calendar: Calendar) -> str:
    details = []
    if department:
        details.append(f"担当：{department}")
    if due:
        details.append(f"期限：{iso_date_text(due, calendar, weekday=False)}")
    return what + ("（" + "、".join(details) + "）" if details else "")


def item_label(number: str, level: int) -> str:
    """Item 2 is "2." at level 1; item 2(1) is "(1)" at level 2."""
    return f"{number}." if level == 1 else number[number.index("(") :]


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def local_date(moment: str) -> date:
    return timeutil.local(timeutil.parse(moment)).date()


def layout(
    document: Document, *, calendar: Calendar = Calendar.JAPANESE, sha256: str | None = None
) -> Layout:
    meeting = document["meeting"]
    header = [
        HeaderLine(
            "日時",
            date_text(date.fromisoformat(meeting["date"]), calendar)
            + span_text(meeting["opened"], meeting["closed"]),
        )
    ]
    if meeting["place"]:
        header.append(HeaderLine("場所", meeting["place"]))
    attendance = document["attendance"]
    header += [
        HeaderLine("出席者", group_text(attendance["present"])),
        HeaderLine("欠席者", group_text(attendance["absent"])),
        HeaderLine("傍聴者", f"{attendance['observers']}名" if attendance["observers"] else NONE),
        HeaderLine("資料", "、".join(document["materials"]) or NONE),
    ]
    items = []
    for item in document["items"]:
        statements = [
            StatementView(
                id=statement["id"],
                label=speaker_label(statement),
                paragraphs=paragraphs(statement["text"]),
                non_public_reason=None
                if statement["public"]
                else statement["non_public_reason"] or NONE,
            )
            for statement in document["statements"]
            if statement["item_id"] == item["id"]
        ]
        items.append(
            ItemView(
                id=item["id"],
                number=item_label(item["number"], item["level"]),
                level=item["level"],
                title=item["title"],
                statements=statements,
                decisions=[Entry(d["id"], d["text"]) for d in item["decisions"]],
                action_items=[
                    Entry(a["id"], action_item_text(a["what"], a["department"], a["due"], calendar))
                    for a in item["action_items"]
                ],
                omitted=document.get("omitted_mark", "") if item.get("omitted") else "",
            )
        )
    draft = document["status"] != MinutesStatus.FINALIZED.value
    public = document["copy"] == Copy.PUBLIC.value
    return Layout(
        title=document["title"],
        header=header,
        items=items,
        footer=footer(document, calendar, sha256, draft=draft, public=public),
        draft=draft,
        public=public,
        sha256=sha256,
        revision=document["revision"],
    )


def footer(
    document: Document, calendar: Calendar, sha256: str | None, *, draft: bool, public: bool
) -> list[str]:
    lines = []
    if draft:
        lines.append("（案）この会議録は確定していません。")
    else:
        assert document["finalized_at"] is not None
        when = date_text(local_date(document["finalized_at"]), calendar)
        lines.append(f"第{document['revision']}版　{when}確定")
        if document["revision_reason"]:
            lines.append(f"訂正理由　{document['revision_reason']}")
        if document["approved_by"]:
            lines.append(f"承認　{document['approved_by']}")
    if public:
        lines.append("公開用の写し（非公開とした発言を除く）")
    if sha256:
        lines.append(f"SHA-256　{sha256}")
    return lines
