"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 15
# Long enough for any passphrase; bounds the work one request can ask of argon2.
MAX_PASSWORD_LENGTH = 1000

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost

# Shown under every new-password field. The example words are in the common list, so nobody
# can use the example itself.
PASSWORD_HINT = _l(
    "Use at least 15 characters. Three random words work well, for example "
    "“kettle orbit marmalade”. You can paste a password from a password manager."
)
# A password with so few different characters is a pattern, not a secret ("aaaa…", "abab…").
MIN_DIFFERENT_CHARACTERS = 5


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches. Compares in constant time; never raises on a bad hash."""
    if not password_hash:
        # Spend the same effort as a real check, so timing does not reveal unknown accounts.
        _hasher.hash(password[:MAX_PASSWORD_LENGTH])
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _squashed(text: str) -> str:
    """Lower-case letters and digits only, so "Pass Word-123" and "password123" compare equal."""
    return "".join(character for character in text.lower() if character.isalnum())


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("portal.accounts").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(_squashed(line) for line in text.splitlines() if _squashed(line))


def is_common_password(password: str) -> bool:
    """Is this password (ignoring case, spaces and punctuation) on the shipped common list?"""
    return _squashed(password) in _common_passwords()


def password_problem(password: str, email: str = "") -> str | None:
    """What is wrong with ``password`` as a new password, in plain English, or None if nothing.

    The rules: at least 15 characters, at most 1,000, not on the common-passwords list, not a
    simple pattern, and not containing the person's email address. No rules about capitals,
    digits or symbols. The whole password is used: nothing is cut off.
    """
    hint = gettext("Use three random words, for example “kettle orbit marmalade”.")
    if len(password) < MIN_PASSWORD_LENGTH:
        return gettext(
            "Your password must be at least %(num)d characters long. %(hint)s",
            num=MIN_PASSWORD_LENGTH,
            hint=hint,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        return gettext(
            "Your password must be %(num)s characters or fewer.",
            num=f"{MAX_PASSWORD_LENGTH:,}",
        )
    address = email.strip().lower()
    local_part = address.partition("@")[0]
    lowered = password.lower()
    if address and (address in lowered or (len(local_part) >= 6 and local_part in lowered)):
        return gettext("Your password must not include your email address. %(hint)s", hint=hint)
    if is_common_password(password) or len(set(lowered)) < MIN_DIFFERENT_CHARACTERS:
        return gettext(
            "This password is too easy to guess because lots of people use it. "
            "Choose a different one. %(hint)s",
            hint=hint,
        )
    return None
