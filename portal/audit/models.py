"""The audit log: who did what, when and from where.

It never holds passwords, tokens or anything a member wrote.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db


class AuditEvent(db.Model):
    __table_args__ = (Index("ix_audit_event_occurred_at", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(64), index=True)
    # Who acted; empty for failed sign-ins by unknown addresses and for the system itself.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    # Whom or what it was done to, in words an administrator can read ("user 12", "panel 3").
    subject_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    panel_id: Mapped[int | None] = mapped_column(ForeignKey("panel.id", ondelete="SET NULL"))
    client_address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="raise")
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id], lazy="raise")
