"""Agreements a panel asks its members to make, their versions, and the ledger of decisions.

A published ``AgreementVersion`` never changes and the ``AgreementRecord`` ledger is only ever
added to: both are refused by the ORM below if anything tries to change or remove them, so an
ethics committee can rely on what the portal shows. ``ConsentState`` is a summary kept beside
the ledger (each person's latest decision about each agreement) so pages that show quote
consent read one row, not the whole history.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, enum_column, utcnow
from portal.extensions import db
from portal.text import StoredHTML, keep_html


class AgreementKind(enum.StrEnum):
    ROLE = "role"  # the role agreement
    QUOTE = "quote"  # consent to quote what I say, never with my name
    RECORDING = "recording"  # consent to be recorded or filmed
    NAMING = "naming"  # consent to be named in a publication or acknowledgement
    OTHER = "other"


class Decision(enum.StrEnum):
    AGREED = "agreed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class GivenHow(enum.StrEnum):
    ONLINE = "online"  # the member chose on the portal
    PAPER = "paper"  # on a paper form, recorded by staff
    SPOKEN = "spoken"  # aloud, recorded by staff with a witness


class Agreement(TimestampMixin, db.Model):
    """A document a panel asks its members to agree to, such as the role agreement."""

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AgreementKind] = mapped_column(enum_column(AgreementKind, "agreement_kind"))
    title: Mapped[str] = mapped_column(String(200))
    # Required agreements are asked at the next sign-in; optional ones can be declined.
    required: Mapped[bool] = mapped_column(default=False)
    # What happens if a member withdraws, in plain words ("quotes already published cannot be
    # recalled"), shown before they confirm.
    withdrawal_note: Mapped[str] = mapped_column(default="")

    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", order_by="AgreementVersion.number", lazy="raise"
    )


class AgreementVersion(TimestampMixin, db.Model):
    """One wording of an agreement. Changeable until published; after that, never."""

    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    summary: Mapped[str] = mapped_column(default="")
    body: Mapped[str] = mapped_column(default="")
    summary_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    body_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    published_at: Mapped[datetime | None]

    agreement: Mapped[Agreement] = relationship(back_populates="versions", lazy="raise")


class AgreementRecord(db.Model):
    """One decision in the ledger: who agreed, declined or withdrew, to which version, when, how,
    and exactly what they were shown (its hash and a PDF copy). Never changed or removed."""

    __table_args__ = (
        Index("ix_agreement_record_person", "user_id", "agreement_id", "id"),
        Index("ix_agreement_record_panel", "panel_id", "agreement_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_version.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, "agreement_decision"))
    given_how: Mapped[GivenHow] = mapped_column(enum_column(GivenHow, "agreement_given_how"))
    # For paper or spoken consent: who witnessed it and when it was given.
    witness: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # SHA-256 of the summary and text shown, and a PDF of the page as the member saw it.
    text_hash: Mapped[str] = mapped_column(String(64))
    pdf_copy: Mapped[bytes] = mapped_column(LargeBinary)

    version: Mapped[AgreementVersion] = relationship(lazy="raise")


class ConsentState(db.Model):
    """Each person's latest decision about each agreement: a summary of the ledger."""

    __table_args__ = (
        UniqueConstraint("agreement_id", "user_id"),
        Index("ix_consent_state_quote", "panel_id", "user_id", "kind", "agreed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AgreementKind] = mapped_column(enum_column(AgreementKind, "agreement_kind"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_version.id", ondelete="CASCADE"), index=True
    )
    agreed: Mapped[bool]
    record_id: Mapped[int] = mapped_column(ForeignKey("agreement_record.id", ondelete="CASCADE"))
    decided_at: Mapped[datetime]


keep_html(AgreementVersion.summary, AgreementVersion.summary_html)
keep_html(AgreementVersion.body, AgreementVersion.body_html)


class LedgerIsAppendOnly(RuntimeError):
    """Something tried to change or remove a decision in the ledger, or a published version."""


@event.listens_for(AgreementRecord, "before_update")
@event.listens_for(AgreementRecord, "before_delete")
def _refuse_ledger_change(mapper: Any, connection: Any, record: AgreementRecord) -> None:
    raise LedgerIsAppendOnly("the agreement ledger is only ever added to")


@event.listens_for(AgreementVersion, "before_update")
def _refuse_published_change(mapper: Any, connection: Any, version: AgreementVersion) -> None:
    history = inspect(version).attrs.published_at.history
    was_published = (history.deleted and history.deleted[0] is not None) or (
        not history.has_changes() and version.published_at is not None
    )
    if was_published:
        raise LedgerIsAppendOnly("a published version never changes")


@event.listens_for(AgreementVersion, "before_delete")
def _refuse_published_delete(mapper: Any, connection: Any, version: AgreementVersion) -> None:
    if version.published_at is not None:
        raise LedgerIsAppendOnly("a published version is never removed")
