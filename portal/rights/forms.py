"""Forms for data rights and care."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, FormField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.feedback.forms import LimitedText
from portal.forms import PortalForm
from portal.meetings.forms import parse_date
from portal.rights.care import MESSAGE_MAX_LENGTH
from portal.rights.models import ContactWay, ResearchAction, SupportStatus

CONTACT_WAY_LABELS = {
    ContactWay.EMAIL: _l("Email"),
    ContactWay.PHONE: _l("Phone call"),
    ContactWay.TEXT: _l("Text message"),
    ContactWay.ANY: _l("Any of these"),
}

SUPPORT_STATUS_LABELS = {
    SupportStatus.NEW: _l("New"),
    SupportStatus.IN_HAND: _l("Someone is getting in touch"),
    SupportStatus.DONE: _l("Done"),
}


class ConfirmForm(PortalForm):
    """A form with nothing but its CSRF token: for a button that asks first."""


class PauseForm(PortalForm):
    how_long = RadioField(
        _l("How long for?"),
        choices=[
            SelectChoice("return", _l("Until I come back")),
            SelectChoice("date", _l("Until a date")),
        ],
        validators=[InputRequired(message=_l("Choose how long for"))],
    )
    until = StringField(_l("The day you want to come back"))

    def validate_until(self, field: StringField) -> None:
        if self.how_long.data == "date" and parse_date(field.data or "") is None:
            raise ValidationError(_l("Enter a real date, for example 14 3 2027"))


class ContactMeForm(PortalForm):
    message = TextAreaField(
        _l("Anything you want to tell us (optional)"), validators=[LimitedText(MESSAGE_MAX_LENGTH)]
    )
    contact_way = RadioField(
        _l("How would you like us to contact you?"),
        choices=[SelectChoice(way.value, label) for way, label in CONTACT_WAY_LABELS.items()],
        validators=[InputRequired(message=_l("Choose how you would like us to contact you"))],
    )


class ContactRequestStatusForm(PortalForm):
    status = RadioField(
        _l("Status"),
        choices=[
            SelectChoice(status.value, label) for status, label in SUPPORT_STATUS_LABELS.items()
        ],
        validators=[InputRequired(message=_l("Choose a status"))],
    )


class EraseForm(PortalForm):
    words = RadioField(
        _l("What they wrote for the study"),
        choices=[
            SelectChoice("keep", _l("Keep it under their panel code")),
            SelectChoice("delete", _l("Delete it too")),
        ],
        validators=[InputRequired(message=_l("Choose what happens to what they wrote"))],
    )


class RetentionForm(PortalForm):
    research_months = IntegerField(
        _l("Keep the research record for (months)"),
        validators=[
            InputRequired(message=_l("Enter a number of months")),
            NumberRange(min=1, max=1200, message=_l("Enter a number from 1 to 1200")),
        ],
    )
    research_action = RadioField(
        _l("Then"),
        choices=[
            SelectChoice(
                ResearchAction.PSEUDONYMISE.value, _l("Keep what was said under panel codes only")
            ),
            SelectChoice(ResearchAction.DELETE.value, _l("Delete what was said")),
        ],
        validators=[InputRequired(message=_l("Choose what happens then"))],
    )
    admin_months = IntegerField(
        _l("Keep the involvement administration for (months)"),
        validators=[
            InputRequired(message=_l("Enter a number of months")),
            NumberRange(min=1, max=1200, message=_l("Enter a number from 1 to 1200")),
        ],
    )


class PanelContactForm(Form):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    phone = StringField(_l("Phone number"), validators=[Length(max=60)])
    email = StringField(_l("Email address"), validators=[Optional(), Email(), Length(max=320)])


class PanelContactsForm(PortalForm):
    chair = FormField(PanelContactForm, label=_l("The chair"))
    researcher = FormField(PanelContactForm, label=_l("A named researcher"))
    peer_worker = FormField(PanelContactForm, label=_l("A peer worker"))


class CrisisLineForm(Form):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    how = StringField(_l("How to reach it"), validators=[Length(max=200)])


class CrisisLinesForm(PortalForm):
    lines = FieldList(FormField(CrisisLineForm), min_entries=1, max_entries=8)

    def validate_lines(self, field: FieldList) -> None:
        for entry in field:
            name, how = (entry.form.name.data or "").strip(), (entry.form.how.data or "").strip()
            if how and not name:
                entry.form.name.errors = [*entry.form.name.errors, _l("Enter the line's name")]
                raise ValidationError(_l("Every crisis line needs a name"))
            if name and not how:
                entry.form.how.errors = [*entry.form.how.errors, _l("Enter how to reach it")]
                raise ValidationError(_l("Every crisis line needs a way to reach it"))
