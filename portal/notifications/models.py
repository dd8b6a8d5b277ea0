"""The outboxes of mail and text messages, written in the same transaction as the change that
caused them; each person's choices of how messages reach them; and items waiting for a digest."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import enum_column, utcnow
from portal.extensions import db
from portal.notifications.kinds import Delivery


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
    # The message's kind (``portal.notifications.kinds.Kind``); "" for a test message.
    kind: Mapped[str] = mapped_column(String(40), default="")
    # The signed one-click unsubscribe address (RFC 8058), for optional kinds only.
    unsubscribe_url: Mapped[str | None] = mapped_column(String(600))


class TextStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"  # Notify has it
    DELIVERED = "delivered"  # Notify's callback says the phone has it
    FAILED = "failed"
    HELD = "held"  # by its time to go, it could no longer reach the person (``may_reach``)


class TextMessage(db.Model):
    """One text message waiting for, or past, delivery through GOV.UK Notify by the worker.

    ``reference`` goes to Notify with the message, so a worker that stopped mid-send can ask
    Notify whether the message arrived there before sending it again.
    """

    __table_args__ = (Index("ix_text_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    panel_id: Mapped[int | None] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    to_number: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(500), default="")
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[TextStatus] = mapped_column(
        enum_column(TextStatus, "text_status"), default=TextStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    notify_id: Mapped[str | None] = mapped_column(String(64), index=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")


class ContactSettings(db.Model):
    """How a person's messages reach them, beyond their choice per kind: one row per person."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    mobile: Mapped[str] = mapped_column(String(16), default="")  # E.164, +447...
    mobile_failed_at: Mapped[datetime | None]
    weekly_day: Mapped[int] = mapped_column(default=0)  # Monday
    quiet_from: Mapped[int] = mapped_column(default=21)  # hour, UK time
    quiet_until: Mapped[int] = mapped_column(default=8)


class NotificationChoice(db.Model):
    """A person's own choice for one kind of message, in every panel they belong to."""

    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery, "delivery"))
    by_text: Mapped[bool] = mapped_column(default=False)


class PanelDefault(db.Model):
    """The study team's default for one kind in their panel, for those who have not chosen."""

    __table_args__ = (UniqueConstraint("panel_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery, "delivery"))
    by_text: Mapped[bool] = mapped_column(default=False)


class DigestItem(db.Model):
    """One message waiting for a person's daily or weekly digest.

    ``digest_key`` is empty until a worker claims the item for a digest; claiming the items and
    queueing the digest email happen in one transaction, so an item is in one digest only.
    """

    __table_args__ = (Index("ix_digest_item_waiting", "digest_key", "period", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    panel_id: Mapped[int | None] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[Delivery] = mapped_column(enum_column(Delivery, "delivery"))
    title: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(500), default="")
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    digest_key: Mapped[str] = mapped_column(String(100), default="")
