"""Two-step verification: a code from an authenticator app (TOTP), or a single-use recovery code.

Anyone can turn it on. An administrator can require it for researchers and administrators, who
are then sent to set it up before they can use anything else.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from functools import cache
from typing import Any

import pyotp
from flask import current_app
from sqlalchemy import Select, delete, exists, select, update

from portal.accounts.models import AccountSettings, RecoveryCode, User
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Membership, Role

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: easy to copy from paper. 16 of 31 characters is about 79 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 16
TOTP_STEP_SECONDS = 30
# Accept the code before and after the current one too, for phones whose clocks drift.
TOTP_DRIFT_STEPS = 1
# Where an application may hold the clock codes are checked against. The portal never sets it, so
# codes follow the system clock; tests put a clock of their own here instead of waiting or
# patching ``time`` for the whole process.
CLOCK_EXTENSION = "two_step_clock"

Clock = Callable[[], float]


def two_step_is_on(user: User) -> bool:
    return user.two_step_enabled_at is not None and bool(user.totp_secret)


def is_required_at_sign_in(user: User) -> bool:
    """Must this person pass a second step before their session starts?"""
    return two_step_is_on(user)


# Asked on every page a researcher or administrator opens: built once, as building a statement
# costs more than running it (README: "What keeps pages fast").
@cache
def _settings() -> Select[Any]:
    return select(AccountSettings).order_by(AccountSettings.id).limit(1)


def settings() -> AccountSettings:
    """The organisation's account settings (defaults until an administrator saves them)."""
    found = db.session.scalar(_settings())
    return found or AccountSettings(require_two_step_for_staff=False)


def set_required_for_staff(required: bool) -> None:
    """Require (or stop requiring) two-step verification for researchers and administrators."""
    row = db.session.scalar(_settings())
    if row is None:
        row = AccountSettings()
        db.session.add(row)
    if row.require_two_step_for_staff == required:
        return
    row.require_two_step_for_staff = required
    record(
        AuditAction.SETTINGS_CHANGED,
        detail=f"two-step verification required for staff: {'yes' if required else 'no'}",
    )


def is_staff(user: User) -> bool:
    """Administrators, and researchers in any panel."""
    if user.is_admin:
        return True
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Membership.user_id == user.id,
                    Membership.role == Role.RESEARCHER,
                    Membership.active.is_(True),
                )
            )
        )
    )


def must_set_up(user: User) -> bool:
    """Has the organisation required two-step verification of this person, who has not set it up?"""
    if two_step_is_on(user):
        return False
    return settings().require_two_step_for_staff and is_staff(user)


def is_required_for(user: User) -> bool:
    """May this person not turn two-step verification off?"""
    return settings().require_two_step_for_staff and is_staff(user)


# --- authenticator app --------------------------------------------------------------------------


def new_secret() -> str:
    return pyotp.random_base32()


def setup_address(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SERVICE_NAME"]
    )


def qr_code_svg(address: str, label: str) -> str:
    """The address as a QR code, an SVG image to put straight into the page."""
    import segno  # only when setting up: every worker would otherwise hold it in memory

    svg = segno.make(address, error="m").svg_inline(scale=5, title=label, omitsize=False)
    return svg.replace("<svg ", '<svg role="img" aria-label="' + _attribute(label) + '" ', 1)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def spaced_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _normalise_code(code: str) -> str:
    return "".join(character for character in code.lower() if character.isalnum())


def app_clock() -> Clock:
    """The clock codes are checked against: the application's own, or else the system clock."""
    clock: Clock = current_app.extensions.get(CLOCK_EXTENSION, time.time)
    return clock


def code_matches(secret: str, code: str, after_step: int | None, now: float | None = None) -> int:
    """The time step ``code`` is right for at ``now`` (seconds since 1970; by default the
    application's clock), or 0 when it is wrong or already used."""
    code = _normalise_code(code)
    if len(code) != 6 or not code.isdigit():
        return 0
    totp = pyotp.TOTP(secret)
    current = int((app_clock()() if now is None else now) // TOTP_STEP_SECONDS)
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        expected = totp.at(step * TOTP_STEP_SECONDS)
        if hmac.compare_digest(expected, code) and step > (after_step or 0):
            return step
    return 0


def check_app_code(user: User, code: str, now: float | None = None) -> bool:
    """Is ``code`` right for this person at ``now`` (by default the application's clock)?
    A code works once; using it commits with the request."""
    if not user.totp_secret:
        return False
    step = code_matches(user.totp_secret, code, user.totp_last_step, now)
    if not step:
        return False
    user.totp_last_step = step
    return True


# --- recovery codes -----------------------------------------------------------------------------


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(_normalise_code(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(raw[index : index + 4] for index in range(0, RECOVERY_CODE_LENGTH, 4))


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(code)) for code in codes
    )
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Use up one of the person's recovery codes; false if it is wrong or used.

    Commits with the request."""
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    record(AuditAction.RECOVERY_CODE_USED, subject_user_id=user.id, actor_id=user.id)
    return True


def recovery_codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


# --- turning it on and off ----------------------------------------------------------------------


def turn_on(user: User, secret: str) -> list[str]:
    """Turn two-step verification on with a secret the person's app has shown a right code for.

    Returns the new recovery codes: the only time they exist in plain text. Commits with the
    request.
    """
    user.totp_secret = secret
    user.two_step_enabled_at = utcnow()
    codes = _replace_recovery_codes(user)
    record(AuditAction.TWO_STEP_ENABLED, subject_user_id=user.id)
    return codes


def turn_off(user: User) -> None:
    """Turn two-step verification off and throw away the recovery codes; commits with the
    request."""
    user.totp_secret = None
    user.two_step_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(AuditAction.TWO_STEP_DISABLED, subject_user_id=user.id)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes (the old ones stop working). Commits with the request."""
    codes = _replace_recovery_codes(user)
    record(AuditAction.RECOVERY_CODES_REPLACED, subject_user_id=user.id)
    return codes
