"""The meeting as an RFC 5545 calendar object (made by the icalendar library): one event
per meeting with a stable UID, so an update or a cancellation (a higher SEQUENCE) replaces
the entry in the person's calendar instead of adding another."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum

from icalendar import Calendar, Event, vCalAddress, vText

from board import timeutil
from board.models import Meeting

PRODID = "-//meeting-board//会議ボード//JA"


class Notice(StrEnum):
    INVITATION = "invitation"
    UPDATE = "update"
    CANCELLATION = "cancellation"


def moment(day: str, hhmm: str) -> datetime:
    """A time of the meeting's day, in the board's zone, as UTC (no VTIMEZONE needed)."""
    local = datetime.combine(date.fromisoformat(day), time.fromisoformat(hhmm))
    return timeutil.local(local).astimezone(UTC)


def uid(meeting: Meeting, host: str) -> str:
    return f"meeting-{meeting.id}@{host}"


def calendar(
    meeting: Meeting,
    *,
    notice: Notice,
    sequence: int,
    url: str,
    host: str,
    description: str,
    organizer: str,
    attendee: str,
    attendee_name: str,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cancelled = notice is Notice.CANCELLATION
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid(meeting, host))
    event.add("dtstamp", timeutil.now())
    event.add("sequence", sequence)
    event.add("dtstart", moment(meeting.date, meeting.start_time))
    end = meeting.planned_end or meeting.start_time
    event.add("dtend", moment(meeting.date, end))
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", url)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", vCalAddress(f"mailto:{organizer}"))
    guest = vCalAddress(f"mailto:{attendee}")
    guest.params["cn"] = vText(attendee_name)
    guest.params["role"] = vText("REQ-PARTICIPANT")
    guest.params["partstat"] = vText("NEEDS-ACTION")
    event.add("attendee", guest, encode=False)
    cal.add_component(event)
    return bytes(cal.to_ical())
