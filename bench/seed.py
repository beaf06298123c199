"""Seed a benchmark database (a SQLite file or a PostgreSQL URL) straight through the
store: bodies with as many members as a workload needs (the roster limit of 500 applies to
the ``person.add`` action, not here), a personal token for each, and one meeting per body,
published and started through the real ``meeting.start`` action."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from board import timeutil
from board.actions.body import new_token
from board.actions.dispatch import dispatch
from board.changes import Change
from board.demo import AGENDA, BODY
from board.models import MeetingStatus, Role
from board.store import materials, meetings, people
from board.store.db import Conn, Store, open_store
from board.store.materials import Blob

FAMILY = "佐藤鈴木高橋田中伊藤渡辺山本中村小林加藤吉田山田佐々木山口松本井上木村林斎藤清水"
GIVEN = "一郎花子健太美咲翔太陽菜大輔結衣直樹彩香"


@dataclass
class Room:
    meeting_id: int
    body_id: int
    chair: str
    members: list[str]
    # With ``presenting``: a secretariat member's token and a PDF version they present.
    presenter: str = ""
    version_id: int = 0


def member_name(index: int) -> str:
    family = FAMILY[2 * (index % 21) : 2 * (index % 21) + 2]
    given = GIVEN[2 * (index % 10) : 2 * (index % 10) + 2]
    return f"{family} {given} {index + 1:04d}"


def agenda(size: int) -> list[dict[str, Any]]:
    extra = [
        {
            "title": f"報告事項 {number}",
            "presenter": "事務局",
            "planned_minutes": 5,
            "kind": "report",
        }
        for number in range(len(AGENDA) + 1, size + 1)
    ]
    return [*AGENDA, *extra]


async def _presenter(conn: Conn, body_id: int, meeting_id: int, at: str) -> tuple[str, int]:
    """A secretariat member and a 40-page PDF attached to the first item, for page turns
    (``material.present`` reads the version's row, not its bytes)."""
    person_id = await people.add_person(conn, body_id, "中村 直樹", "事務局", Role.SECRETARIAT)
    token = new_token()
    await people.add_link(conn, person_id, token)
    blob = Blob("0" * 64, 1_000_000, "application/pdf")
    await materials.register_blob(conn, body_id, blob, at)
    item_id = (await meetings.items(conn, meeting_id))[0].id
    material_id = await materials.add_material(conn, meeting_id, item_id, "資料1", at)
    version_id, _ = await materials.add_version(conn, material_id, blob, "資料1.pdf", person_id, at)
    return token, version_id


async def _seed(
    db: Store, bodies: int, members: int, items: int, presenting: bool = False
) -> list[Room]:
    rooms = []
    day = timeutil.today()  # the board's day: meeting.start checks it
    for number in range(bodies):
        async with db.write() as conn:
            name = f"{BODY['name']} 第{number + 1}委員会"
            body_id = await people.create_body(conn, name, BODY)
            chair_id = await people.add_person(conn, body_id, "山本 誠一", "市長", Role.CHAIR)
            chair = new_token()
            await people.add_link(conn, chair_id, chair)
            tokens = []
            for index in range(members):
                person_id = await people.add_person(
                    conn, body_id, member_name(index), f"第{index % 40 + 1}課", Role.MEMBER
                )
                token = new_token()
                await people.add_link(conn, person_id, token)
                tokens.append(token)
            meeting_id = await meetings.create_meeting(
                conn,
                body_id,
                {
                    "title": f"令和8年度第2回 {name}会議",
                    "date": day,
                    "start_time": "14:00",
                    "planned_end": "15:30",
                    "place": "本庁舎5階 第1会議室",
                    "speech_limit_seconds": 180,
                },
            )
            for item in agenda(items):
                await meetings.add_item(conn, meeting_id, item)
            await meetings.set_status(conn, meeting_id, MeetingStatus.PUBLISHED)
            presenter, version_id = (
                await _presenter(conn, body_id, meeting_id, f"{day}T09:00:00+09:00")
                if presenting
                else ("", 0)
            )
            chair_person = await people.person_for_token(conn, chair)
        assert chair_person is not None

        def nobody_listens(change: Change) -> None:
            return None

        await dispatch(db, nobody_listens, chair_person, "meeting.start", {}, meeting_id=meeting_id)
        rooms.append(Room(meeting_id, body_id, chair, tokens, presenter, version_id))
    return rooms


def seed(
    target: Path | str, *, bodies: int, members: int, items: int = 0, presenting: bool = False
) -> list[Room]:
    """Seed ``target`` with the rooms: a SQLite file (read back when it was seeded before)
    or an empty PostgreSQL database. The agenda is the demo's, lengthened to ``items`` when
    that is more."""
    tokens = Path(target).with_suffix(".json") if isinstance(target, Path) else None
    if isinstance(target, Path) and target.exists() and tokens and tokens.exists():
        return [Room(**room) for room in json.loads(tokens.read_text())]

    async def run() -> list[Room]:
        db = open_store(target)
        await db.open()
        try:
            return await _seed(db, bodies, members, items, presenting)
        finally:
            await db.close()

    rooms = asyncio.run(run())
    if tokens is not None:
        tokens.write_text(json.dumps([asdict(room) for room in rooms]))
    return rooms
