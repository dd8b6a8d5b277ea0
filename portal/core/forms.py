"""Forms for organisation-wide content."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, FormField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.validators import URL, Email, Length, Optional, ValidationError

from portal.core.models import SupportContact
from portal.core.service import SupportContactDetails
from portal.forms import PortalForm

MAX_SUPPORT_CONTACTS = 8
FIELD_NAMES = ("name", "description", "phone", "text_number", "email", "website", "hours")
BLANK_ROWS = 2


class SupportContactForm(Form):
    name = StringField(_l("Name of the service"), validators=[Length(max=200)])
    description = TextAreaField(_l("What they offer"), validators=[Length(max=1000)])
    phone = StringField(_l("Phone number"), validators=[Length(max=60)])
    text_number = StringField(_l("Text message number"), validators=[Length(max=60)])
    email = StringField(_l("Email address"), validators=[Optional(), Email(), Length(max=320)])
    website = StringField(
        _l("Website"),
        validators=[Optional(), URL(require_tld=False), Length(max=500)],
    )
    hours = StringField(_l("When it is open"), validators=[Length(max=200)])

    def validate_website(self, field: StringField) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Enter a website address that starts with https://"))

    def is_blank(self) -> bool:
        return not any((field.data or "").strip() for field in self)


class SupportContactsForm(PortalForm):
    contacts = FieldList(
        FormField(SupportContactForm), min_entries=1, max_entries=MAX_SUPPORT_CONTACTS
    )

    def load(self, existing: list[SupportContact]) -> None:
        while len(self.contacts):
            self.contacts.pop_entry()
        for contact in existing[:MAX_SUPPORT_CONTACTS]:
            self.contacts.append_entry({name: getattr(contact, name) for name in FIELD_NAMES})
        while len(self.contacts) < min(len(existing) + BLANK_ROWS, MAX_SUPPORT_CONTACTS):
            self.contacts.append_entry()

    def validate_contacts(self, field: FieldList) -> None:
        for entry in field:
            if not entry.form.is_blank() and not (entry.form.name.data or "").strip():
                entry.form.name.errors = [*entry.form.name.errors, _l("Enter the service's name")]
                raise ValidationError(_l("Every support contact needs a name"))

    def contacts_to_save(self) -> list[SupportContactDetails]:
        return [
            SupportContactDetails(
                **{name: (entry.form[name].data or "").strip() for name in FIELD_NAMES}
            )
            for entry in self.contacts
            if not entry.form.is_blank()
        ]
