"""Invitations through a real SMTP server (aiosmtpd, started here) from a real board server:
the messages and their calendar files as received, an update and a cancellation, retries
when the server refuses, the status the secretariat sees, and no link in any log."""

from __future__ import annotations

import asyncio
import email
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from typing import Any

import httpx
import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from board.store import mail
from tests.support import Seeded, Server, api, free_port, store_for

SENDER = "jimukyoku@city.example.jp"
ADDRESSES = {
    "chair": "yamamoto@city.example.jp",
    "member": "takahashi@city.example.jp",
    "refused": "nobody@closed.example.jp",
}


@dataclass
class Mailbox:
    """An SMTP server's handler: keeps what it accepts (and what it refuses, to look into),
    refusing the first ``busy`` messages with a temporary error and every message to a
    refused address for good."""

    busy: int = 0
    port: int = 0
    accepted: list[EmailMessage] = field(default_factory=list)
    refused: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        message = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        if ADDRESSES["refused"] in envelope.rcpt_tos:
            self.refused.append(message)
            return "550 5.1.1 mailbox unavailable"
        if self.busy > 0:
            self.busy -= 1
            self.refused.append(message)
            return "451 4.3.0 try again later"
        self.accepted.append(message)
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def mail_server(seeded: Seeded, mailbox: Mailbox) -> Iterator[Server]:
    port = free_port()
    server = Server(seeded.db_path, port=port)
    server.env = {
        "BOARD_BASE_URL": f"http://127.0.0.1:{port}",
        "BOARD_SMTP_HOST": "127.0.0.1",
        "BOARD_SMTP_PORT": str(mailbox.port),
        "BOARD_SMTP_STARTTLS": "0",
        "BOARD_MAIL_FROM": SENDER,
        "BOARD_MAIL_RETRY_SECONDS": "0.2",
        "BOARD_MAIL_POLL_SECONDS": "0.2",
        "BOARD_MAIL_MAX_ATTEMPTS": "3",
    }
    server.start("--log-level", "debug")
    try:
        yield server
    finally:
        server.stop()


def roster_with_addresses(secretariat: httpx.Client) -> dict[str, int]:
    """Give three people addresses through the roster file; their ids by key."""
    text = (
        "氏名,メールアドレス\r\n"
        f"山本 誠一,{ADDRESSES['chair']}\r\n"
        f"髙橋 美智子,{ADDRESSES['member']}\r\n"
        f"𠮷田 健太郎,{ADDRESSES['refused']}\r\n"
    )
    response = secretariat.post(
        "/api/bodies/1/roster", params={"confirm": "1"}, content=text.encode()
    )
    assert response.status_code == 200, response.text
    ids = [row["person_id"] for row in response.json()["rows"]]
    return dict(zip(("chair", "member", "refused"), ids, strict=True))


def wait_for(secretariat: httpx.Client, done: Any, seconds: float = 30) -> list[dict[str, Any]]:
    deadline = time.monotonic() + seconds
    while True:
        response = secretariat.get("/api/meetings/1/invitations")
        assert response.status_code == 200, response.text
        deliveries: list[dict[str, Any]] = response.json()["deliveries"]
        if done(deliveries):
            return deliveries
        assert time.monotonic() < deadline, deliveries
        time.sleep(0.2)


def calendar_of(message: EmailMessage) -> icalendar.Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "meeting.ics"
    return icalendar.Calendar.from_ical(part.get_content())


def link_in(message: EmailMessage, base: str) -> str | None:
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(re.escape(base) + r"/join/[\w-]+", body.get_content())
    return None if found is None else found.group(0)


def test_invitations_update_and_cancellation_arrive_with_link_and_calendar(
    mail_server: Server, seeded: Seeded, mailbox: Mailbox
) -> None:
    base = mail_server.base
    secretariat = api(mail_server, seeded.secretariat)
    ids = roster_with_addresses(secretariat)
    state = secretariat.get("/api/meetings/1/state").json()["meeting"]
    response = secretariat.post(
        "/api/meetings/1/actions/meeting.invite",
        json={"person_ids": [ids["chair"], ids["member"]]},
    )
    assert response.status_code == 200, response.text
    deliveries = wait_for(secretariat, lambda ds: all(d["status"] == "sent" for d in ds))
    assert {(d["person_id"], d["address"], d["attempts"]) for d in deliveries} == {
        (ids["chair"], ADDRESSES["chair"], 1),
        (ids["member"], ADDRESSES["member"], 1),
    }
    by_address = {m["To"].addresses[0].addr_spec: m for m in mailbox.accepted}
    message = by_address[ADDRESSES["member"]]
    assert message["Subject"] == f"【開催通知】{state['title']}"
    assert message["From"].addresses[0].addr_spec == SENDER
    assert message["To"].addresses[0].display_name == "髙橋 美智子"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "髙橋 美智子 様" in text and state["title"] in text and "議事" in text
    link = link_in(message, base)
    assert link is not None
    # The link in the message signs its person in.
    device = httpx.Client(follow_redirects=True)
    mail_server.clients.append(device)
    assert device.get(link).status_code == 200
    assert device.get(f"{base}/api/meetings/1/state").status_code == 200

    cal = calendar_of(message)
    assert cal["METHOD"] == "REQUEST" and cal["VERSION"] == "2.0"
    [event] = cal.walk("VEVENT")
    uid = str(event["UID"])
    assert uid == "meeting-1@127.0.0.1"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["LOCATION"]) == state["place"]
    assert str(event["URL"]) == f"{base}/meetings/1"
    start = event.decoded("DTSTART")
    local = datetime.fromisoformat(f"{state['date']}T{state['start_time']}+09:00")
    assert start == local.astimezone(UTC)
    assert str(event["ATTENDEE"]) == f"mailto:{ADDRESSES['member']}"
    assert event["ATTENDEE"].params["CN"] == "髙橋 美智子"

    # An update and a cancellation: the same event, a higher sequence each time.
    for notice, method, sequence in (("update", "REQUEST", 1), ("cancellation", "CANCEL", 2)):
        mailbox.accepted.clear()
        response = secretariat.post(
            "/api/meetings/1/actions/meeting.invite",
            json={"person_ids": [ids["member"]], "notice": notice},
        )
        assert response.status_code == 200, response.text
        wait_for(secretariat, lambda ds: all(d["status"] == "sent" for d in ds))
        [received] = mailbox.accepted
        cal = calendar_of(received)
        [event] = cal.walk("VEVENT")
        assert cal["METHOD"] == method
        assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == sequence
    assert str(event["STATUS"]) == "CANCELLED"
    assert received["Subject"].startswith("【開催中止】")
    assert link_in(received, base) is None  # a cancellation carries no link


def test_refusals_are_retried_and_no_link_reaches_a_log(
    mail_server: Server, seeded: Seeded, mailbox: Mailbox
) -> None:
    base = mail_server.base
    secretariat = api(mail_server, seeded.secretariat)
    ids = roster_with_addresses(secretariat)
    mailbox.busy = 2  # the first two messages are refused for now
    response = secretariat.post("/api/meetings/1/actions/meeting.invite", json={})
    assert response.status_code == 200, response.text
    queued = {q["person_id"] for q in response.json()["queued"]}
    assert queued == set(ids.values())  # everyone with an address, observers aside

    def settled(ds: list[dict[str, Any]]) -> bool:
        return all(d["status"] in ("sent", "failed") for d in ds)

    deliveries = {d["person_id"]: d for d in wait_for(secretariat, settled)}
    failed = deliveries[ids["refused"]]
    assert failed["status"] == "failed" and failed["attempts"] == 3
    assert failed["last_error"].startswith("550")
    assert sum(d["attempts"] for d in deliveries.values()) == 3 + 2 + 2  # two busy refusals
    assert {deliveries[ids["chair"]]["status"], deliveries[ids["member"]]["status"]} == {"sent"}

    # A link in a refused message was revoked; the delivered ones work.
    stranger = httpx.Client()
    mail_server.clients.append(stranger)
    for message in mailbox.refused:
        link = link_in(message, base)
        assert link is not None
        assert stranger.get(link).status_code in (401, 403, 404)
    tokens = [link_in(m, base) for m in mailbox.accepted + mailbox.refused]
    assert len(tokens) == 7
    log = mail_server.log()
    assert "mail: delivery" in log  # the mailer did log, by ids
    events = secretariat.get("/api/meetings/1/events").text
    for link in tokens:
        assert link is not None
        token = link.rsplit("/", 1)[1]
        assert token not in log and token not in events
    for address in ADDRESSES.values():
        assert address not in log and address not in events


def test_only_the_secretariat_invites_or_sees_deliveries(
    mail_server: Server, seeded: Seeded, mailbox: Mailbox
) -> None:
    member = api(mail_server, seeded.members[0])
    assert member.post("/api/meetings/1/actions/meeting.invite", json={}).status_code == 403
    assert member.get("/api/meetings/1/invitations").status_code == 403
    secretariat = api(mail_server, seeded.secretariat)
    refused = secretariat.post("/api/meetings/1/actions/meeting.invite", json={})
    assert refused.status_code == 422  # nobody has an address yet
    assert secretariat.get("/api/meetings/1/invitations").json()["deliveries"] == []
    assert mailbox.accepted == []


def test_the_invitations_page_sends_and_shows_each_delivery(
    mail_server: Server, seeded: Seeded, mailbox: Mailbox
) -> None:
    secretariat = api(mail_server, seeded.secretariat)
    ids = roster_with_addresses(secretariat)
    device = httpx.Client(
        base_url=mail_server.base, follow_redirects=True, headers={"Origin": mail_server.base}
    )
    mail_server.clients.append(device)
    device.get(f"/join/{seeded.secretariat}")
    assert 'href="/meetings/1/invitations"' in device.get("/meetings/1/edit").text
    sent = device.post("/meetings/1/invitations", data={"notice": "invitation"})
    assert sent.status_code == 200
    assert "メールを送信しています" in sent.text
    wait_for(secretariat, lambda ds: all(d["status"] in ("sent", "failed") for d in ds))
    html = device.get("/meetings/1/invitations").text
    assert html.count("送信済み") == 2 and "届けられませんでした" in html
    assert "550 5.1.1 mailbox unavailable" in html
    assert len(mailbox.accepted) == 2 and len(ids) == 3
    member = httpx.Client(base_url=mail_server.base, headers={"Origin": mail_server.base})
    mail_server.clients.append(member)
    member.get(f"/join/{seeded.members[3]}")
    assert member.get("/meetings/1/invitations").status_code == 403
    assert member.post("/meetings/1/invitations", data={}).status_code == 403


def test_a_delivery_left_mid_way_by_a_stopped_process_is_sent(
    mail_server: Server, seeded: Seeded, mailbox: Mailbox
) -> None:
    secretariat = api(mail_server, seeded.secretariat)
    ids = roster_with_addresses(secretariat)
    an_hour_ago = "2000-01-01T00:00:00.000+00:00"

    async def left_sending() -> None:
        db = store_for(seeded.db_path)
        await db.open()
        try:
            async with db.write() as conn:
                delivery_id = await mail.enqueue(
                    conn, 1, ids["member"], ADDRESSES["member"], "invitation", 0, an_hour_ago
                )
                assert await mail.claim(conn, delivery_id, an_hour_ago, an_hour_ago)
        finally:
            await db.close()

    asyncio.run(left_sending())
    [delivery] = wait_for(secretariat, lambda ds: ds[0]["status"] == "sent")
    assert delivery["attempts"] == 1
    [message] = mailbox.accepted
    assert message["To"].addresses[0].addr_spec == ADDRESSES["member"]


def test_publishing_a_meeting_sends_its_invitations(
    mail_server: Server, seeded: Seeded, mailbox: Mailbox
) -> None:
    secretariat = api(mail_server, seeded.secretariat)
    roster_with_addresses(secretariat)
    created = secretariat.post(
        "/api/bodies/1/actions/meeting.create",
        json={
            "title": "令和8年度第3回 推進本部会議",
            "date": "2027-01-20",
            "start_time": "10:00",
            "planned_end": "11:30",
            "place": "本庁舎3階 大会議室",
        },
    )
    assert created.status_code == 200, created.text
    meeting_id = created.json()["meeting_id"]
    draft = secretariat.post(f"/api/meetings/{meeting_id}/actions/meeting.invite", json={})
    assert draft.status_code == 409  # not before it is published
    published = secretariat.post(f"/api/meetings/{meeting_id}/actions/meeting.publish", json={})
    assert published.status_code == 200, published.text

    deadline = time.monotonic() + 30
    while len(mailbox.accepted) < 2:
        assert time.monotonic() < deadline, mailbox.accepted
        time.sleep(0.2)
    subjects = {m["Subject"] for m in mailbox.accepted}
    assert subjects == {"【開催通知】令和8年度第3回 推進本部会議"}
    [event] = calendar_of(mailbox.accepted[0]).walk("VEVENT")
    assert str(event["LOCATION"]) == "本庁舎3階 大会議室"
    assert str(event["UID"]) == f"meeting-{meeting_id}@127.0.0.1"
    assert event.decoded("DTSTART") == datetime(2027, 1, 20, 1, 0, tzinfo=UTC)
