"""Forms for meetings, replies and availability polls.

Dates and times are typed as people say them ("14 3 2027", "6pm", "18:30") and read as London
time; the views turn them into UTC through ``portal.meetings.times``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import (
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from portal.forms import PortalForm
from portal.ids import number_in_range
from portal.meetings.models import RsvpAnswer
from portal.meetings.times import NoSuchLocalTime, london_to_utc
from portal.readability import ReadingAgeCheck

_DATE_PARTS = re.compile(r"^\s*(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """A date typed as day, month, year ("14 3 2027", "14/03/2027") or "2027-03-14"."""
    match = _DATE_PARTS.match(text or "")
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        match = _ISO_DATE.match(text or "")
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def parse_time(text: str) -> time | None:
    """A time typed as "6pm", "6:30pm", "18:30", "noon" or "midday"."""
    cleaned = (text or "").strip().lower()
    if cleaned in ("noon", "midday", "12 noon"):
        return time(12, 0)
    match = _TIME.match(cleaned)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    suffix = match[3]
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match[2] is None:
        return None  # "6" alone could be morning or evening
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def safe_web_link(text: str) -> bool:
    """Only ordinary web addresses: http or https, with a host."""
    parts = urlsplit(text.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text.strip()


class TimeSpanForm(Form):
    """A date with a start and an end time, in London time."""

    day = StringField(_l("Date"))
    start = StringField(_l("Start time"))
    end = StringField(_l("End time"))

    def is_empty(self) -> bool:
        return not any((field.data or "").strip() for field in (self.day, self.start, self.end))

    def span(self) -> tuple[datetime, datetime] | None:
        """The UTC start and end, or None after adding an error to the field at fault."""
        day = parse_date(self.day.data or "")
        start = parse_time(self.start.data or "")
        end = parse_time(self.end.data or "")
        ok = True
        if day is None:
            self.day.errors = [_l("Enter a real date, for example 14 3 2027")]
            ok = False
        if start is None:
            self.start.errors = [_l("Enter a start time, for example 6pm or 18:30")]
            ok = False
        if end is None:
            self.end.errors = [_l("Enter an end time, for example 7:30pm or 19:30")]
            ok = False
        if not ok or day is None or start is None or end is None:
            return None
        try:
            starts_at = london_to_utc(day, start)
        except NoSuchLocalTime:
            self.start.errors = [_l("The clocks go forward at that time. Choose another time")]
            return None
        try:
            ends_at = london_to_utc(day, end)
        except NoSuchLocalTime:
            self.end.errors = [_l("The clocks go forward at that time. Choose another time")]
            return None
        if ends_at <= starts_at:
            self.end.errors = [_l("The end time must be after the start time")]
            return None
        return starts_at, ends_at


def _fill_span(form: TimeSpanForm, starts_at: datetime, ends_at: datetime) -> None:
    from portal.meetings.times import in_london

    start, end = in_london(starts_at), in_london(ends_at)
    form.day.data = f"{start.day} {start.month} {start.year}"
    form.start.data = start.strftime("%H:%M")
    form.end.data = end.strftime("%H:%M")


class MeetingForm(ReadingAgeCheck, PortalForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title")), Length(max=300)]
    )
    when = FormField(TimeSpanForm, separator="-")
    joining_link = StringField(_l("Online joining link (optional)"), validators=[Length(max=500)])
    venue = TextAreaField(_l("Venue (optional)"), validators=[Length(max=2000)])
    accessibility_info = TextAreaField(
        _l("Accessibility information (optional)"), validators=[Length(max=5000)]
    )
    content_note = TextAreaField(_l("Content note (optional)"), validators=[Length(max=1000)])
    lock_version = HiddenField()

    def validate_joining_link(self, field: Field) -> None:
        if (field.data or "").strip() and not safe_web_link(field.data):
            raise ValidationError(_l("Enter a web address that starts with https:// or http://"))

    def fill(self, meeting: Any) -> None:
        self.title.data = meeting.title
        _fill_span(self.when.form, meeting.starts_at, meeting.ends_at)
        self.joining_link.data = meeting.joining_link
        self.venue.data = meeting.venue
        self.accessibility_info.data = meeting.accessibility_info
        self.content_note.data = meeting.content_note
        self.lock_version.data = str(meeting.lock_version)

    def seen_version(self) -> int:
        """The version of the meeting the person started from (0 when unknown)."""
        value = (self.lock_version.data or "").strip()
        return number_in_range(value) or 0


RSVP_LABELS = {
    RsvpAnswer.ATTENDING: _l("Attending"),
    RsvpAnswer.NOT_ATTENDING: _l("Not attending"),
    RsvpAnswer.MAYBE: _l("Maybe"),
}


class RsvpForm(PortalForm):
    answer = RadioField(
        _l("Are you coming?"),
        choices=[SelectChoice(answer.value, label) for answer, label in RSVP_LABELS.items()],
        validators=[DataRequired(_l("Choose whether you are coming"))],
    )
    access_note = TextAreaField(
        _l("Anything we should know about your access needs? (optional)"),
        validators=[Length(max=2000)],
    )


class ConfirmForm(PortalForm):
    """A button that changes something: publish, cancel, reset."""


class PollForm(ReadingAgeCheck, PortalForm):
    title = StringField(
        _l("What is the meeting?"), validators=[DataRequired(_l("Enter a title")), Length(max=300)]
    )
    description = TextAreaField(_l("More about it (optional)"), validators=[Length(max=3000)])
    closes_on = StringField(_l("Closing date"))
    slots = FieldList(FormField(TimeSpanForm, separator="-"), min_entries=3)

    def validate_closes_on(self, field: Field) -> None:
        if parse_date(field.data or "") is None:
            raise ValidationError(_l("Enter a real closing date, for example 14 3 2027"))


class ChooseSlotForm(PortalForm):
    """How people will join the meeting made from the chosen time."""

    joining_link = StringField(_l("Online joining link (optional)"), validators=[Length(max=500)])
    venue = TextAreaField(_l("Venue (optional)"), validators=[Length(max=2000)])
    accessibility_info = TextAreaField(
        _l("Accessibility information (optional)"), validators=[Length(max=5000)]
    )

    def validate_joining_link(self, field: Field) -> None:
        if (field.data or "").strip() and not safe_web_link(field.data):
            raise ValidationError(_l("Enter a web address that starts with https:// or http://"))
