"""search_find against a brute-force search over the same texts: every query class
(one, two, three or more characters, OR, NOT, phrases), every filter, every kind of
reader, random texts with rare kanji, surrogate pairs and width variants; the index must
give the same hits, in the same order, with the same total, on either store."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.minutes.access import Reader
from board.search.normalize import normalize
from board.search.query import Query, parse
from board.store import meetings, people
from board.store import search as index
from board.store import search_find as finder
from board.store.db import Store
from tests.support import drop_target, new_target, store_for

# Kanji (髙 and 𠮷, a surrogate pair in UTF-16), kana in both widths, a half-width voiced
# mark on its own, full-width and ASCII letters and digits, punctuation, both spaces.
ALPHABET = [*"人材予算防災髙𠮷ガカｶﾞﾞ５5ＧgGａA、-.", " ", "\u3000"]
TERM_CHARS = [char for char in ALPHABET if not char.isspace()]
KINDS = list(index.Kind)


@dataclass(frozen=True)
class Meeting:
    id: int
    body_id: int
    day: str
    revision: int  # the latest finalized revision
    published: int | None  # the latest published one


@dataclass(frozen=True)
class World:
    """Two bodies, meetings on both sides of a fiscal year's turn, their agenda items."""

    bodies: tuple[int, int]
    meetings: tuple[Meeting, ...]
    items: dict[int, tuple[int, str, int]]  # item id -> (meeting id, title, body id)


@dataclass(frozen=True)
class Text:
    kind: index.Kind
    ref_id: int
    revision: int
    meeting: Meeting
    item_id: int
    content: str
    restricted: bool = False
    role: str = ""
    name: str = ""


READERS = {
    "staff": lambda w: Reader(staff_bodies=frozenset({w.bodies[0]})),
    "member": lambda w: Reader(member_bodies=frozenset({w.bodies[0]})),
    "staff elsewhere": lambda w: Reader(
        staff_bodies=frozenset({w.bodies[1]}), member_bodies=frozenset({w.bodies[0]})
    ),
    "public": lambda w: Reader(),
}


async def _world(db: Store) -> World:
    async with db.write() as conn:
        a = await people.create_body(conn, "市政策会議")
        b = await people.create_body(conn, "教育委員会")
        made: list[Meeting] = []
        items: dict[int, tuple[int, str, int]] = {}
        plan = [
            (a, "2021-05-10", 1, 1),
            (a, "2022-03-31", 2, 1),
            (a, "2022-04-01", 0, None),
            (b, "2021-06-01", 1, None),
        ]
        for body_id, day, revision, published in plan:
            meeting_id = await meetings.create_meeting(
                conn,
                body_id,
                {
                    "title": f"会議 {day}",
                    "date": day,
                    "start_time": "10:00",
                    "planned_end": "11:00",
                },
            )
            await conn.run(
                "INSERT INTO minutes (meeting_id, revision, published_revision, updated_at) "
                "VALUES (?, ?, ?, 'now')",
                (meeting_id, revision, published),
            )
            made.append(Meeting(meeting_id, body_id, day, revision, published))
            for title in ("人材育成について", "予算（案）", "ＤＸ推進"):
                item_id = await meetings.add_item(conn, meeting_id, {"title": title})
                items[item_id] = (meeting_id, title, body_id)
    return World((a, b), tuple(made), items)


def _visible(text: Text, reader: Reader) -> bool:
    body = text.meeting.body_id
    staff, member = body in reader.staff_bodies, body in reader.member_bodies
    if text.kind is index.Kind.OPINION:
        return staff or (member and not text.restricted)
    if text.revision == 0:
        return staff
    if staff:
        return False
    if member:
        return text.revision == text.meeting.revision
    return text.revision == text.meeting.published


def _passes(text: Text, filters: finder.Filters, world: World) -> bool:
    since, until = filters.period()
    day = date.fromisoformat(text.meeting.day)
    title = normalize(world.items[text.item_id][1])
    return (
        (filters.body_id is None or text.meeting.body_id == filters.body_id)
        and (filters.meeting_id is None or text.meeting.id == filters.meeting_id)
        and (filters.kind is None or text.kind is filters.kind)
        and (since is None or day >= since)
        and (until is None or day <= until)
        and normalize(filters.speaker_role).strip() in normalize(text.role).strip()
        and normalize(filters.speaker_name).strip() in normalize(text.name).strip()
        and normalize(filters.item_title).strip() in title
    )


def _score(norm: str, query: Query) -> int:
    hits = sum((len(norm) - len(norm.replace(term, ""))) // len(term) for term in query.terms)
    return hits * 10000 // (len(norm) + 100)


def brute_force(
    texts: list[Text],
    query: Query,
    reader: Reader,
    filters: finder.Filters,
    world: World,
    order: finder.Order,
) -> list[tuple[str, int, int]]:
    found = [
        text
        for text in texts
        if text.content.strip()
        and query
        and query.matches(normalize(text.content.strip()))
        and _visible(text, reader)
        and _passes(text, filters, world)
    ]

    # By date: the newest meeting's day first, within a day the text added last first
    # (the texts are indexed in list order). Only the newest TOTAL_CAP are counted and
    # paged; by relevance the newest RANK_CAP of them are ranked (score, then date order)
    # and the others follow by date.
    def newest(pair: tuple[int, Text]) -> tuple[int, int]:
        position, text = pair
        return (-date.fromisoformat(text.meeting.day).toordinal(), -position)

    by_date = [text for _, text in sorted(enumerate(found), key=newest)][: finder.TOTAL_CAP]
    if order is finder.Order.RELEVANCE:
        head = by_date[: finder.RANK_CAP]
        ranked = sorted(head, key=lambda t: -_score(normalize(t.content.strip()), query))
        by_date = ranked + by_date[finder.RANK_CAP :]
    return [(t.kind.value, t.ref_id, t.revision) for t in by_date]


def _keys(result: finder.Result) -> list[tuple[str, int, int]]:
    return [(hit.kind.value, hit.ref_id, hit.revision) for hit in result.hits]


async def _replace_texts(db: Store, old: list[Text], new: list[Text]) -> None:
    """Take the last example's texts out and put the new ones in, some of them first with
    another text (the index must follow every change)."""
    async with db.write() as conn:
        for text in old:
            await index.remove(conn, text.kind, text.ref_id, text.revision)
        for number, text in enumerate(new):
            if number % 2 == 0:
                await index.put(conn, _doc(replace(text, content="髙橋 予算 5G 案")))
            await index.put(conn, _doc(text))


def _doc(text: Text) -> index.Doc:
    return index.Doc(
        text.kind,
        text.ref_id,
        text.meeting.body_id,
        text.meeting.id,
        text.item_id,
        text.content,
        f"/meetings/{text.meeting.id}/minutes#s-{text.ref_id}",
        revision=text.revision,
        restricted=text.restricted,
        speaker_role=text.role,
        speaker_name=text.name,
    )


def texts_in(world: World) -> st.SearchStrategy[list[Text]]:
    def one(draw: st.DrawFn, ref_id: int) -> Text:
        kind = draw(st.sampled_from(KINDS))
        item_id = draw(st.sampled_from(sorted(world.items)))
        meeting = next(m for m in world.meetings if m.id == world.items[item_id][0])
        revision = 0 if kind is index.Kind.OPINION else draw(st.integers(0, 2))
        return Text(
            kind=kind,
            ref_id=ref_id,
            revision=revision,
            meeting=meeting,
            item_id=item_id,
            content=draw(st.text(st.sampled_from(ALPHABET), max_size=24)),
            restricted=draw(st.booleans()),
            role=draw(st.sampled_from(["事務局", "本部長", "委員", ""])),
            name=draw(st.sampled_from(["髙橋", "𠮷田", "ﾀﾅｶ", ""])),
        )

    @st.composite
    def many(draw: st.DrawFn) -> list[Text]:
        return [one(draw, ref_id) for ref_id in range(1, draw(st.integers(1, 14)) + 1)]

    return many()


term = st.text(st.sampled_from(TERM_CHARS), min_size=1, max_size=4)


def query_for(data: st.DataObject, texts: list[Text]) -> str:
    """A query of 1 to 4 parts: words, -words, "phrases" and OR, the words often cut out of
    the texts themselves so that queries find something."""
    pool = [text.content for text in texts if text.content.strip()]
    parts: list[str] = []
    for _ in range(data.draw(st.integers(1, 4), label="parts")):
        how = data.draw(st.sampled_from(["cut", "cut", "word", "not", "phrase", "or"]))
        if how == "or":
            parts.append("OR")
            continue
        if how in ("cut", "not") and pool:
            content = data.draw(st.sampled_from(pool))
            start = data.draw(st.integers(0, len(content) - 1))
            word = content[start : start + data.draw(st.integers(1, 4))]
        else:
            word = data.draw(term)
        if how == "phrase" or not word.strip() or word != "".join(word.split()):
            word = '"' + word + '"'
        parts.append(("-" if how == "not" else "") + word)
    return " ".join(parts)


def filters_in(world: World) -> st.SearchStrategy[finder.Filters]:
    return st.builds(
        finder.Filters,
        body_id=st.sampled_from([None, *world.bodies]),
        meeting_id=st.sampled_from([None, *(m.id for m in world.meetings)]),
        kind=st.sampled_from([None, *KINDS]),
        since=st.sampled_from([None, date(2021, 6, 1)]),
        until=st.sampled_from([None, date(2022, 3, 31)]),
        fiscal_year=st.sampled_from([None, 2021, 2022]),
        speaker_role=st.sampled_from(["", "事務局", "ＩＩＩ"]),
        speaker_name=st.sampled_from(["", "ﾀﾅｶ", "𠮷"]),
        item_title=st.sampled_from(["", "ｄｘ", "人材"]),
    )


@pytest.fixture
def world_store(tmp_path: Path) -> Iterator[tuple[asyncio.AbstractEventLoop, Store, World]]:
    new_target(tmp_path / "board.db")
    db = store_for(tmp_path / "board.db")
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(db.open())
        world = loop.run_until_complete(_world(db))
        yield loop, db, world
    finally:
        loop.run_until_complete(db.close())
        loop.close()
        drop_target(tmp_path / "board.db")


def test_every_query_and_filter_matches_a_brute_force_search(
    world_store: tuple[asyncio.AbstractEventLoop, Store, World],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loop, db, world = world_store
    current: list[list[Text]] = [[]]
    found_some = [0]  # examples with hits: the comparison is not only of empty lists

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        texts=texts_in(world),
        filters=filters_in(world),
        reader=st.sampled_from(sorted(READERS)),
        order=st.sampled_from(list(finder.Order)),
        data=st.data(),
    )
    def check(
        texts: list[Text],
        filters: finder.Filters,
        reader: str,
        order: finder.Order,
        data: st.DataObject,
    ) -> None:
        loop.run_until_complete(_replace_texts(db, current[0], texts))
        current[0] = texts
        # the caps as shipped, and small enough for these few texts to cross them
        total_cap = data.draw(st.sampled_from([10_000, 6, 3]), label="TOTAL_CAP")
        monkeypatch.setattr(finder, "TOTAL_CAP", total_cap)
        rank_cap = data.draw(st.sampled_from([1_000, 4, 2]), label="RANK_CAP")
        monkeypatch.setattr(finder, "RANK_CAP", min(rank_cap, total_cap))
        who = READERS[reader](world)
        query = query_for(data, texts)
        for wanted in (finder.Filters(), filters, finder.Filters(until=date.max)):
            expected = brute_force(texts, parse(query), who, wanted, world, order)
            found, capped = loop.run_until_complete(_all_pages(db, query, who, wanted, order, data))
            assert found == expected, (query, parse(query), wanted, reader)
            with monkeypatch.context() as uncapped:
                uncapped.setattr(finder, "TOTAL_CAP", 10**6)
                every = brute_force(texts, parse(query), who, wanted, world, finder.Order.DATE)
            assert capped == (len(every) > finder.TOTAL_CAP)
            found_some[0] += bool(found)

    check()
    assert found_some[0] > 0


async def _all_pages(
    db: Store,
    query: str,
    reader: Reader,
    filters: finder.Filters,
    order: finder.Order,
    data: st.DataObject,
) -> tuple[list[tuple[str, int, int]], bool]:
    """Every hit, read page by page (each page carries the same total), and whether the
    total was capped."""
    per_page = data.draw(st.integers(1, 5), label="per_page")
    found: list[tuple[str, int, int]] = []
    async with db.read() as conn:
        whole = await finder.search(conn, query, reader, filters, order=order, per_page=100)
        for number in itertools.count(1):
            page = await finder.search(
                conn, query, reader, filters, order=order, page=number, per_page=per_page
            )
            assert page.total == whole.total and page.capped == whole.capped
            if not page.hits:
                break
            found.extend(_keys(page))
    assert found == _keys(whole) and len(found) == whole.total
    return found, whole.capped


def test_visibility_holds_for_every_combination_of_filters(
    world_store: tuple[asyncio.AbstractEventLoop, Store, World],
) -> None:
    """Each reader, each of the 2^8 combinations of filters: exactly the texts the reader
    may see and the filters let through, never another."""
    loop, db, world = world_store
    texts: list[Text] = []
    ref = itertools.count(1)
    for meeting in world.meetings:
        item_ids = [i for i, (m, _, _) in world.items.items() if m == meeting.id]
        for kind, revision, restricted, item_id in itertools.product(
            KINDS, (0, 1, 2), (False, True), item_ids
        ):
            if kind is index.Kind.OPINION and revision:
                continue
            texts.append(
                Text(
                    kind,
                    next(ref),
                    revision,
                    meeting,
                    item_id,
                    "事務局から人材の予算について",
                    restricted,
                    role="事務局" if restricted else "委員",
                    name="髙橋",
                )
            )
    loop.run_until_complete(_replace_texts(db, [], texts))
    a = world.bodies[0]
    first = world.meetings[0].id
    choices = {
        "body_id": a,
        "meeting_id": first,
        "kind": index.Kind.STATEMENT,
        "since": date(2021, 6, 1),
        "until": date(2022, 3, 31),
        "fiscal_year": 2021,
        "speaker_role": "事務局",
        "item_title": "人材",
    }
    checked = 0
    for size in range(len(choices) + 1):
        for names in itertools.combinations(choices, size):
            filters = finder.Filters(**{name: choices[name] for name in names})  # type: ignore[arg-type]
            for reader in READERS:
                who = READERS[reader](world)
                expected = brute_force(texts, parse("人材"), who, filters, world, finder.Order.DATE)
                result = loop.run_until_complete(_page(db, who, filters))
                assert _keys(result) == expected[:100] and result.total == len(expected), (
                    names,
                    reader,
                )
                checked += 1
    assert checked == 2 ** len(choices) * len(READERS)


async def _page(db: Store, reader: Reader, filters: finder.Filters) -> finder.Result:
    async with db.read() as conn:
        return await finder.search(
            conn, "人材", reader, filters, order=finder.Order.DATE, per_page=100
        )
