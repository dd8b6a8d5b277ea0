"""Proving it is you again before a change that matters: a new email address or password,
or turning two-step verification on or off.

The account pages and the two-step pages both use these, so neither view module imports the
other.
"""

from __future__ import annotations

from flask import session
from flask_babel import gettext
from flask_login import current_user

from portal.accounts import account
from portal.accounts.account_forms import ChangePasswordForm, NewEmailForm
from portal.accounts.limits import attempt_failed
from portal.accounts.models import User
from portal.accounts.sessions import STARTED_KEY
from portal.extensions import limiter

# Typing the current password wrong counts against the account, not only the address.
REAUTHENTICATION_LIMIT = "5 per 15 minutes"


def _signed_in_person() -> str:
    return f"user:{current_user.id}"


reauthentication_limit = limiter.limit(
    REAUTHENTICATION_LIMIT,
    key_func=_signed_in_person,
    methods=["POST"],
    deduct_when=attempt_failed,
    scope="reauthentication",
)


def signed_in_person() -> User:
    """The signed-in person, as loaded for this request (the access rule lets nobody else in)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def signed_in_recently() -> bool:
    """Did this browser sign in within the last ``account.RECENT_SIGN_IN_SECONDS``?"""
    return account.sign_in_is_recent(int(session.get(STARTED_KEY, 0)))


def identity_proved(user: User, form: NewEmailForm | ChangePasswordForm) -> bool:
    """Check the current password (or, for people without one, a recent sign-in)."""
    if not user.password_hash:
        return signed_in_recently()
    if not form.current_password.data:
        form.current_password.errors.append(gettext("Enter your current password"))
        return False
    if not account.proves_identity(user, form.current_password.data):
        form.current_password.errors.append(gettext("Your current password is not right"))
        return False
    return True
