"""Forms on the account page: one thing to change on each page."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.accounts.account import (
    CONTACT_BY_EMAIL,
    CONTACT_BY_PHONE,
    CONTACT_BY_TEXT,
    LANGUAGES,
)
from portal.accounts.forms import _NewPasswordCheck
from portal.accounts.passwords import MAX_PASSWORD_LENGTH
from portal.forms import EmailAddress, PortalForm
from portal.languages import menu_name

ACCESSIBILITY_MAX_LENGTH = 2000


class NameForm(PortalForm):
    display_name = StringField(
        _l("What name should we call you?"),
        validators=[
            DataRequired(_l("Enter the name you want us to call you")),
            Length(max=120, message=_l("Enter a name of 120 characters or fewer")),
        ],
    )


class CurrentPasswordMixin:
    """A field for the person's current password, to prove it is them."""

    current_password = PasswordField(
        _l("Your current password"),
        validators=[
            Optional(),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("Enter your current password")),
        ],
    )


class NewEmailForm(CurrentPasswordMixin, PortalForm):
    email = EmailField(
        _l("New email address"),
        validators=[
            DataRequired(_l("Enter your new email address")),
            Length(max=320, message=_l("Enter an email address of 320 characters or fewer")),
            EmailAddress(_l("Enter an email address in the right format, like name@example.com")),
        ],
    )


class ChangePasswordForm(CurrentPasswordMixin, PortalForm):
    """Set ``account_email`` before validating."""

    account_email = ""
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password")), _NewPasswordCheck()],
    )


class ContactForm(PortalForm):
    contact_preference = RadioField(
        _l("How would you like us to contact you?"),
        choices=[
            SelectChoice(CONTACT_BY_EMAIL, _l("By email")),
            SelectChoice(CONTACT_BY_PHONE, _l("By phone call")),
            SelectChoice(CONTACT_BY_TEXT, _l("By text message")),
        ],
        invalid_choice_message=_l("Choose how you would like us to contact you"),
    )
    phone = StringField(
        _l("Phone number (optional if you chose email)"),
        validators=[Length(max=40, message=_l("Enter a phone number of 40 characters or fewer"))],
    )

    def validate_phone(self, field: StringField) -> None:
        wants_phone = self.contact_preference.data in (CONTACT_BY_PHONE, CONTACT_BY_TEXT)
        number = (field.data or "").strip()
        if wants_phone and not number:
            raise ValidationError(_l("Enter a phone number, or choose to be contacted by email"))
        if number and sum(character.isdigit() for character in number) < 7:
            raise ValidationError(_l("Enter a phone number, like 07700 900 982"))


class AccessibilityForm(PortalForm):
    accessibility_needs = TextAreaField(
        _l("Is there anything that would help you take part?"),
        validators=[
            Length(
                max=ACCESSIBILITY_MAX_LENGTH,
                message=_l("Write 2,000 characters or fewer"),
            )
        ],
    )


class LanguageForm(PortalForm):
    language = RadioField(
        _l("Which language should the portal use?"),
        choices=[SelectChoice("", _l("The language my web browser asks for"))]
        # Each named in itself, with "(being checked)" until a fluent speaker signs it off.
        + [SelectChoice(code, LazyString(menu_name, code)) for code in LANGUAGES],
        invalid_choice_message=_l("Choose a language"),
    )


class ReauthenticateForm(CurrentPasswordMixin, PortalForm):
    """Only the current password (or nothing, for people who signed in by email link lately)."""


class TwoStepSetUpForm(CurrentPasswordMixin, PortalForm):
    code = StringField(
        _l("Enter the 6-digit code your app shows"),
        validators=[
            DataRequired(_l("Enter the 6-digit code from your authenticator app")),
            Length(max=20, message=_l("Enter the 6-digit code from your authenticator app")),
        ],
    )


class TwoStepCheckForm(PortalForm):
    code = StringField(
        _l("Security code"),
        validators=[
            DataRequired(_l("Enter the code from your authenticator app, or a recovery code")),
            Length(
                max=40,
                message=_l("Enter the code from your authenticator app, or a recovery code"),
            ),
        ],
    )


class TwoStepPolicyForm(PortalForm):
    require_two_step_for_staff = BooleanField(
        _l("Researchers and administrators must use two-step verification")
    )
