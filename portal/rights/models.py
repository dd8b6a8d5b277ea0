"""Data rights and care: copies of a person's data, erasure requests, retention per panel,
requests to be contacted, the panel's own support contacts and the crisis lines."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import TimestampMixin, enum_column, utcnow
from portal.extensions import db
from portal.text import StoredHTML, keep_html


class ExportStatus(enum.StrEnum):
    WAITING = "waiting"  # the worker has not made it yet
    READY = "ready"  # made; the emailed link works once, until it expires
    DOWNLOADED = "downloaded"
    EXPIRED = "expired"


class DataExport(db.Model):
    """A copy of everything the portal holds about one person, made by the worker as a zip."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # An administrator answering a subject access request, or the person themselves.
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    status: Mapped[ExportStatus] = mapped_column(
        enum_column(ExportStatus, "data_export_status"), default=ExportStatus.WAITING
    )
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    downloaded_at: Mapped[datetime | None]
    # Only the hash of the emailed link's token is kept.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)


class ErasureStatus(enum.StrEnum):
    NEW = "new"
    DONE = "done"
    CLOSED = "closed"  # looked at, not erased (for example a duplicate)


class ErasureRequest(db.Model):
    """A person asked for their account to be erased; it waits in the administrators' inbox."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ErasureStatus] = mapped_column(
        enum_column(ErasureStatus, "erasure_status"), default=ErasureStatus.NEW
    )
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")


class ResearchAction(enum.StrEnum):
    PSEUDONYMISE = "pseudonymise"  # keep the words under panel codes, remove the people
    DELETE = "delete"  # remove the words too


class RetentionPolicy(TimestampMixin, db.Model):
    """How long a panel's data is kept after the panel is archived, in two parts kept apart."""

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), unique=True)
    # The research record: what members said for the study.
    research_months: Mapped[int] = mapped_column(default=120)
    research_action: Mapped[ResearchAction] = mapped_column(
        enum_column(ResearchAction, "research_action"), default=ResearchAction.PSEUDONYMISE
    )
    # The involvement administration: contact details, access notes, payment references.
    admin_months: Mapped[int] = mapped_column(default=12)
    research_warned_at: Mapped[datetime | None]
    research_done_at: Mapped[datetime | None]
    admin_warned_at: Mapped[datetime | None]
    admin_done_at: Mapped[datetime | None]


class ContactWay(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    TEXT = "text"
    ANY = "any"


class SupportStatus(enum.StrEnum):
    NEW = "new"
    IN_HAND = "in_hand"
    DONE = "done"


class SupportRequest(TimestampMixin, db.Model):
    """A member asked someone to contact them; the chair and the study team see it."""

    __table_args__ = (Index("ix_support_request_panel", "panel_id", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(default="")
    message_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    contact_way: Mapped[ContactWay] = mapped_column(
        enum_column(ContactWay, "contact_way"), default=ContactWay.ANY
    )
    status: Mapped[SupportStatus] = mapped_column(
        enum_column(SupportStatus, "support_status"), default=SupportStatus.NEW
    )
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")


keep_html(SupportRequest.message, SupportRequest.message_html)


class PanelContactRole(enum.StrEnum):
    CHAIR = "chair"
    RESEARCHER = "researcher"
    PEER_WORKER = "peer_worker"


class PanelContact(db.Model):
    """One of the panel's own people to turn to, shown on the "Need support?" page."""

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    role: Mapped[PanelContactRole] = mapped_column(
        enum_column(PanelContactRole, "panel_contact_role")
    )
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(320), default="")


class CrisisLine(db.Model):
    """A crisis line set by an administrator. With none set, the defaults in the service show."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    how: Mapped[str] = mapped_column(String(200))  # "Call 111", "Text SHOUT to 85258"
    position: Mapped[int] = mapped_column(default=0)
