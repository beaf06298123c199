"""The live room's state read after a change reuses what the change's parts say cannot have
changed: after every kind of change it must equal a fresh read of the whole room, or a
device that joins would be shown an out-of-date room."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from board.actions.dispatch import dispatch
from board.changes import Change
from board.live.parts import Part, regions
from board.models import Person
from board.store import materials, people, snapshot
from board.timeutil import now_iso
from tests.support import Seeded, store_for

pytestmark = pytest.mark.asyncio

PDF = b"%PDF-1.4\n% bench\n"
SHA = hashlib.sha256(PDF).hexdigest()


async def test_the_state_after_each_change_equals_a_fresh_read(seeded: Seeded) -> None:
    db = store_for(seeded.db_path, readers=1)
    await db.open()
    try:

        async def person(token: str) -> Person:
            async def find(conn: Any) -> Person | None:
                return await people.person_for_token(conn, token)

            found = await db.run_read(find)
            assert found is not None
            return found

        chair, secretariat = await person(seeded.chair), await person(seeded.secretariat)
        author, other = await person(seeded.members[0]), await person(seeded.members[1])
        async with db.write() as conn:
            blob = materials.Blob(sha256=SHA, size=len(PDF), media_type="application/pdf")
            await materials.register_blob(conn, chair.body_id, blob, now_iso())

        steps: list[tuple[Person, str, dict[str, Any]]] = [
            (chair, "meeting.start", {}),
            (author, "opinion.write", {"item_id": 2, "stance": "support", "text": "賛成です"}),
            (other, "opinion.agree", {"opinion_id": 1}),
            (secretariat, "opinion.triage", {"opinion_id": 1, "triage": "raise"}),
            (secretariat, "opinion.answer", {"opinion_id": 1, "answer": "回答します"}),
            (author, "opinion.edit", {"opinion_id": 1, "text": "修正しました"}),
            (chair, "opinion.to_queue", {"opinion_id": 1}),
            (secretariat, "material.add", {"item_id": 2, "sha256": SHA, "filename": "a.pdf"}),
            (author, "material.open", {"version_id": 1}),
            (chair, "agenda.goto", {"item_id": 2}),
            (chair, "floor.grant", {}),
            (chair, "floor.end", {}),
            (author, "opinion.write", {"item_id": 3, "stance": "question", "text": "質問"}),
            (secretariat, "agenda.edit", {"item_id": 3, "title": "題名の変更"}),
            (secretariat, "comments.close", {}),
            (secretariat, "comments.open", {}),
            (author, "opinion.withdraw", {"opinion_id": 2}),
            (secretariat, "material.remove", {"material_id": 1}),
            (chair, "agenda.next", {}),
            (secretariat, "minutes.add", {"item_id": 3, "person_id": author.id, "text": "補足"}),
        ]
        state = await db.run_read(snapshot.load, 1)
        for actor, name, payload in steps:
            marked: list[tuple[frozenset[Part], frozenset[int]]] = []

            def publish(change: Change) -> None:
                marked.append((regions(change.aspects), change.items))  # noqa: B023 - called before the next step

            await dispatch(db, publish, actor, name, payload, meeting_id=1)
            assert marked, f"{name} changed nothing"
            parts, items = marked[0]
            state = await db.run_read(snapshot.load, 1, state, parts, items)
            assert state == await db.run_read(snapshot.load, 1), name
    finally:
        await db.close()
