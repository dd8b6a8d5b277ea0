"""Forms for signing in and managing an account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from portal.accounts.passwords import MAX_PASSWORD_LENGTH, password_problem
from portal.forms import EmailAddress, PortalForm


class SignInForm(PortalForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address")), Length(max=320)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("Enter your password")),
        ],
    )


class EmailAddressForm(PortalForm):
    """Asks for an email address: to send a sign-in link or a password reset link."""

    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=320, message=_l("Enter an email address of 320 characters or fewer")),
            EmailAddress(_l("Enter an email address in the right format, like name@example.com")),
        ],
    )


class ConfirmForm(PortalForm):
    """Only a button: for links in emails, which are opened with GET but act on POST."""


class _NewPasswordCheck:
    """Checks a new password against ``password_problem``, with the form's ``email``."""

    def __call__(self, form: PortalForm, field: PasswordField) -> None:
        problem = password_problem(field.data or "", getattr(form, "account_email", ""))
        if problem:
            raise ValidationError(problem)


class NewPasswordForm(PortalForm):
    """Choose a new password, after a reset link. Set ``account_email`` before validating."""

    account_email = ""
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password")), _NewPasswordCheck()],
    )


SIGN_IN_METHOD_PASSWORD = "password"  # noqa: S105  (a choice's value, not a password)
SIGN_IN_METHOD_EMAIL_LINK = "email_link"


class JoinPanelForm(PortalForm):
    """Accept an invitation with an account that exists already: only the privacy notice."""

    agree_privacy = BooleanField(
        _l("I have read the privacy notice and I agree to it"),
        validators=[DataRequired(_l("Tick the box to say you agree to the privacy notice"))],
    )


class AcceptInvitationForm(JoinPanelForm):
    """Accept an invitation and make an account. Set ``account_email`` before validating."""

    account_email = ""
    display_name = StringField(
        _l("What name should we call you?"),
        validators=[
            DataRequired(_l("Enter the name you want us to call you")),
            Length(max=120, message=_l("Enter a name of 120 characters or fewer")),
        ],
    )
    sign_in_method = RadioField(
        _l("How do you want to sign in?"),
        choices=[
            SelectChoice(SIGN_IN_METHOD_PASSWORD, _l("With a password")),
            SelectChoice(
                SIGN_IN_METHOD_EMAIL_LINK, _l("Send me a sign-in link by email each time")
            ),
        ],
        invalid_choice_message=_l("Choose how you want to sign in"),
    )
    password = PasswordField(_l("Create a password"))

    def validate_password(self, field: PasswordField) -> None:
        if self.sign_in_method.data != SIGN_IN_METHOD_PASSWORD:
            field.data = ""
            return
        if not field.data:
            raise ValidationError(_l("Create a password, or choose to sign in with an email link"))
        _NewPasswordCheck()(self, field)

    def chosen_password(self) -> str | None:
        """The new password, or None when the person chose email links."""
        if self.sign_in_method.data == SIGN_IN_METHOD_PASSWORD:
            return self.password.data or None
        return None
