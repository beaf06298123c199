"""The convocation notice (開催通知) as an e-mail: plain Japanese text with the meeting, its
agenda, the comment deadline and the person's own sign-in link, and the calendar file."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from board import timeutil
from board.mail.ics import Notice, calendar
from board.minutes.era import iso_date_text, span_text
from board.models import AgendaItem, Body, Meeting

SUBJECT = {
    Notice.INVITATION: "【開催通知】",
    Notice.UPDATE: "【開催通知・変更】",
    Notice.CANCELLATION: "【開催中止】",
}
LEAD = {
    Notice.INVITATION: "次のとおり会議を開催しますので、ご出席くださいますようお願いします。",
    Notice.UPDATE: "先にお知らせした会議の内容を次のとおり変更しました。",
    Notice.CANCELLATION: "次の会議は中止となりました。",
}


def agenda_text(meeting: Meeting, items: list[AgendaItem], deadline: str | None) -> str:
    when = span_text(meeting.start_time, meeting.planned_end)
    lines = [f"会議：{meeting.title}", f"日時：{iso_date_text(meeting.date)}　{when}"]
    if meeting.place:
        lines.append(f"場所：{meeting.place}")
    if deadline:
        day = timeutil.local(timeutil.parse(deadline))
        lines.append(f"意見の締切：{iso_date_text(day.date().isoformat())} {day:%H:%M}")
    if items:
        lines += ["", "議事"]
        # The agenda's own numbering (1. 2. and (1) (2) under their main item), as every page.
        lines += [
            f"{'　' if item.parent_id is not None else ''}{item.number} {item.title}"
            for item in items
        ]
    return "\n".join(lines)


def compose(
    *,
    body: Body,
    meeting: Meeting,
    items: list[AgendaItem],
    deadline: str | None,
    notice: Notice,
    sequence: int,
    sender: str,
    name: str,
    address: str,
    meeting_url: str,
    sign_in_url: str | None,
    host: str,
) -> EmailMessage:
    summary = agenda_text(meeting, items, deadline)
    text = [
        f"{name} 様",
        "",
        f"{body.name} {body.secretariat_title}です。",
        LEAD[notice],
        "",
        summary,
    ]
    if sign_in_url:
        text += [
            "",
            "資料の閲覧と意見の提出は、あなた専用の次のリンクからどうぞ（他の方に転送しないでください）：",
            sign_in_url,
        ]
    if notice is not Notice.CANCELLATION:
        text += ["", "添付の予定表ファイル（.ics）で、カレンダーに登録できます。"]
    text += ["", "以上"]
    message = EmailMessage()
    message["Subject"] = SUBJECT[notice] + meeting.title
    message["From"] = Address(display_name=body.name, addr_spec=sender)
    message["To"] = Address(display_name=name, addr_spec=address)
    message["Date"] = format_datetime(timeutil.now())
    message["Message-ID"] = make_msgid(domain=host)
    message.set_content("\n".join(text) + "\n", charset="utf-8")
    ics = calendar(
        meeting,
        notice=notice,
        sequence=sequence,
        url=meeting_url,
        host=host,
        description=summary,
        organizer=sender,
        attendee=address,
        attendee_name=name,
    )
    method = "CANCEL" if notice is Notice.CANCELLATION else "REQUEST"
    message.add_attachment(
        ics.decode("utf-8"),
        subtype="calendar",
        charset="utf-8",
        filename="meeting.ics",
        params={"method": method},
    )
    return message
