"""Sending the queued invitations in the background, with retries.

A worker task per process takes due deliveries one by one (a claim in the store, so several
processes never send the same one), makes the person's sign-in link at that moment, hands the
message to the SMTP server in a thread, and records the outcome: sent, queued again after a
wait that doubles, or failed for good after the last attempt. The link lives only in the
message: the store keeps its hash, and a link whose message was not delivered is revoked.
Logs name deliveries and people by id, never an address or a link.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
from datetime import timedelta
from urllib.parse import urlsplit

import anyio

from board import timeutil
from board.actions.body import new_token
from board.mail import smtp
from board.mail.ics import Notice
from board.mail.message import compose
from board.mail.settings import MailSettings
from board.store import mail, meetings, opinions, people
from board.store.db import Store

log = logging.getLogger("board.mail")
# How long a delivery may stay "sending" before it counts as left by a stopped process.
ABANDONED_AFTER = timedelta(minutes=10)


def _abandoned() -> str:
    return timeutil.iso(timeutil.now() - ABANDONED_AFTER)


class Mailer:
    def __init__(self, db: Store, settings: MailSettings, base_url: str) -> None:
        self.db = db
        self.settings = settings
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(self.base_url).hostname or "localhost"
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="board-mailer")

    def wake(self) -> None:
        """New deliveries were queued: look now rather than at the next poll."""
        self._wake.set()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self.deliver_due()
            except Exception:
                log.exception("mail: a round of deliveries failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)
            self._wake.clear()

    async def deliver_due(self) -> int:
        due = await self.db.run_read(mail.due, timeutil.now_iso(), _abandoned())
        sent = 0
        for delivery_id in due:
            sent += await self._deliver(delivery_id)
        return sent

    async def _deliver(self, delivery_id: int) -> int:
        async with self.db.write() as conn:
            delivery = await mail.claim(conn, delivery_id, timeutil.now_iso(), _abandoned())
            if delivery is None:
                return 0  # another process took it
            found = await meetings.get_meeting_and_body(conn, delivery.meeting_id)
            assert found is not None
            meeting, body = found
            items = await meetings.items(conn, meeting.id)
            window = await opinions.window(conn, meeting.id)
            notice = Notice(delivery.notice)
            token = None if notice is Notice.CANCELLATION else new_token()
            link_id = (
                None if token is None else await people.add_link(conn, delivery.person_id, token)
            )
        message = compose(
            body=body,
            meeting=meeting,
            items=items,
            deadline=window.deadline,
            notice=notice,
            sequence=delivery.sequence,
            sender=self.settings.sender,
            name=delivery.name,
            address=delivery.address,
            meeting_url=f"{self.base_url}/meetings/{meeting.id}",
            sign_in_url=None if token is None else f"{self.base_url}/join/{token}",
            host=self.host,
        )
        try:
            await anyio.to_thread.run_sync(smtp.send, self.settings, message)
        except (smtplib.SMTPException, OSError) as error:
            await self._refused(delivery.id, delivery.attempts + 1, smtp.reason(error), link_id)
            log.warning(
                "mail: delivery %s to person %s refused (attempt %s): %s",
                delivery.id,
                delivery.person_id,
                delivery.attempts + 1,
                type(error).__name__,
            )
            return 0
        async with self.db.write() as conn:
            await mail.sent(conn, delivery.id, timeutil.now_iso())
        log.info("mail: delivery %s to person %s sent", delivery.id, delivery.person_id)
        return 1

    async def _refused(
        self, delivery_id: int, attempts: int, reason: str, link_id: int | None
    ) -> None:
        retry_at = None
        if attempts < self.settings.max_attempts:
            wait = self.settings.retry_seconds * 2 ** (attempts - 1)
            retry_at = timeutil.iso(timeutil.now() + timedelta(seconds=wait))
        async with self.db.write() as conn:
            await mail.refused(conn, delivery_id, reason, retry_at)
            if link_id is not None:
                await mail.forget_link(conn, link_id, timeutil.now_iso())
