"""Calendar files (iCalendar, RFC 5545) for meetings: invitations, updates, cancellations, feeds.

A meeting keeps one UID for its whole life. Every change people are told about raises its
SEQUENCE, so a calendar program updates the entry it already has instead of adding another.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext

from portal.db import utcnow
from portal.meetings.models import Meeting, MeetingStatus

if TYPE_CHECKING:
    from icalendar import Calendar, Event

PRODID = "-//LEAP Portal//Meetings//EN"
ICS_TYPE = "text/calendar"


def _calendar(method: str | None) -> Calendar:
    # Imported here: only calendar files need it, and every worker would otherwise hold it.
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def meeting_url(meeting: Meeting) -> str:
    """The meeting's page, built without a request so the worker can use it too."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/panels/{meeting.panel_id}/meetings/{meeting.id}"


def _event(meeting: Meeting, organiser: str | None = None) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", meeting.calendar_uid)
    event.add("sequence", meeting.calendar_sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.title)
    cancelled = meeting.status is MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    location = meeting.venue.strip() or meeting.joining_link
    if location:
        event.add("location", location)
    if meeting.joining_link:
        event.add("url", meeting.joining_link)
    lines = [meeting_url(meeting)]
    if meeting.joining_link:
        lines.append(gettext("Join online: %(link)s", link=meeting.joining_link))
    if meeting.accessibility_info.strip():
        lines.append(meeting.accessibility_info.strip())
    event.add("description", "\n\n".join(lines))
    if organiser:
        event.add("organizer", f"mailto:{organiser}")
    return event


def _sender_address() -> str:
    from email.utils import parseaddr

    return parseaddr(current_app.config["MAIL_FROM"])[1]


def invitation(meeting: Meeting, attendee: str | None = None) -> str:
    """The file emailed when a meeting is published or moved (METHOD:REQUEST), or cancelled
    (METHOD:CANCEL), with the meeting's current SEQUENCE."""
    cancelled = meeting.status is MeetingStatus.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    event = _event(meeting, organiser=_sender_address() or None)
    if attendee:
        event.add("attendee", f"mailto:{attendee}")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def download(meeting: Meeting) -> str:
    """The file someone downloads from a meeting's page: one event, no scheduling method."""
    calendar = _calendar("PUBLISH")
    calendar.add_component(_event(meeting))
    return calendar.to_ical().decode()


def feed(meetings: Iterable[Meeting], name: str) -> str:
    """A personal calendar feed: the given meetings, for a calendar program to subscribe to."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar.to_ical().decode()


def feed_token(user_id: int, version: int) -> str:
    """The secret in a member's calendar address: nothing is stored that would reveal it.

    It is derived from the portal's secret key, the member and the feed's version; resetting
    the address raises the version, so the old address stops working at once.
    """
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"calendar-feed:{user_id}:{version}".encode(), hashlib.sha256)
    return f"{user_id}-{digest.hexdigest()[:40]}"


def token_matches(token: str, user_id: int, version: int) -> bool:
    return hmac.compare_digest(token.encode(), feed_token(user_id, version).encode())
