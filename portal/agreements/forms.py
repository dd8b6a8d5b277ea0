"""Forms for agreements: answering one, withdrawing, writing one, and recording consent given
on paper or aloud."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from portal.agreements.models import AgreementKind, Decision, GivenHow
from portal.agreements.service import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, WITNESS_MAX_LENGTH
from portal.forms import PortalForm
from portal.meetings.forms import parse_date, parse_time

KIND_LABELS = {
    AgreementKind.ROLE: _l("Role agreement"),
    AgreementKind.QUOTE: _l("Consent to quote what I say (never with my name)"),
    AgreementKind.RECORDING: _l("Consent to be recorded or filmed"),
    AgreementKind.NAMING: _l("Consent to be named in a publication or acknowledgement"),
    AgreementKind.OTHER: _l("Something else"),
}

DECISION_LABELS = {
    Decision.AGREED: _l("Agreed"),
    Decision.DECLINED: _l("Did not agree"),
    Decision.WITHDRAWN: _l("Withdrew"),
}

HOW_LABELS = {
    GivenHow.ONLINE: _l("On the portal"),
    GivenHow.PAPER: _l("On paper"),
    GivenHow.SPOKEN: _l("Spoken aloud"),
}


class AnswerForm(PortalForm):
    """I agree / I do not agree. No reason is asked."""

    decision = RadioField(
        _l("Do you agree?"),
        choices=[
            SelectChoice("agreed", _l("I agree")),
            SelectChoice("declined", _l("I do not agree")),
        ],
        validators=[InputRequired(message=_l("Choose whether you agree"))],
    )


class ConfirmForm(PortalForm):
    """A form with nothing but its CSRF token: for a button that asks first."""


class AgreementForm(PortalForm):
    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(message=_l("Enter a title")),
            Length(max=TITLE_MAX_LENGTH),
        ],
    )
    kind = RadioField(
        _l("What kind of agreement is it?"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[InputRequired(message=_l("Choose what kind of agreement it is"))],
    )
    required = RadioField(
        _l("Is it needed to take part?"),
        choices=[
            SelectChoice("yes", _l("Yes: members are asked when they next sign in")),
            SelectChoice("no", _l("No: members may agree or not")),
        ],
        validators=[InputRequired(message=_l("Choose whether it is needed to take part"))],
    )
    summary = TextAreaField(
        _l("Short summary in plain English"),
        validators=[Length(max=2000)],
    )
    body = TextAreaField(_l("The full text"), validators=[Length(max=TEXT_MAX_LENGTH)])
    withdrawal_note = TextAreaField(
        _l("What happens if someone withdraws (optional)"),
        validators=[Length(max=2000)],
    )


class RecordConsentForm(PortalForm):
    """Consent given on paper or aloud, recorded by the study team."""

    user_id = SelectField(
        _l("Who gave it"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose who gave it"))],
    )
    decision = RadioField(
        _l("What did they decide?"),
        choices=[SelectChoice(d.value, label) for d, label in DECISION_LABELS.items()],
        validators=[InputRequired(message=_l("Choose what they decided"))],
    )
    given_how = RadioField(
        _l("How was it given?"),
        choices=[SelectChoice(h.value, HOW_LABELS[h]) for h in (GivenHow.PAPER, GivenHow.SPOKEN)],
        validators=[InputRequired(message=_l("Choose how it was given"))],
    )
    witness = StringField(
        _l("Who witnessed it"),
        validators=[
            InputRequired(message=_l("Enter who witnessed it")),
            Length(max=WITNESS_MAX_LENGTH),
        ],
    )
    given_on = StringField(
        _l("When it was given"),
        validators=[InputRequired(message=_l("Enter the date it was given"))],
    )
    given_at = StringField(_l("At what time (optional)"), validators=[Length(max=20)])

    def validate_user_id(self, field: SelectField) -> None:
        if not field.data or field.data not in {c.value for c in field.choices or []}:  # type: ignore[union-attr]
            raise ValidationError(_l("Choose who gave it"))

    def validate_given_at(self, field: StringField) -> None:
        if (field.data or "").strip() and parse_time(field.data or "") is None:
            raise ValidationError(_l("Enter a time such as 2pm or 14:00"))

    def validate_given_on(self, field: StringField) -> None:
        day = parse_date(field.data or "")
        if day is None:
            raise ValidationError(_l("Enter a real date, for example 14 3 2027"))
        if day > date.today():
            raise ValidationError(_l("The date must be today or in the past"))
