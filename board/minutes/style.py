"""Each body's own minutes style (様式): header labels and punctuation, which header lines
appear and in what order, the time and date style, the speaker marker and whether names
follow the role, how attendance is counted, and titles that differ in the attendance line
and on statements.

A style is plain data. A body chooses a built-in style and may override a few of its
settings; the resolved style is written into every document (``Document["style"]``), so a
finalized revision keeps the layout it was approved in and its hash covers it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from board.minutes.era import Calendar, clock_text


class TimeStyle(StrEnum):
    AMPM = "ampm"  # 午後2時00分
    KANJI = "kanji"  # 14時00分
    COLON = "colon"  # 14:00


class Speaker(StrEnum):
    ROLE_NAME = "role_name"  # ○本部員（髙橋 美智子）
    ROLE = "role"  # ○本部員
    NAME_ROLE = "name_role"  # ○髙橋 美智子 委員


class Counting(StrEnum):
    NAMES = "names"  # 本部員 3名（髙橋 美智子、…）
    COUNT = "count"  # 本部員 32名


# The header lines a style may show, by key.
LINES = ("date", "place", "present", "absent", "observers", "materials")
STANDARD_LABELS = {
    "date": "日時",
    "place": "場所",
    "present": "出席者",
    "absent": "欠席者",
    "observers": "傍聴者",
    "materials": "資料",
}


@dataclass(frozen=True, slots=True)
class Style:
    name: str
    labels: dict[str, str] = field(default_factory=lambda: dict(STANDARD_LABELS))
    separator: str = "　"  # between a header label and its value
    lines: tuple[str, ...] = LINES
    heading: str = "議事の経過"  # "" leaves the heading out
    time: TimeStyle = TimeStyle.AMPM
    calendar: Calendar = Calendar.JAPANESE
    marker: str = "○"
    speaker: Speaker = Speaker.ROLE_NAME
    counting: Counting = Counting.NAMES
    # Count the chair among the members: 「本部員 市長以下32名」 (the chair's post, or
    # chair_label when set, names the first of them).
    chair_among_members: bool = False
    chair_label: str = ""
    # A role titled differently in the attendance line and on statements (本部員 / 委員).
    attendance_titles: dict[str, str] = field(default_factory=dict)
    statement_titles: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["lines"] = list(self.lines)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Style:
        known = {entry.name for entry in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if "lines" in values:
            values["lines"] = tuple(values["lines"])
        for key, kind in (
            ("time", TimeStyle),
            ("calendar", Calendar),
            ("speaker", Speaker),
            ("counting", Counting),
        ):
            if key in values:
                values[key] = kind(values[key])
        return cls(**values)

    def label(self, key: str) -> str:
        return self.labels.get(key, STANDARD_LABELS[key])

    def clock(self, hhmm: str) -> str:
        if self.time is TimeStyle.AMPM:
            return clock_text(hhmm)
        hours, minutes = (int(part) for part in hhmm.split(":")[:2])
        if self.time is TimeStyle.KANJI:
            return f"{hours}時{minutes:02d}分"
        return f"{hours}:{minutes:02d}"

    def span(self, opened: str, closed: str) -> str:
        if not opened:
            return ""
        return self.clock(opened) + (f"～{self.clock(closed)}" if closed else "")


# The layout the board has always printed: the default for a body that chose none.
STANDARD = Style("standard")

BUILT_IN = {
    style.name: style
    for style in (
        STANDARD,
        # A headquarters meeting's excerpt (本部会議 抄): counts only, the mayor counted
        # among the members, statements labelled by role alone.
        Style(
            "headquarters",
            speaker=Speaker.ROLE,
            counting=Counting.COUNT,
            chair_among_members=True,
        ),
        # A council committee's summary (委員会 要点筆記): 「日 時：」, 24-hour kanji times,
        # names before the title on every statement, no list of materials.
        Style(
            "council_committee",
            labels={
                "date": "日 時",
                "place": "場 所",
                "present": "出席委員等",
                "absent": "欠席委員",
                "observers": "傍聴人",
                "materials": "資 料",
            },
            separator="：",
            lines=("date", "place", "present", "absent", "observers"),
            time=TimeStyle.KANJI,
            speaker=Speaker.NAME_ROLE,
        ),
        # An advisory council's full transcript (審議会 全文): Western dates, 14:00, no
        # speaker marker, materials first among the lines after the date.
        Style(
            "advisory_board",
            labels={
                "date": "開催日時",
                "place": "開催場所",
                "present": "出席者",
                "absent": "欠席者",
                "observers": "傍聴者数",
                "materials": "配布資料",
            },
            separator="：",
            lines=("date", "place", "materials", "present", "absent", "observers"),
            heading="議事",
            time=TimeStyle.COLON,
            calendar=Calendar.WESTERN,
            marker="",
            speaker=Speaker.NAME_ROLE,
        ),
    )
}
# What a body may override on top of the built-in style it chose (every setting but its name).
OVERRIDES = tuple(entry.name for entry in fields(Style) if entry.name != "name")


def of_body(setting: str | None) -> Style:
    """The style a body's stored setting names (a JSON object: ``base`` and overrides)."""
    if not setting:
        return STANDARD
    data = json.loads(setting)
    base = BUILT_IN.get(str(data.get("base", "")), STANDARD)
    overrides = {key: data[key] for key in OVERRIDES if key in data}
    return Style.from_json({**base.to_json(), **overrides}) if overrides else base


def setting_of(base: str, overrides: dict[str, Any]) -> str:
    """The stored setting: the built-in's name and the overrides that differ from it."""
    chosen = BUILT_IN[base].to_json()
    kept = {key: value for key, value in overrides.items() if chosen[key] != value}
    return json.dumps({"base": base, **kept}, ensure_ascii=False, sort_keys=True)


def of_document(data: dict[str, Any] | None) -> Style:
    """The style a document was written in (a revision finalized before styles: STANDARD)."""
    return STANDARD if not data else Style.from_json(data)
