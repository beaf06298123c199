"""What every view and action needs, built once by the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import board.actions  # noqa: F401  (registers every action)
from board import timeutil
from board.actions.dispatch import Result, dispatch
from board.config import Settings
from board.limits import Attempts
from board.live.feed import Feed, Listener, LocalFeed, StoreFeed
from board.live.hub import Hub
from board.live.parts import Part
from board.models import MeetingState, Mine, Person
from board.render import Renderer
from board.store import opinions, snapshot
from board.store.db import Store, open_store


@dataclass(slots=True)
class Board:
    settings: Settings
    db: Store
    renderer: Renderer
    hub: Hub
    feed: Feed
    sign_ins: Attempts  # failed sign-ins per client address

    @classmethod
    def build(cls, settings: Settings) -> Board:
        timeutil.configure(settings.clock())
        db = open_store(
            settings.db,
            synchronous=settings.synchronous,
            readers=settings.readers,
            pool_size=settings.pool_size,
            synchronous_commit=settings.synchronous_commit,
        )
        renderer = Renderer()

        async def load_state(
            meeting_id: int,
            previous: MeetingState | None,
            changed: frozenset[Part],
            items: frozenset[int],
        ) -> MeetingState | None:
            return await db.run_read(snapshot.load, meeting_id, previous, changed, items)

        async def load_mine(meeting_id: int, people: frozenset[int]) -> dict[int, Mine]:
            agreed = await db.run_read(opinions.agreed_by_each, meeting_id, people)
            return {person_id: Mine(agreed=ids) for person_id, ids in agreed.items()}

        hub = Hub(
            renderer,
            load_state,
            load_mine,
            settings.max_sockets_per_person,
            shared=db.shared,
        )
        feed: Feed = StoreFeed(hub, cast(Listener, db)) if db.shared else LocalFeed(hub)
        sign_ins = Attempts(settings.max_failed_sign_ins)
        return cls(
            settings=settings, db=db, renderer=renderer, hub=hub, feed=feed, sign_ins=sign_ins
        )

    async def open(self) -> None:
        await self.db.open()
        await self.feed.start()

    async def close(self) -> None:
        await self.feed.close()
        await self.hub.close()
        await self.db.close()

    async def state(self, meeting_id: int) -> MeetingState | None:
        return await self.db.run_read(snapshot.load, meeting_id)

    async def act(
        self,
        actor: Person,
        name: str,
        payload: object,
        *,
        meeting_id: int | None = None,
        body_id: int | None = None,
    ) -> Result:
        return await dispatch(
            self.db,
            self.feed.committed,
            actor,
            name,
            payload,
            meeting_id=meeting_id,
            body_id=body_id,
            revoke=self.feed.revoked,
        )
