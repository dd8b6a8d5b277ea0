"""People who can sign in, and their signed-in sessions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, utcnow
from portal.extensions import db

if TYPE_CHECKING:
    from portal.panels.models import Membership


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

    user: Mapped[User] = relationship(lazy="raise")
