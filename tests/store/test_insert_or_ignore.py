"""An INSERT OR IGNORE that ignores reports no change (the last row id would say otherwise):
attendance, reads and agreement are each recorded, and logged, once."""

from __future__ import annotations

from pathlib import Path

from board.models import Stance
from board.store import meetings, opinions
from board.timeutil import now_iso
from tests.support import Seeded, Server, act, api, events, seed_database, store_for


async def test_a_repeated_insert_or_ignore_changes_nothing(seeded: Seeded) -> None:
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    try:
        async with db.write() as conn:
            assert await meetings.mark_present(conn, 1, 2) is True
            assert await meetings.mark_present(conn, 1, 2) is False
            opinion_id = await opinions.add(conn, 1, 2, 3, Stance.SUPPORT, "x", now_iso())
            assert await opinions.agree(conn, opinion_id, 2, now_iso()) is True
            assert await opinions.agree(conn, opinion_id, 2, now_iso()) is False
            assert await opinions.agree_count(conn, opinion_id) == 1
    finally:
        await db.close()


def test_opening_the_meeting_twice_logs_attendance_once(tmp_path: Path) -> None:
    seeded = seed_database(tmp_path / "board.db")
    server = Server(seeded.db_path).start()
    try:
        member = api(server, seeded.members[0])
        assert act(api(server, seeded.chair), 1, "meeting.start").status_code == 200
        for _ in range(3):
            assert member.get("/meetings/1").status_code == 200
        marks = [e for e in events(member) if e["action"] == "attendance.mark"]
        assert len(marks) == 1
    finally:
        server.stop()
