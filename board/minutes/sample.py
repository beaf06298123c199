"""A small sample of minutes, for previewing a minutes style before a body chooses it:
made-up names, the body's own titles, one item with sub-items and one omitted."""

from __future__ import annotations

from dataclasses import replace

from board.minutes.model import (
    FORMAT,
    FORMAT_VERSION,
    KIND_TITLES,
    OMITTED_MARK,
    ActionItemDoc,
    Attendance,
    BodyRef,
    Copy,
    DecisionDoc,
    Document,
    ItemDoc,
    MeetingDoc,
    MinutesKind,
    MinutesStatus,
    PersonGroup,
    StatementDoc,
)
from board.minutes.style import Style
from board.models import Body, Role


def _group(body: Body, role: Role, names: list[str], online: int = 0) -> PersonGroup:
    shown = names if body.show_names else []
    return PersonGroup(
        role=role.value,
        title=body.title_for(role),
        count=len(names),
        names=shown,
        online=online,
        online_names=shown[:online],
    )


def _statement(
    body: Body,
    style: Style,
    order: int,
    item: tuple[int, str, str],
    role: Role,
    name: str,
    text: str,
) -> StatementDoc:
    item_id, number, title = item
    return StatementDoc(
        id=order,
        order=order,
        item_id=item_id,
        item_number=number,
        item_title=title,
        speaker=name if body.show_names else None,
        speaker_role=role.value,
        speaker_title=style.statement_titles.get(role.value) or body.title_for(role),
        speaker_position="",
        started_at=None,
        ended_at=None,
        text=text,
        source="added",
        request_id=None,
        public=True,
        non_public_reason="",
    )


def sample(body: Body, style: Style) -> Document:
    """The sample document of ``body``, printed in ``style``."""
    if style.chair_among_members and not style.chair_label:
        style = replace(style, chair_label=body.chair_title)
    opening, report, business, first, second = (
        (1, "1", "開会"),
        (2, "2", "報告事項"),
        (3, "3", "議事"),
        (4, "3(1)", "計画の改定について"),
        (5, "3(2)", "窓口のデジタル化について"),
    )
    statements = [
        _statement(
            body, style, 1, opening, Role.CHAIR, "見本 太郎", "ただいまから会議を開きます。"
        ),
        _statement(body, style, 2, first, Role.SECRETARIAT, "見本 一郎", "資料1を説明した。"),
        _statement(body, style, 3, first, Role.MEMBER, "見本 花子", "進め方について伺いたい。"),
        _statement(body, style, 4, second, Role.MEMBER, "見本 次郎", "利用者の声を反映されたい。"),
    ]
    items = [
        ItemDoc(
            id=item_id,
            number=number,
            level=2 if "(" in number else 1,
            title=title,
            presenter="",
            decisions=[DecisionDoc(id=1, order=1, text="原案のとおり了承した。")]
            if item_id == 4
            else [],
            action_items=[
                ActionItemDoc(
                    id=1, order=1, what="次回会議で報告する", department="企画課", due=None
                )
            ]
            if item_id == 5
            else [],
            omitted=item_id == 2,
        )
        for item_id, number, title in (opening, report, business, first, second)
    ]
    return Document(
        format=FORMAT,
        version=FORMAT_VERSION,
        copy=Copy.ORIGINAL.value,
        status=MinutesStatus.DRAFT.value,
        revision=None,
        revision_reason="",
        finalized_at=None,
        approved_by=None,
        kind=MinutesKind.EXCERPT.value,
        title=f"令和8年度第1回 {body.name} {KIND_TITLES[MinutesKind.EXCERPT]}",
        body=BodyRef(id=body.id, name=body.name),
        meeting=MeetingDoc(
            id=0,
            title="見本",
            date="2026-04-20",
            opened="09:30",
            closed="11:00",
            place="本庁舎3階 会議室",
            started_at=None,
            adjourned_at=None,
        ),
        attendance=Attendance(
            present=[
                _group(body, Role.CHAIR, ["見本 太郎"]),
                _group(body, Role.MEMBER, ["見本 花子", "見本 次郎", "見本 三郎"], online=1),
                _group(body, Role.SECRETARIAT, ["見本 一郎"]),
            ],
            absent=[_group(body, Role.MEMBER, ["見本 四郎"])],
            observers=3,
        ),
        materials=["資料1 計画（改定案）"],
        items=items,
        statements=statements,
        omitted_mark=OMITTED_MARK,
        style=style.to_json(),
    )
