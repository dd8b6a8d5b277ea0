"""Forms for the administration and panel membership pages."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from portal.admin.panels import PanelDetails
from portal.forms import EmailAddress, PortalForm
from portal.panels.models import Role

ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.CHAIR: _l("Chair"),
    Role.RESEARCHER: _l("Researcher"),
}

ROLE_HINTS = {
    Role.MEMBER: _l("Reads drafts, comments, answers questionnaires and comes to meetings."),
    Role.CHAIR: _l("A member who also plans meetings, agendas and minutes."),
    Role.RESEARCHER: _l("Study team: shares drafts, answers comments and sees results."),
}


class PanelForm(PortalForm):
    lock_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    name = StringField(
        _l("Panel name"),
        validators=[DataRequired(_l("Enter the name of the panel")), Length(max=200)],
    )
    description = TextAreaField(
        _l("What the panel is for (optional)"), validators=[Length(max=3000)]
    )

    def details(self) -> PanelDetails:
        return PanelDetails(
            name=(self.name.data or "").strip(),
            description=(self.description.data or "").strip(),
        )


class SiteForm(PortalForm):
    name = StringField(
        _l("Site name"),
        validators=[DataRequired(_l("Enter the name of the site")), Length(max=200)],
    )


class ConfirmForm(PortalForm):
    """A button that makes a change: only the CSRF token travels."""


class RoleForm(PortalForm):
    role = RadioField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[DataRequired(_l("Choose a role"))],
    )


class InvitationForm(PortalForm):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter the email address to send the invitation to")),
            EmailAddress(_l("Enter an email address like name@example.org")),
            Length(max=320),
        ],
    )
    role = RadioField(
        _l("Role in the panel"),
        validators=[DataRequired(_l("Choose the role they will have"))],
    )

    def set_roles(self, roles: tuple[Role, ...]) -> None:
        self.role.choices = [SelectChoice(role.value, ROLE_LABELS[role]) for role in roles]
        if len(roles) == 1 and not self.role.data:
            self.role.data = roles[0].value


class SearchPeopleForm(PortalForm):
    class Meta:
        csrf = False  # a search changes nothing

    q = StringField(_l("Name or email address"), validators=[Length(max=200)])


class PlainDateField(DateField):
    """A date typed as year-month-day (browsers show a date picker); a bad one says so simply."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Enter a real date, like 2026-03-31")) from error


class AuditFilterForm(PortalForm):
    class Meta:
        csrf = False  # a search changes nothing

    action = SelectField(_l("What happened"), default="", validate_choice=True)
    person = StringField(
        _l("Person (part of a name or email address)"), validators=[Length(max=200)]
    )
    start = PlainDateField(_l("From (date)"), validators=[Optional()], format="%Y-%m-%d")
    end = PlainDateField(_l("To (date)"), validators=[Optional()], format="%Y-%m-%d")

    def validate_end(self, field: DateField) -> None:
        start: date | None = self.start.data
        if start is not None and field.data is not None and field.data < start:
            raise ValidationError(_l("The 'to' date must be the same as or after the 'from' date"))


def role_from(value: str | None) -> Role | None:
    try:
        return Role(value or "")
    except ValueError:
        return None
