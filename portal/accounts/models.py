"""People who can sign in, their signed-in sessions, invitations and emailed links."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, enum_column, utcnow
from portal.extensions import db
from portal.panels.roles import Role

if TYPE_CHECKING:
    from portal.panels.models import Membership, Panel


class User(UserMixin, TimestampMixin, db.Model):
    """A person with an account.

    ``email`` is stored lower-cased, so it is unique whatever the case it was typed in.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    prefers_email_link: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str] = mapped_column(String(40), default="")
    contact_preference: Mapped[str] = mapped_column(String(20), default="email")
    accessibility_needs: Mapped[str] = mapped_column(default="")
    language: Mapped[str] = mapped_column(String(12), default="")
    is_active_account: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Which privacy notice the person agreed to, and when (set when they accept an invitation).
    privacy_notice_version: Mapped[str] = mapped_column(String(32), default="")
    privacy_notice_agreed_at: Mapped[datetime | None]
    # Two-step verification: the authenticator app's shared secret, set only while it is on, and
    # the last 30-second step a code was accepted for, so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    two_step_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", lazy="raise")

    @property
    def is_active(self) -> bool:  # read by Flask-Login
        return self.is_active_account


class UserSession(db.Model):
    """One signed-in browser. Ending it makes its cookie useless, even if replayed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    client_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    # Saved now and then (see sessions.py), not on every request.
    last_seen_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="raise")


class Invitation(db.Model):
    """An invitation to join a panel in a role, sent to an email address.

    Only a hash of the link's token is kept. An invitation is open until it is accepted, revoked
    (re-inviting the same address revokes the older one) or past ``expires_at``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    panel: Mapped[Panel] = relationship(lazy="raise")
    invited_by: Mapped[User | None] = relationship(lazy="raise")

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class EmailTokenPurpose(enum.StrEnum):
    """What an emailed one-time link is for."""

    SIGN_IN = "sign_in"
    PASSWORD_RESET = "password_reset"  # noqa: S105  (a purpose, not a password)
    EMAIL_CHANGE = "email_change"


class EmailToken(db.Model):
    """A one-time link sent by email. Only the hash of its token is kept.

    It works once (``used_at``) and only until ``expires_at``. ``new_email`` holds the address an
    email change link confirms.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[EmailTokenPurpose] = mapped_column(
        enum_column(EmailTokenPurpose, "email_token_purpose")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    new_email: Mapped[str | None] = mapped_column(String(320))

    user: Mapped[User] = relationship(lazy="raise")


class LinkRequest(db.Model):
    """Someone asked for a sign-in or password reset link for ``email``.

    The request only writes this row, whether or not the address has an account, so it takes
    the same time either way; the worker decides whether to send a link, then deletes the row.
    ``email`` is normalised. ``next_path`` is where a sign-in link leads afterwards.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[EmailTokenPurpose] = mapped_column(
        enum_column(EmailTokenPurpose, "link_request_purpose")
    )
    email: Mapped[str] = mapped_column(String(320))
    next_path: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app. Only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class AccountSettings(TimestampMixin, db.Model):
    """Organisation-wide rules for accounts that an administrator sets. One row at most."""

    id: Mapped[int] = mapped_column(primary_key=True)
    require_two_step_for_staff: Mapped[bool] = mapped_column(default=False)


class SingleSignOnIdentity(db.Model):
    """An account at the organisation's identity provider, linked to a portal account."""

    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
