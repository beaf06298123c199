"""The document as a reader sees it: header lines, numbered items, labelled statements.

Markdown, plain text and HTML are thin formatters over this one layout, so every format
says the same thing in the same order. The layout is in Japanese whatever the interface
language: it is the municipal document (日時, 出席者, 以上 ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from board import timeutil
from board.minutes.era import Calendar, date_text, iso_date_text
from board.minutes.model import Copy, Document, MinutesStatus, PersonGroup, StatementDoc
from board.minutes.style import STANDARD, Counting, Speaker, Style
from board.minutes.style import of_document as style_of
from board.votes import minutes as votes_minutes

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
class VoteView:
    id: int
    lines: list[str]  # the question and method, the result, a named vote's voters


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    number: str  # "1." at level 1, "(1)" at level 2
    level: int
    title: str
    statements: list[StatementView]
    decisions: list[Entry]
    action_items: list[Entry]
    votes: list[VoteView] = field(default_factory=list)  # 採決, printed before the decisions
    omitted: str = ""  # the mark (※省略) beside an item an excerpt omits, else ""


@dataclass(frozen=True, slots=True)
class Layout:
    title: str
    header: list[HeaderLine]
    items: list[ItemView]
    footer: list[str]
    draft: bool
    public: bool
    heading: str = HEADING  # "" when the style leaves it out
    separator: str = "　"  # between a header label and its value
    closing: str = CLOSING
    decisions_label: str = DECISIONS
    votes_label: str = votes_minutes.LABEL
    action_items_label: str = ACTION_ITEMS
    draft_mark: str = DRAFT_MARK
    non_public_label: str = NON_PUBLIC
    sha256: str | None = None
    revision: int | None = None


ONLINE = "オンライン"


def group_text(groups: list[PersonGroup], the_style: Style = STANDARD) -> str:
    """本部長 1名（山本 誠一）、本部員 3名（…、髙橋 美智子（オンライン））、事務局 2名; without
    names, those who took part online are counted: 本部員 30名（うちオンライン 3名）. A style
    may count only (本部員 32名), count the chair among the members (本部員 市長以下32名) and
    title a role otherwise than on statements."""
    groups = list(groups)
    chair = next((g for g in groups if g["role"] == "chair"), None)
    members = next((g for g in groups if g["role"] == "member"), None)
    lead = ""
    if the_style.chair_among_members and chair is not None and members is not None:
        merged = dict(members)
        merged["count"] = members["count"] + chair["count"]
        merged["names"] = chair["names"] + members["names"]
        merged["online"] = members.get("online", 0) + chair.get("online", 0)
        merged["online_names"] = chair.get("online_names", []) + members.get("online_names", [])
        groups = [
            cast(PersonGroup, merged) if g is members else g for g in groups if g is not chair
        ]
        lead = f"{the_style.chair_label}以下" if the_style.chair_label else ""
    parts = []
    for group in groups:
        title = the_style.attendance_titles.get(group["role"], group["title"])
        text = f"{title} {lead if group['role'] == 'member' else ''}{group['count']}名"
        remote = group.get("online_names", [])
        if group["names"] and the_style.counting is Counting.NAMES:
            names = [f"{name}（{ONLINE}）" if name in remote else name for name in group["names"]]
            text += "（" + "、".join(names) + "）"
        elif group.get("online", 0):
            text += f"（うち{ONLINE} {group.get('online', 0)}名）"
        parts.append(text)
    return "、".join(parts) or NONE


def speaker_label(statement: StatementDoc, the_style: Style = STANDARD) -> str:
    """○本部員（髙橋 美智子）, ○本部員, or ○髙橋 美智子 委員, as the style labels speakers."""
    title, name = statement["speaker_title"], statement["speaker"]
    if name and the_style.speaker is Speaker.ROLE_NAME:
        return f"{the_style.marker}{title}（{name}）"
    if name and the_style.speaker is Speaker.NAME_ROLE:
        return f"{the_style.marker}{name} {title}"
    return f"{the_style.marker}{title}"


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


def header_lines(document: Document, the_style: Style, calendar: Calendar) -> list[HeaderLine]:
    """The header the style shows, in its order, with its labels."""
    meeting = document["meeting"]
    attendance = document["attendance"]
    observers = attendance["observers"]
    values = {
        "date": date_text(date.fromisoformat(meeting["date"]), calendar)
        + the_style.span(meeting["opened"], meeting["closed"]),
        "place": meeting["place"],
        "present": group_text(attendance["present"], the_style),
        "absent": group_text(attendance["absent"], the_style),
        "observers": f"{observers}名" if observers else NONE,
        "materials": "、".join(document["materials"]) or NONE,
    }
    return [
        HeaderLine(the_style.label(key), values[key])
        for key in the_style.lines
        if values[key] or key != "place"
    ]


def layout(
    document: Document, *, calendar: Calendar | None = None, sha256: str | None = None
) -> Layout:
    """The document laid out in the style it was written in; ``calendar`` overrides the
    style's calendar (a reader asking for Western years)."""
    the_style = style_of(document.get("style"))
    calendar = calendar or the_style.calendar
    header = header_lines(document, the_style, calendar)
    items = []
    for item in document["items"]:
        statements = [
            StatementView(
                id=statement["id"],
                label=speaker_label(statement, the_style),
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
                votes=[VoteView(v["id"], votes_minutes.printed(v)) for v in item.get("votes", [])],
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
        heading=the_style.heading,
        separator=the_style.separator,
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
