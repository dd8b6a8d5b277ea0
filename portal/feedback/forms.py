"""Forms for comments, triage and My feedback."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import HiddenInput

from portal.feedback.comments import COMMENT_MAX_LENGTH, CommentDetails
from portal.feedback.models import ShownAs, TriageStatus, Visibility
from portal.feedback.triage import RESPONSE_MAX_LENGTH, TriageDecision
from portal.forms import PortalForm
from portal.text import translated

STATUS_LABELS = {
    TriageStatus.NEW: _l("New"),
    TriageStatus.ACKNOWLEDGED: _l("Acknowledged"),
    TriageStatus.ACTIONED: _l("Actioned"),
    TriageStatus.NOT_ACTIONED: _l("Not actioned"),
    TriageStatus.DUPLICATE: _l("Duplicate of another"),
}

# What a member reads about what happened to something they said.
MEMBER_STATUS_LABELS = {
    TriageStatus.NEW: _l("Not looked at yet"),
    TriageStatus.ACKNOWLEDGED: _l("Seen by the study team"),
    TriageStatus.ACTIONED: _l("Acted on"),
    TriageStatus.NOT_ACTIONED: _l("Not acted on"),
    TriageStatus.DUPLICATE: _l("Someone made the same point"),
}


class LimitedText:
    """A length limit whose message says how many characters to take out."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: PortalForm, field: TextAreaField) -> None:
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(
                translated(
                    "Your text must be %(limit)s characters or fewer. "
                    "You have %(extra)s characters too many.",
                    limit=f"{self.limit:,}",
                    extra=f"{length - self.limit:,}",
                )
            )


class CommentForm(PortalForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[InputRequired(_l("Enter your comment")), LimitedText(COMMENT_MAX_LENGTH)],
    )
    about = SelectField(
        _l("What is your comment about?"), coerce=str, default="", validate_choice=True
    )
    visibility = RadioField(
        _l("Who can see your comment?"),
        choices=[
            SelectChoice(Visibility.TEAM.value, _l("The study team only")),
            SelectChoice(Visibility.PANEL.value, _l("The whole panel")),
        ],
        default=Visibility.TEAM.value,
        validators=[InputRequired(_l("Choose who can see your comment"))],
    )
    shown_as = RadioField(
        _l("How should other panel members see your name?"),
        default=ShownAs.NAME.value,
        validators=[InputRequired(_l("Choose how other panel members see your name"))],
    )

    def set_choices(self, items: list[tuple[str, str]], name: str, code: str) -> None:
        self.about.choices = [SelectChoice("", _l("The whole draft"))] + [
            SelectChoice(key, translated("Item: %(title)s", title=title)) for key, title in items
        ]
        self.shown_as.choices = [
            SelectChoice(ShownAs.NAME.value, translated("My name (%(name)s)", name=name)),
            SelectChoice(ShownAs.PSEUDONYM.value, translated("My code (%(code)s)", code=code)),
        ]

    def details(self) -> CommentDetails:
        return CommentDetails(
            body=(self.body.data or "").strip(),
            item_key=self.about.data or None,
            visibility=Visibility(self.visibility.data),
            shown_as=ShownAs(self.shown_as.data),
        )


class ConfirmForm(PortalForm):
    """A button that changes something: withdraw a comment, mark responses as read."""


class TriageForm(PortalForm):
    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    status = RadioField(
        _l("Status"),
        choices=[SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()],
        validators=[InputRequired(_l("Choose a status"))],
    )
    reason = TextAreaField(
        _l("Why it was not actioned"), validators=[LimitedText(RESPONSE_MAX_LENGTH)]
    )
    duplicate_of = IntegerField(
        _l("Number of the entry it duplicates"),
        validators=[Optional()],
    )
    assignee_id = SelectField(_l("Assigned to"), coerce=str, default="", validate_choice=True)
    response = TextAreaField(
        _l("Your response to the member"), validators=[LimitedText(RESPONSE_MAX_LENGTH)]
    )
    quoted = BooleanField(_l("Quoted in a report"))

    def set_researchers(self, researchers: list[tuple[int, str]]) -> None:
        self.assignee_id.choices = [SelectChoice("", _l("Nobody"))] + [
            SelectChoice(str(user_id), name) for user_id, name in researchers
        ]

    def validate_reason(self, field: TextAreaField) -> None:
        if self.status.data == TriageStatus.NOT_ACTIONED.value and not (field.data or "").strip():
            raise ValidationError(_l("Enter why it was not actioned"))

    def validate_duplicate_of(self, field: IntegerField) -> None:
        if self.status.data == TriageStatus.DUPLICATE.value and not field.data:
            raise ValidationError(_l("Enter the number of the entry it duplicates"))

    def decision(self) -> TriageDecision:
        status = TriageStatus(self.status.data)
        return TriageDecision(
            status=status,
            reason=(self.reason.data or "").strip() if status is TriageStatus.NOT_ACTIONED else "",
            duplicate_of_id=self.duplicate_of.data if status is TriageStatus.DUPLICATE else None,
            assignee_id=int(self.assignee_id.data) if self.assignee_id.data else None,
            response=(self.response.data or "").strip(),
            quoted=bool(self.quoted.data),
        )


BULK_STATUSES = (
    TriageStatus.NEW,
    TriageStatus.ACKNOWLEDGED,
    TriageStatus.ACTIONED,
    TriageStatus.NOT_ACTIONED,
)


class BulkTriageForm(PortalForm):
    entry_ids = SelectMultipleField(
        _l("Choose entries"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose at least one entry"))],
    )
    status = SelectField(
        _l("Change the status of the chosen entries to"),
        choices=[SelectChoice(status.value, STATUS_LABELS[status]) for status in BULK_STATUSES],
        validators=[InputRequired(_l("Choose a status"))],
    )
    reason = TextAreaField(
        _l("Why they were not actioned (needed for Not actioned)"),
        validators=[LimitedText(RESPONSE_MAX_LENGTH)],
    )

    def validate_reason(self, field: TextAreaField) -> None:
        if self.status.data == TriageStatus.NOT_ACTIONED.value and not (field.data or "").strip():
            raise ValidationError(_l("Enter why they were not actioned"))
