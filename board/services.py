"""What every view and action needs, built once by the app's lifespan."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import cast

import board.actions  # noqa: F401  (registers every action)
from board import timeutil
from board.actions.dispatch import Result, dispatch
from board.actions.errors import ActionError
from board.changes import Aspect, Change
from board.config import Settings
from board.limits import Attempts
from board.live.feed import Feed, Listener, LocalFeed, StoreFeed
from board.live.hub import Hub
from board.live.parts import Part
from board.mail.outbox import Mailer
from board.models import MeetingState, MeetingStatus, Mine, Person, Role
from board.render import Renderer
from board.store import meetings, people, search, snapshot
from board.store.db import Store, open_store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Board:
    settings: Settings
    db: Store
    renderer: Renderer
    hub: Hub
    feed: Feed
    sign_ins: Attempts  # failed sign-ins per client address
    mailer: Mailer | None = None  # sends the queued invitations; None without BOARD_SMTP_HOST
    # Work started by a change (marking the connected present), kept until it is done.
    background: set[asyncio.Task[None]] = field(default_factory=set)

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
            return await db.run_read(snapshot.mine, meeting_id, people)

        hub = Hub(
            renderer,
            load_state,
            load_mine,
            settings.max_sockets_per_person,
            shared=db.shared,
        )
        feed: Feed = StoreFeed(hub, cast(Listener, db)) if db.shared else LocalFeed(hub)
        sign_ins = Attempts(settings.max_failed_sign_ins)
        mailer = None
        if settings.mail is not None and settings.base_url:
            mailer = Mailer(db, settings.mail, settings.base_url)
        board = cls(
            settings=settings,
            db=db,
            renderer=renderer,
            hub=hub,
            feed=feed,
            sign_ins=sign_ins,
            mailer=mailer,
        )
        hub.on_change = board._changed
        return board

    def _changed(self, change: Change) -> None:
        if Aspect.LIFECYCLE not in change.aspects:
            return
        connected = self.hub.connected_people(change.meeting_id)
        if connected:
            task = asyncio.create_task(self._mark_connected(change.meeting_id, connected))
            self.background.add(task)
            task.add_done_callback(self.background.discard)

    async def _mark_connected(self, meeting_id: int, connected: frozenset[int]) -> None:
        """Who had the meeting open when it started is present from the start: each
        process marks the people connected to it (``attendance.mark`` records nothing
        unless the meeting is in session, and nothing twice)."""
        meeting = await self.db.run_read(meetings.get_meeting, meeting_id)
        if meeting is None or meeting.status is not MeetingStatus.LIVE:
            return
        present = await self.db.run_read(meetings.present_ids, meeting_id)
        roster = await self.db.run_read(people.roster, meeting.body_id)  # the active ones
        for person in roster:
            if person.id not in connected or person.id in present:
                continue
            if person.role is Role.OBSERVER:
                continue
            try:
                await self.act(person, "attendance.mark", {}, meeting_id=meeting_id)
            except ActionError as error:  # e.g. access taken away meanwhile
                log.info("attendance of %s not marked: %s", person.id, error.message)

    async def open(self) -> None:
        await self.db.open()
        async with self.db.write() as conn:
            reindexed = await search.reindex_backlog(conn)
        if reindexed:
            logging.getLogger("board.search").info(
                "%d texts from before the gram index indexed again", reindexed
            )
        await self.feed.start()
        if self.mailer is not None:
            self.mailer.start()

    async def close(self) -> None:
        if self.mailer is not None:
            await self.mailer.close()
        for task in list(self.background):
            task.cancel()
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
        result = await dispatch(
            self.db,
            self.feed.committed,
            actor,
            name,
            payload,
            meeting_id=meeting_id,
            body_id=body_id,
            revoke=self.feed.revoked,
        )
        if self.mailer is not None:
            if name == "meeting.publish" and self.mailer.settings.on_publish:
                await self._invite_on_publish(actor, meeting_id)
            if name == "meeting.invite":
                self.mailer.wake()  # deliveries were queued: send them now, not at the next poll
        return result

    async def _invite_on_publish(self, actor: Person, meeting_id: int | None) -> None:
        """Publishing a meeting sends its invitations (BOARD_MAIL_ON_PUBLISH): a second
        action through the dispatcher, in the publisher's name, after the publish committed.
        A meeting whose roster has no addresses is published all the same."""
        try:
            await self.act(actor, "meeting.invite", {}, meeting_id=meeting_id)
        except ActionError as error:
            log.info("mail: no invitations on publishing meeting %s: %s", meeting_id, error)
