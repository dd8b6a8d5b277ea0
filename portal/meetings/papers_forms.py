"""Forms for the agenda, papers, the pre-meeting pack, attendance, minutes and actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from portal.forms import PortalForm
from portal.meetings.agenda import AgendaItemDetails
from portal.meetings.models import ActionStatus
from portal.readability import ReadingAgeCheck


class MinutesField(IntegerField):
    """A whole number of minutes, with a plain message when it is not a number."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Enter how many minutes, as a number, like 15")) from error


class AgendaItemForm(ReadingAgeCheck, PortalForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title")), Length(max=300)]
    )
    description = TextAreaField(_l("Description (optional)"), validators=[Length(max=5000)])
    minutes = MinutesField(
        _l("How many minutes?"),
        validators=[
            InputRequired(_l("Enter how many minutes, as a number, like 15")),
            NumberRange(1, 600, _l("Enter a number of minutes from 1 to 600")),
        ],
    )
    lead = StringField(_l("Who leads this item (optional)"), validators=[Length(max=200)])

    def details(self) -> AgendaItemDetails:
        return AgendaItemDetails(
            title=(self.title.data or "").strip(),
            description=(self.description.data or "").strip(),
            minutes=int(self.minutes.data or 0),
            lead=(self.lead.data or "").strip(),
        )


class ConfirmForm(PortalForm):
    """A button that changes something: move, remove, agree."""


class PaperForm(PortalForm):
    title = StringField(
        _l("Title of the paper"), validators=[DataRequired(_l("Enter a title")), Length(max=300)]
    )
    agenda_item_id = SelectField(_l("Agenda item"), coerce=str, validate_choice=True)
    source = RadioField(
        _l("What is the paper?"),
        choices=[
            SelectChoice("file", _l("A file I upload")),
            SelectChoice("draft", _l("A draft already in the portal")),
        ],
        default="file",
        validators=[DataRequired(_l("Choose a file or a draft"))],
    )
    file = FileField(_l("Upload a file"))
    draft_id = SelectField(_l("Draft"), coerce=str, validate_choice=True)

    def set_choices(self, items: list[tuple[int, str]], drafts: list[tuple[int, str]]) -> None:
        self.agenda_item_id.choices = [SelectChoice("", _l("Not for one item"))] + [
            SelectChoice(str(item_id), title) for item_id, title in items
        ]
        self.draft_id.choices = [SelectChoice("", _l("Choose a draft"))] + [
            SelectChoice(str(draft_id), title) for draft_id, title in drafts
        ]

    @property
    def chosen_item(self) -> int | None:
        return int(self.agenda_item_id.data) if self.agenda_item_id.data else None

    @property
    def chosen_draft(self) -> int | None:
        return int(self.draft_id.data) if self.draft_id.data else None


class PreviousResultsForm(ReadingAgeCheck, PortalForm):
    summary = TextAreaField(
        _l("Summary of the previous meeting's results"),
        validators=[
            DataRequired(_l("Write a short summary of the previous meeting's results")),
            Length(max=10000),
        ],
    )


ATTENDANCE_CHOICES = [
    SelectChoice("attended", _l("Attended")),
    SelectChoice("apologies", _l("Sent apologies")),
    SelectChoice("absent", _l("Did not attend")),
]


class MinutesForm(PortalForm):
    # The revision the writer started from; a newer one saved meanwhile is an edit conflict.
    based_on = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    body = TextAreaField(
        _l("Minutes"),
        validators=[DataRequired(_l("Write the minutes")), Length(max=50000)],
    )


class MinutesCommentForm(PortalForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(_l("Write your comment")), Length(max=5000)],
    )


class DueDateField(DateField):
    """A date from the browser's date picker, with a plain message when it is not a date."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Enter a real date, for example 14 March 2027")) from error


class ActionForm(PortalForm):
    description = TextAreaField(
        _l("Action"), validators=[DataRequired(_l("Describe the action")), Length(max=2000)]
    )
    owner = StringField(_l("Who will do it"), validators=[Length(max=200)])
    due_on = DueDateField(
        _l("Due date (optional)"),
        validators=[Optional()],
        format="%Y-%m-%d",
    )
    status = RadioField(
        _l("Status"),
        choices=[
            SelectChoice(ActionStatus.OPEN.value, _l("Open")),
            SelectChoice(ActionStatus.DONE.value, _l("Done")),
            SelectChoice(ActionStatus.DROPPED.value, _l("No longer needed")),
        ],
        default=ActionStatus.OPEN.value,
        validators=[DataRequired(_l("Choose a status"))],
    )
