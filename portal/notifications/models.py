"""The mail outbox: messages written in the same transaction as the change that caused them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import enum_column, utcnow
from portal.extensions import db


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """One email waiting for, or past, delivery by ``flask portal worker``.

    ``dedupe_key``, when set, is unique: queueing the same reminder twice stores it once.
    """

    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str]
    html_body: Mapped[str]
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus, "mail_status"), default=MailStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(String(300), default="")
    # One optional text attachment, such as a calendar invitation (.ics).
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment_body: Mapped[str | None]
