"""Forms for review rounds (the study team) and omission checks (members)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.db import utcnow
from portal.forms import PortalForm
from portal.readability import ReadingAgeCheck
from portal.rounds.models import Resonance
from portal.templating import LONDON
from portal.text import lazy_translated, translated

COMMENT_LIMIT = 2000
LONG_TEXT_LIMIT = 5000

RESONANCE_LABELS = {
    Resonance.STRONGLY: _l("Yes, strongly"),
    Resonance.PARTLY: _l("Yes, partly"),
    Resonance.NO: _l("No"),
    Resonance.NOT_SURE: _l("Not sure"),
}

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """ "17:00", "5pm", "5:30pm", "9.15" as a time of day; None when it is not one."""
    match = _TIME.match(text or "")
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    elif match.group(2) is None:
        return None  # "17" alone is unclear
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class DeadlineForm(PortalForm):
    """A date (day, month, year) and a time, read as UK time and kept in UTC."""

    day = StringField(_l("Day"))
    month = StringField(_l("Month"))
    year = StringField(_l("Year"))
    time = StringField(
        _l("Time"),
        validators=[
            DataRequired(_l("Enter a time, like 17:00 or 5pm")),
            Length(max=20, message=_l("Enter a time, like 17:00 or 5pm")),
        ],
    )

    closes_at: datetime | None = None

    def set_deadline(self, moment: datetime) -> None:
        local = moment.astimezone(LONDON)
        self.day.data, self.month.data, self.year.data = (
            str(local.day),
            str(local.month),
            str(local.year),
        )
        self.time.data = local.strftime("%H:%M")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        parts = [(self.day.data or "").strip(), (self.month.data or "").strip()]
        parts.append((self.year.data or "").strip())
        if not any(parts):
            self.day.errors = [*self.day.errors, _l("Enter the deadline date")]
            return False
        try:
            day = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            self.day.errors = [*self.day.errors, _l("Enter a real date, like 27 3 2027")]
            return False
        at = parse_time(self.time.data or "")
        if at is None:
            if not self.time.errors:
                self.time.errors = [*self.time.errors, _l("Enter a time, like 17:00 or 5pm")]
            return False
        closes_at = datetime.combine(day, at, tzinfo=LONDON)
        if closes_at <= utcnow():
            self.day.errors = [*self.day.errors, _l("The deadline must be in the future")]
            return False
        self.closes_at = closes_at
        return valid


class RoundForm(ReadingAgeCheck, DeadlineForm):
    version = SelectField(_l("Which version should the panel check?"), coerce=str)
    instructions = TextAreaField(
        _l("Instructions for the panel"),
        validators=[
            DataRequired(_l("Enter instructions for the panel")),
            Length(max=LONG_TEXT_LIMIT, message=_l("Instructions must be 5000 characters or less")),
        ],
    )

    def set_versions(self, numbers: list[int]) -> None:
        self.version.choices = [
            SelectChoice(str(number), translated("Version %(number)d", number=number))
            for number in numbers
        ]


class ExtendForm(DeadlineForm):
    """A new, later deadline."""


class CloseForm(PortalForm):
    """A button that closes a round now."""


def _comment_length() -> Length:
    return Length(
        max=COMMENT_LIMIT,
        message=lazy_translated("This must be %(limit)d characters or less", limit=COMMENT_LIMIT),
    )


class ItemAnswerForm(PortalForm):
    resonance = RadioField(
        _l("Does this match your lived experience?"),
        choices=[SelectChoice(value.value, label) for value, label in RESONANCE_LABELS.items()],
        validators=[Optional()],
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[_comment_length()])


class MissingActionEntry(Form):
    description = TextAreaField(_l("What is missing?"), validators=[_comment_length()])
    why_it_matters = TextAreaField(_l("Why does it matter?"), validators=[_comment_length()])


class MissingActionsForm(PortalForm):
    actions = FieldList(FormField(MissingActionEntry), min_entries=1, max_entries=50)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        for entry in self.actions:
            description = (entry.form.description.data or "").strip()
            why = (entry.form.why_it_matters.data or "").strip()
            if why and not description and not entry.form.description.errors:
                entry.form.description.errors = [
                    _l("Say what is missing, or remove this missing action")
                ]
                valid = False
        return valid

    def filled_in(self) -> list[tuple[str, str]]:
        """The missing actions with something in them, in order."""
        found = []
        for entry in self.actions:
            description = (entry.form.description.data or "").strip()
            why = (entry.form.why_it_matters.data or "").strip()
            if description:
                found.append((description, why))
        return found


class TextAnswerForm(PortalForm):
    text = TextAreaField(
        validators=[Length(max=LONG_TEXT_LIMIT, message=_l("This must be 5000 characters or less"))]
    )


class SubmitForm(PortalForm):
    """The button that sends a member's answers."""
