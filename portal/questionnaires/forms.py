"""Forms for building questionnaires, and the words shown for fixed answers."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.forms import PortalForm
from portal.questionnaires.models import Audience, QuestionType
from portal.questionnaires.service import (
    CHOICE_KINDS,
    QuestionDetails,
    QuestionnaireDetails,
)
from portal.readability import ReadingAgeCheck
from portal.templating import LONDON

OPTION_LIMIT = 200  # an answer to choose from is a short line, shown as a radio label

KIND_LABELS = {
    QuestionType.SINGLE_CHOICE: _l("Choose one answer from a list"),
    QuestionType.MULTIPLE_CHOICE: _l("Choose any answers from a list"),
    QuestionType.AGREE_SCALE: _l("Agree or disagree (5 points)"),
    QuestionType.YES_NO_NOT_SURE: _l("Yes, no or not sure"),
    QuestionType.SHORT_TEXT: _l("Short text answer"),
    QuestionType.LONG_TEXT: _l("Long text answer"),
    QuestionType.RANKING: _l("Choose and order your top few from a list"),
    QuestionType.SECTION: _l("Section heading with help text (not a question)"),
}

SCALE_LABELS = {
    "1": _l("Strongly disagree"),
    "2": _l("Disagree"),
    "3": _l("Neither agree nor disagree"),
    "4": _l("Agree"),
    "5": _l("Strongly agree"),
}
YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No"), "not_sure": _l("Not sure")}

TEMPLATE_CHOICES = {
    "blank": _l("A blank questionnaire"),
    "meeting_feedback": _l("Meeting feedback"),
    "priority_vote": _l("Priority vote (choose and order your top 5)"),
}


def value_label(kind: QuestionType, value: str) -> str:
    """The words for a stored answer value."""
    if kind is QuestionType.AGREE_SCALE:
        return str(SCALE_LABELS.get(value, value))
    if kind is QuestionType.YES_NO_NOT_SURE:
        return str(YES_NO_LABELS.get(value, value))
    return value


def _london(day: date | None, at: time | None, default: time) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, at or default, tzinfo=LONDON)


class QuestionnaireForm(ReadingAgeCheck, PortalForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title")), Length(max=300)]
    )
    introduction = TextAreaField(_l("Introduction (optional)"), validators=[Length(max=5000)])
    privacy_note = TextAreaField(_l("Privacy note (optional)"), validators=[Length(max=3000)])
    content_note = TextAreaField(_l("Content note (optional)"), validators=[Length(max=1000)])
    lock_version = HiddenField()
    anonymous = RadioField(
        _l("Named or anonymous?"),
        choices=[
            SelectChoice("named", _l("Named: we know who gave each answer")),
            SelectChoice("anonymous", _l("Anonymous: nobody can tell who gave which answer")),
        ],
        default="named",
        validators=[DataRequired(_l("Choose named or anonymous"))],
    )
    audience = RadioField(
        _l("Who is it for?"),
        choices=[
            SelectChoice(Audience.PANEL.value, _l("Everyone in the panel")),
            SelectChoice(Audience.MEETING_ATTENDEES.value, _l("The people who came to a meeting")),
        ],
        default=Audience.PANEL.value,
        validators=[DataRequired(_l("Choose who it is for"))],
    )
    meeting_id = SelectField(_l("Meeting"), coerce=str, validate_choice=True)
    opens_on = DateField(_l("Opening date (optional)"), validators=[Optional()])
    opens_time = TimeField(_l("Opening time"), validators=[Optional()])
    closes_on = DateField(_l("Closing date (optional)"), validators=[Optional()])
    closes_time = TimeField(_l("Closing time"), validators=[Optional()])

    def set_meetings(self, meetings: list[tuple[int, str]]) -> None:
        self.meeting_id.choices = [SelectChoice("", _l("No meeting"))] + [
            SelectChoice(str(meeting_id), title) for meeting_id, title in meetings
        ]

    def validate_meeting_id(self, field: SelectField) -> None:
        if self.audience.data == Audience.MEETING_ATTENDEES.value and not field.data:
            raise ValidationError(_l("Choose the meeting whose attenders should answer"))

    def validate_closes_on(self, field: DateField) -> None:
        opens, closes = self.opens_at(), self.closes_at()
        if opens and not closes:
            raise ValidationError(_l("Enter a closing date"))
        if opens and closes and closes <= opens:
            raise ValidationError(_l("The closing date must be after the opening date"))

    def opens_at(self) -> datetime | None:
        return _london(self.opens_on.data, self.opens_time.data, time(9, 0))

    def closes_at(self) -> datetime | None:
        return _london(self.closes_on.data, self.closes_time.data, time(17, 0))

    def seen_version(self) -> int:
        """The version of the details the person started from (0 when unknown)."""
        value = (self.lock_version.data or "").strip()
        return int(value) if value.isdigit() else 0

    def load(self, details: QuestionnaireDetails) -> None:
        self.title.data = details.title
        self.introduction.data = details.introduction
        self.privacy_note.data = details.privacy_note
        self.content_note.data = details.content_note
        self.anonymous.data = "anonymous" if details.anonymous else "named"
        self.audience.data = details.audience.value
        self.meeting_id.data = str(details.meeting_id or "")
        for prefix, moment in (("opens", details.opens_at), ("closes", details.closes_at)):
            if moment is not None:
                local = moment.astimezone(LONDON)
                self[f"{prefix}_on"].data = local.date()
                self[f"{prefix}_time"].data = local.time().replace(second=0, microsecond=0)

    def details(self) -> QuestionnaireDetails:
        meeting = self.meeting_id.data
        return QuestionnaireDetails(
            title=(self.title.data or "").strip(),
            introduction=(self.introduction.data or "").strip(),
            privacy_note=(self.privacy_note.data or "").strip(),
            content_note=(self.content_note.data or "").strip(),
            anonymous=self.anonymous.data == "anonymous",
            opens_at=self.opens_at(),
            closes_at=self.closes_at(),
            audience=Audience(self.audience.data),
            meeting_id=int(meeting) if meeting else None,
        )


class NewQuestionnaireForm(PortalForm):
    start_from = RadioField(
        _l("Start from"),
        choices=[SelectChoice(key, label) for key, label in TEMPLATE_CHOICES.items()],
        default="blank",
        validators=[DataRequired(_l("Choose what to start from"))],
    )


class QuestionForm(ReadingAgeCheck, PortalForm):
    kind = RadioField(
        _l("Type of question"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired(_l("Choose the type of question"))],
    )
    text = StringField(
        _l("Question, or section heading"),
        validators=[DataRequired(_l("Enter the question")), Length(max=500)],
    )
    help_text = TextAreaField(_l("Help text (optional)"), validators=[Length(max=2000)])
    required = BooleanField(_l("People must answer this question"))
    options = TextAreaField(
        _l("Answers to choose from, one on each line"),
        validators=[Length(max=5000)],
    )
    top_n = IntegerField(
        _l("How many to choose and order (for a top few question)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=20, message=_l("Enter a number from 1 to 20")),
        ],
    )

    def option_list(self) -> tuple[str, ...]:
        seen: list[str] = []
        for line in (self.options.data or "").splitlines():
            line = line.strip()
            if line and line not in seen:
                seen.append(line)
        return tuple(seen)

    def validate_options(self, field: TextAreaField) -> None:
        if self.kind.data in {kind.value for kind in CHOICE_KINDS} and len(self.option_list()) < 2:
            raise ValidationError(_l("Enter at least 2 answers to choose from, one on each line"))
        if any(len(option) > OPTION_LIMIT for option in self.option_list()):
            raise ValidationError(_l("Each answer to choose from must be 200 characters or fewer"))

    def validate_top_n(self, field: IntegerField) -> None:
        if self.kind.data != QuestionType.RANKING.value:
            return
        if not field.data:
            raise ValidationError(_l("Enter how many people should choose and order"))
        if field.data > len(self.option_list()):
            raise ValidationError(_l("Enter a number no bigger than the number of answers"))

    def load(self, details: QuestionDetails) -> None:
        self.kind.data = details.kind.value
        self.text.data = details.text
        self.help_text.data = details.help_text
        self.required.data = details.required
        self.options.data = "\n".join(details.options)
        self.top_n.data = details.top_n

    def details(self) -> QuestionDetails:
        kind = QuestionType(self.kind.data)
        return QuestionDetails(
            kind=kind,
            text=(self.text.data or "").strip(),
            help_text=(self.help_text.data or "").strip(),
            required=bool(self.required.data),
            options=self.option_list(),
            top_n=self.top_n.data if kind is QuestionType.RANKING else None,
        )


class ConfirmForm(PortalForm):
    """A button that changes something: remove a question, send answers."""


class AnswerPageForm(PortalForm):
    """One page of answers; the questions themselves are read by ``answer_pages.read_page``."""
