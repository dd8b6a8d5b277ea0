"""Meeting reminders, queued by the worker a set time before each published meeting (by default
one week, one day and two hours before), to everyone who has not declined.

Each reminder is claimed by inserting a ``ReminderSent`` row, unique per meeting, person and
kind, in the same transaction as the email. A second worker, or a second run, that tries the
same reminder hits the unique constraint and skips it, so nobody is reminded twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.meetings import calendar
from portal.meetings.models import Meeting, MeetingStatus, ReminderSent, Rsvp, RsvpAnswer
from portal.meetings.times import when_in_words
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.panels.service import active_people


def reminder_days(setting: str) -> list[int]:
    """The offsets from ``PORTAL_MEETING_REMINDER_DAYS`` ("7,1"), largest first, ignoring junk."""
    days = set()
    for part in setting.split(","):
        part = part.strip()
        if part.isdigit() and 0 < int(part) <= 60:
            days.add(int(part))
    return sorted(days, reverse=True)


def reminder_hours(setting: str) -> list[int]:
    """The offsets from ``PORTAL_MEETING_REMINDER_HOURS`` ("2"), largest first, ignoring junk."""
    hours = set()
    for part in setting.split(","):
        part = part.strip()
        if part.isdigit() and 0 < int(part) < 24:
            hours.add(int(part))
    return sorted(hours, reverse=True)


def reminder_plan(days_setting: str, hours_setting: str) -> list[tuple[str, timedelta]]:
    """The meeting's reminders, each a name and how long before the start, largest first:
    for example one week, one day and two hours before."""
    plan = [(f"days-{d}", timedelta(days=d)) for d in reminder_days(days_setting)]
    plan += [(f"hours-{h}", timedelta(hours=h)) for h in reminder_hours(hours_setting)]
    return sorted(plan, key=lambda step: step[1], reverse=True)


def due_kind(meeting: Meeting, plan: list[tuple[str, timedelta]], now: datetime) -> str | None:
    """The reminder due now for a meeting: the closest offset already reached, or None.

    Only the closest one counts, so a meeting published two days before it starts gets the
    one-day reminder later, never a late "one week to go" email.
    """
    due = [(offset, name) for name, offset in plan if meeting.starts_at - offset <= now]
    return min(due)[1] if due else None


def queue_meeting_reminders() -> int:
    """Queue every reminder due now; returns how many were queued. Safe to run at once twice."""
    config = current_app.config
    plan = reminder_plan(config["MEETING_REMINDER_DAYS"], config["MEETING_REMINDER_HOURS"])
    if not plan:
        return 0
    now = utcnow()
    meetings = list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.PUBLISHED,
                Meeting.starts_at > now,
                Meeting.starts_at <= now + plan[0][1],
            )
            .order_by(Meeting.starts_at)
        )
    )
    queued = 0
    for meeting in meetings:
        kind = due_kind(meeting, plan, now)
        if kind is None:
            continue
        for person in _people_to_remind(meeting, kind):
            queued += _remind(meeting, person, kind)
    return queued


def _people_to_remind(meeting: Meeting, kind: str) -> list[User]:
    declined = select(Rsvp.user_id).where(
        Rsvp.meeting_id == meeting.id, Rsvp.answer == RsvpAnswer.NOT_ATTENDING
    )
    reminded = select(ReminderSent.user_id).where(
        ReminderSent.meeting_id == meeting.id, ReminderSent.kind == kind
    )
    return active_people(meeting.panel_id, excluding=(declined, reminded), skip_paused=True)


def _remind(meeting: Meeting, person: User, kind: str) -> int:
    """Claim and queue one reminder; 0 when another worker already has it."""
    try:
        with db.session.begin_nested():
            db.session.add(ReminderSent(meeting_id=meeting.id, user_id=person.id, kind=kind))
    except IntegrityError:
        return 0
    url = calendar.meeting_url(meeting)
    with force_locale(person.language or current_app.config["DEFAULT_LOCALE"]):
        when = when_in_words(meeting.starts_at, meeting.ends_at, with_year=True)
        subject = gettext("Reminder: %(title)s, %(when)s", title=meeting.title, when=when)
        text = gettext("Reminder: you have a panel meeting on %(when)s.", when=when)
    told = tell(
        person,
        Kind.MEETING_REMINDER,
        subject=subject,
        template="meeting_reminder",
        link=url,
        panel_id=meeting.panel_id,
        dedupe_key=f"meeting-reminder:{meeting.id}:{person.id}:{kind}",
        text=text,
        meeting=meeting,
        when=when,
        name=person.display_name,
        url=url,
    )
    return 1 if told else 0
