"""A person's own account: their details, password, preferences and signed-in devices.

Every change here is made by the person themselves; it commits with the request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from portal.accounts.models import User, UserSession
from portal.accounts.passwords import hash_password, verify_password
from portal.accounts.sessions import end_sessions_of
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.languages import LANGUAGES  # noqa: F401  ("" means "whatever my browser asks for")

CONTACT_BY_EMAIL = "email"
CONTACT_BY_PHONE = "phone"
CONTACT_BY_TEXT = "text"
CONTACT_PREFERENCES = (CONTACT_BY_EMAIL, CONTACT_BY_PHONE, CONTACT_BY_TEXT)

# People who sign in with emailed links have no password to type again, so a sign-in this recent
# proves it is them instead.
RECENT_SIGN_IN_SECONDS = 15 * 60


def sign_in_is_recent(started_at: int) -> bool:
    """Was a sign-in at ``started_at`` (seconds since the epoch) within the last
    ``RECENT_SIGN_IN_SECONDS``?"""
    return time.time() - started_at <= RECENT_SIGN_IN_SECONDS


def proves_identity(user: User, password: str) -> bool:
    """Is ``password`` this person's current password? Always false for people without one."""
    if not user.password_hash:
        return False
    return verify_password(user.password_hash, password)


def change_name(user: User, display_name: str) -> None:
    """Set the name the person wants to be called by."""
    name = display_name.strip()
    if name == user.display_name:
        return
    user.display_name = name
    record(AuditAction.ACCOUNT_DETAILS_CHANGED, subject_user_id=user.id, detail="name")


def change_password(user: User, new_password: str, this_device: str | None) -> None:
    """Set a new password and end the person's sessions on every device but ``this_device``
    (the token hash of the session making the change)."""
    user.password_hash = hash_password(new_password)
    user.prefers_email_link = False
    end_sessions_of(user.id, keep=this_device)
    record(AuditAction.PASSWORD_CHANGED, subject_user_id=user.id)


def change_contact(user: User, preference: str, phone: str) -> None:
    """Set how the person would like to be contacted, and their phone number."""
    if preference not in CONTACT_PREFERENCES:
        raise ValueError(f"unknown contact preference {preference!r}")
    user.contact_preference = preference
    user.phone = phone.strip()
    record(AuditAction.ACCOUNT_DETAILS_CHANGED, subject_user_id=user.id, detail="contact")


def change_accessibility_needs(user: User, needs: str) -> None:
    """Set what the person has told us helps them take part. Not copied to the audit log."""
    user.accessibility_needs = needs.strip()
    record(AuditAction.ACCOUNT_DETAILS_CHANGED, subject_user_id=user.id, detail="accessibility")


def change_language(user: User, language: str) -> None:
    """Set the language the portal speaks to this person ("" follows their browser)."""
    if language and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    user.language = language
    record(AuditAction.ACCOUNT_DETAILS_CHANGED, subject_user_id=user.id, detail="language")


@dataclass(frozen=True)
class SignedInDevice:
    """One of a person's signed-in sessions, as the account page shows it."""

    id: int
    device: str
    client_address: str
    signed_in_at: datetime
    last_seen_at: datetime
    is_this_device: bool


def describe_device(user_agent: str) -> str:
    """A short, plain description of a browser, such as "Firefox on Windows"."""
    agent = user_agent.lower()
    browser = "A web browser"
    for marker, name in (
        ("edg/", "Microsoft Edge"),
        ("opr/", "Opera"),
        ("samsungbrowser", "Samsung Internet"),
        ("firefox/", "Firefox"),
        ("chrome/", "Chrome"),
        ("chromium/", "Chromium"),
        ("safari/", "Safari"),
    ):
        if marker in agent:
            browser = name
            break
    system = ""
    for marker, name in (
        ("iphone", "iPhone"),
        ("ipad", "iPad"),
        ("android", "Android"),
        ("windows", "Windows"),
        ("mac os", "Mac"),
        ("cros", "Chromebook"),
        ("linux", "Linux"),
    ):
        if marker in agent:
            system = name
            break
    return f"{browser} on {system}" if system else browser


def signed_in_devices(user: User, this_device: str | None) -> list[SignedInDevice]:
    """The person's sessions that have not ended, ``this_device`` (a session's token hash)
    first, then the most recently used."""
    sessions = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.id.desc())
    )
    devices = [
        SignedInDevice(
            id=row.id,
            device=describe_device(row.user_agent),
            client_address=row.client_address,
            signed_in_at=row.created_at,
            last_seen_at=row.last_seen_at or row.created_at,
            is_this_device=row.token_hash == this_device,
        )
        for row in sessions
    ]
    devices.sort(key=lambda device: (not device.is_this_device, -device.last_seen_at.timestamp()))
    return devices


def find_own_session(user: User, session_id: int) -> UserSession | None:
    """One of this person's sessions that has not ended; None for anyone else's."""
    return db.session.scalar(
        select(UserSession).where(
            UserSession.id == session_id,
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
        )
    )


def end_session(user: User, user_session: UserSession) -> None:
    """Sign one of the person's devices out; its cookie stops working at once."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == user_session.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    record(AuditAction.SESSION_ENDED, subject_user_id=user.id, detail="signed out one device")


def end_other_sessions(user: User, this_device: str | None) -> None:
    """Sign the person out everywhere except ``this_device`` (a session's token hash)."""
    end_sessions_of(user.id, keep=this_device)
    record(AuditAction.SESSION_ENDED, subject_user_id=user.id, detail="signed out other devices")
