"""The search index in the store: every term from the index, and the index kept in step
with its texts inside the same transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import aiosqlite
import asyncpg
import pytest

from board.demo import seed
from board.minutes.access import Reader
from board.store import meetings, people
from board.store import search as index
from board.store import search_find as finder
from board.store.db import Store
from tests.support import ON_POSTGRES, drop_target, new_target, store_for

pytestmark = pytest.mark.asyncio
STAFF = Reader(staff_bodies=frozenset({1}))
MEMBER = Reader(member_bodies=frozenset({1}))


@pytest.fixture(autouse=True)
def dropped(tmp_path: Path) -> Iterator[None]:
    yield
    drop_target(tmp_path / "board.db")


async def _open(tmp_path: Path) -> Store:
    await asyncio.to_thread(new_target, tmp_path / "board.db")
    db = store_for(tmp_path / "board.db")
    await db.open()
    await seed(db)  # the demo body and meeting the indexed texts belong to
    return db


def _doc(ref_id: int, text: str, kind: index.Kind = index.Kind.STATEMENT) -> index.Doc:
    return index.Doc(kind, ref_id, 1, 1, 1, text, f"/meetings/1/minutes#s-{ref_id}")


async def test_two_character_terms_come_from_the_index(tmp_path: Path) -> None:
    """A two-character term (人材) is a token of the gram index, not a scan: on SQLite the
    FTS5 table answers it, on PostgreSQL the GIN index over the grams."""
    db = await _open(tmp_path)
    try:
        async with db.write() as conn:
            await index.put(conn, _doc(1, "デジタル人材の育成と確保"))
        async with db.read() as conn:
            if ON_POSTGRES:
                found = await conn.all("SELECT id FROM search_docs WHERE grams @> '{人材}'")
            else:
                found = await conn.all(
                    "SELECT rowid FROM search_grams WHERE search_grams MATCH '人材'"
                )
            assert len(found) == 1
            hits = (await finder.search(conn, "人材", STAFF)).hits
            assert [hit.ref_id for hit in hits] == [1]
            assert str(hits[0].snippet) == "デジタル<mark>人材</mark>の育成と確保"
    finally:
        await db.close()


async def test_snippets_escape_the_text_and_mark_only_the_hits(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        async with db.write() as conn:
            await index.put(conn, _doc(1, '<script>alert("x")</script> 窓口の改革 & more'))
        async with db.read() as conn:
            long = (await finder.search(conn, "窓口の改革", STAFF)).hits
            short = (await finder.search(conn, "窓口", STAFF)).hits
        for hit in (*long, *short):
            html = str(hit.snippet)
            assert "<script" not in html and "</script" not in html
            assert "&lt;/script&gt;" in html and "&amp;" in html
            assert "<mark>窓口" in html
    finally:
        await db.close()


async def test_the_index_follows_its_texts_in_the_same_transaction(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        async with db.write() as conn:
            await index.put(conn, _doc(1, "first version of the budget"))
            assert (await finder.search(conn, "budget", STAFF)).hits  # seen inside the transaction
            await index.put(conn, _doc(1, "second version of the plan"))
            assert (await finder.search(conn, "budget", STAFF)).hits == []
        with pytest.raises(RuntimeError):
            async with db.write() as conn:
                await index.put(conn, _doc(2, "rolled back together"))
                raise RuntimeError("abort")
        async with db.read() as conn:
            assert [h.ref_id for h in (await finder.search(conn, "plan", STAFF)).hits] == [1]
            assert (await finder.search(conn, "rolled back", STAFF)).hits == []
        async with db.write() as conn:
            await index.put(conn, _doc(1, ""))  # an emptied text leaves the index
        async with db.read() as conn:
            assert (await finder.search(conn, "plan", STAFF)).hits == []
            if not ON_POSTGRES:  # SQLite's FTS5 table lost the text too
                assert (
                    await conn.all("SELECT rowid FROM search_grams WHERE search_grams MATCH 'pl'")
                    == []
                )
    finally:
        await db.close()


async def test_opinions_are_indexed_for_the_body(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        async with db.write() as conn:
            await index.put_opinion(
                conn,
                7,
                body_id=1,
                meeting_id=1,
                item_id=2,
                text="窓口の待ち時間を減らしたい",
                url="/meetings/1#opinion-7",
            )
            await index.put_opinion(
                conn,
                8,
                body_id=1,
                meeting_id=1,
                item_id=2,
                text="窓口の人員配置は内部で検討",
                url="/meetings/1#opinion-8",
                members_may_read=False,
            )
        async with db.read() as conn:
            assert {h.ref_id for h in (await finder.search(conn, "窓口", STAFF)).hits} == {7, 8}
            assert {h.ref_id for h in (await finder.search(conn, "窓口", MEMBER)).hits} == {7}
            assert (await finder.search(conn, "窓口", Reader())).hits == []
        async with db.write() as conn:
            await index.remove_opinion(conn, 7)
        async with db.read() as conn:
            assert [h.ref_id for h in (await finder.search(conn, "窓口", STAFF)).hits] == [8]
    finally:
        await db.close()


async def test_finalized_revisions_are_frozen_in_the_database(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        async with db.write() as conn:
            await conn.run(
                "INSERT INTO minutes_revisions (meeting_id, number, finalized_at, document, "
                "sha256, public_document, public_sha256) VALUES (1, 1, 'now', '{}', 'a', '{}', 'b')"
            )
        for sql in (
            "UPDATE minutes_revisions SET document = '{\"x\":1}'",
            "UPDATE minutes_revisions SET sha256 = 'c'",
            "DELETE FROM minutes_revisions",
        ):
            with pytest.raises(
                (aiosqlite.IntegrityError, asyncpg.IntegrityConstraintViolationError),
                match="frozen",
            ):
                async with db.write() as conn:
                    await conn.run(sql)
        async with db.write() as conn:  # publishing is the one later stamp
            await conn.run("UPDATE minutes_revisions SET published_at = 'later'")
    finally:
        await db.close()


async def test_texts_from_before_the_gram_index_are_indexed_again(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        async with db.write() as conn:
            await index.put(conn, _doc(1, "５Ｇと人材"))
            await conn.run("UPDATE search_docs SET norm = ''")  # as migration 009 leaves them
            if ON_POSTGRES:
                await conn.run("UPDATE search_docs SET grams = '{}'")
            else:
                await conn.run("INSERT INTO search_grams (search_grams) VALUES ('delete-all')")
        async with db.read() as conn:
            assert (await finder.search(conn, "人材", STAFF)).total == 0
        async with db.write() as conn:
            # A fresh store has no backlog: starting it indexes nothing again.
            assert await index.reindex_backlog(conn) == 0
            # Migration 009 over an archive leaves the backlog row: the next start does it.
            await conn.run("INSERT INTO search_backlog (since_migration) VALUES (9)")
            assert await index.reindex_backlog(conn) == 1
            assert await index.reindex_backlog(conn) == 0
            assert await index.reindex(conn) == 0
        async with db.read() as conn:
            assert (await finder.search(conn, "5g 人材", STAFF)).total == 1
    finally:
        await db.close()


async def test_texts_follow_their_meeting_to_another_day(tmp_path: Path) -> None:
    """A text's id carries its meeting's day (date order and period filters read it): when
    the meeting moves, its texts move with it, in the index too."""
    db = await _open(tmp_path)
    try:
        async with db.write() as conn:
            other = await meetings.create_meeting(
                conn,
                1,
                {
                    "title": "次",
                    "date": "2030-01-10",
                    "start_time": "10:00",
                    "planned_end": "11:00",
                },
            )
            await index.put(conn, _doc(1, "人材の確保"))
            await index.put(
                conn, index.Doc(index.Kind.STATEMENT, 2, 1, other, None, "人材育成", "/x")
            )
        async with db.read() as conn:
            by_date = await finder.search(conn, "人材", STAFF, order=finder.Order.DATE)
            assert [hit.ref_id for hit in by_date.hits] == [2, 1]
        async with db.write() as conn:
            await meetings.update_meeting(conn, 1, {"date": "2031-02-01"})
        async with db.read() as conn:
            by_date = await finder.search(conn, "人材", STAFF, order=finder.Order.DATE)
            assert [hit.ref_id for hit in by_date.hits] == [1, 2]
            in_2030 = finder.Filters(fiscal_year=2030)
            assert [h.ref_id for h in (await finder.search(conn, "人材", STAFF, in_2030)).hits] == [
                1
            ]
            assert (await finder.search(conn, "確保", STAFF)).total == 1  # still in the index
    finally:
        await db.close()


async def test_a_text_moved_to_another_body_is_found_under_that_body_only(
    tmp_path: Path,
) -> None:
    """On SQLite the body is a token of the index: writing the text again under another
    body must replace it there too."""
    db = await _open(tmp_path)
    try:
        async with db.write() as conn:
            other = await people.create_body(conn, "教育委員会")
            await index.put(conn, _doc(1, "人材の確保"))
            moved = index.Doc(index.Kind.STATEMENT, 1, other, 1, 1, "人材の確保", "/x")
            await index.put(conn, moved)
        staff = Reader(staff_bodies=frozenset({1, other}))
        async with db.read() as conn:
            there = await finder.search(conn, "人材", staff, finder.Filters(body_id=other))
            here = await finder.search(conn, "人材", staff, finder.Filters(body_id=1))
        assert [hit.ref_id for hit in there.hits] == [1] and here.total == 0
    finally:
        await db.close()
