"""Involvement and payments: rates, entries, members' choices, expenses, batches, statements.

Every amount is whole pence (``int``), never a float. An entry keeps a copy of the rate that
applied when it was made, so a later change of rate never changes what someone was owed.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, utcnow
from portal.extensions import db
from portal.panels.models import enum_column

if TYPE_CHECKING:
    from portal.accounts.models import User


class ActivityKind(enum.StrEnum):
    MEETING = "meeting"
    REVIEW_ROUND = "review_round"
    QUESTIONNAIRE = "questionnaire"
    PREPARATION = "preparation"
    TRAINING = "training"
    EVENT = "event"
    OTHER = "other"
    EXPENSE = "expense"  # an approved expense claim; never has a rate


class PaymentRule(enum.StrEnum):
    PER_HOUR = "per_hour"
    PER_HALF_DAY = "per_half_day"
    PER_DAY = "per_day"
    FIXED = "fixed"


class Rate(db.Model):
    """What one kind of involvement pays in a panel from a date. A change is a new row: the
    old one is kept, and the one that applies on a day is the latest that took effect by then."""

    __table_args__ = (
        Index("ix_rate_panel_kind_from", "panel_id", "kind", "effective_from"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
        CheckConstraint("extra_pence >= 0", name="extra_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, "activity_kind"))
    rule: Mapped[PaymentRule] = mapped_column(enum_column(PaymentRule, "payment_rule"))
    amount_pence: Mapped[int]
    # A fixed extra each time, such as a contribution towards phone data for an online meeting.
    extra_pence: Mapped[int] = mapped_column(default=0)
    extra_label: Mapped[str] = mapped_column(String(200), default="")
    # How long it usually takes, for activities that have no time of their own (a review round).
    usual_minutes: Mapped[int] = mapped_column(default=60)
    source: Mapped[str] = mapped_column(String(300))
    source_date: Mapped[date]
    effective_from: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class PanelPaySettings(db.Model):
    """A panel's paying promise and the name of its own way of paying."""

    panel_id: Mapped[int] = mapped_column(
        ForeignKey("panel.id", ondelete="CASCADE"), primary_key=True
    )
    pay_within_weeks: Mapped[int] = mapped_column(default=4)
    other_way: Mapped[str] = mapped_column(String(200), default="")


class Choice(enum.StrEnum):
    PAID = "paid"
    REDUCED = "reduced"
    VOLUNTEER = "volunteer"


class PayMethod(enum.StrEnum):
    VOUCHER = "voucher"
    BANK_TRANSFER = "bank_transfer"
    OTHER = "other"


class PaymentChoice(TimestampMixin, db.Model):
    """A member's choice for one panel: paid, a reduced amount or volunteer, and how. Never a
    reason. Also the team's fees flag and the member's own limits for their statements."""

    __table_args__ = (UniqueConstraint("panel_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    choice: Mapped[Choice | None] = mapped_column(enum_column(Choice, "pay_choice"))
    reduced_percent: Mapped[int | None]
    method: Mapped[PayMethod | None] = mapped_column(enum_column(PayMethod, "pay_method"))
    # Set by the study team: a public-sector employee taking part in work time gets no fees.
    fees_not_eligible: Mapped[bool] = mapped_column(default=False)
    monthly_limit_pence: Mapped[int | None]
    # The day of the month a Universal Credit assessment period starts, when the member gives it.
    assessment_day: Mapped[int | None]


class EntryStatus(enum.StrEnum):
    WAITING = "waiting"  # for the study team's approval
    APPROVED = "approved"
    IN_BATCH = "in_batch"
    PAID = "paid"
    DECLINED = "declined"  # the member chose not to be paid for this one
    REMOVED = "removed"  # by the study team, with a reason


OWED_STATUSES = (EntryStatus.APPROVED, EntryStatus.IN_BATCH)


class InvolvementEntry(TimestampMixin, db.Model):
    """One thing a member took part in (or an approved expense), with its time and amounts."""

    __table_args__ = (
        Index("ix_involvement_entry_panel_status", "panel_id", "status", "activity_date"),
        Index("ix_involvement_entry_person", "user_id", "panel_id", "activity_date"),
        CheckConstraint("fee_pence >= 0", name="fee_not_negative"),
        CheckConstraint("expenses_pence >= 0", name="expenses_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, "activity_kind"))
    title: Mapped[str] = mapped_column(String(300))
    activity_date: Mapped[date]
    minutes: Mapped[int] = mapped_column(default=0)
    # The rate that applied, copied: a later change of rate never changes this entry.
    rate_id: Mapped[int | None] = mapped_column(ForeignKey("rate.id", ondelete="SET NULL"))
    rate_rule: Mapped[PaymentRule | None] = mapped_column(enum_column(PaymentRule, "payment_rule"))
    rate_amount_pence: Mapped[int] = mapped_column(default=0)
    # The fee the rate gives, before the member's choice; and what will be paid.
    full_fee_pence: Mapped[int] = mapped_column(default=0)
    fee_pence: Mapped[int] = mapped_column(default=0)
    expenses_pence: Mapped[int] = mapped_column(default=0)
    status: Mapped[EntryStatus] = mapped_column(
        enum_column(EntryStatus, "entry_status"), default=EntryStatus.WAITING
    )
    # Where it came from ("meeting:3:7"), so the same attendance never makes two entries.
    source_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    expense_id: Mapped[int | None] = mapped_column(
        ForeignKey("expense_claim.id", ondelete="SET NULL"), unique=True
    )
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment_batch.id", ondelete="SET NULL"), index=True
    )
    paid_on: Mapped[date | None]
    removed_reason: Mapped[str] = mapped_column(default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")

    @property
    def total_pence(self) -> int:
        return self.fee_pence + self.expenses_pence


class ExpenseKind(enum.StrEnum):
    TRAVEL = "travel"
    CARE = "care"
    OTHER = "other"


class ExpenseStatus(enum.StrEnum):
    CLAIMED = "claimed"  # waiting for the study team
    QUERIED = "queried"  # the team asked something
    APPROVED = "approved"  # now an entry, paid with the others


class ExpenseClaim(TimestampMixin, db.Model):
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ExpenseKind] = mapped_column(enum_column(ExpenseKind, "expense_kind"))
    amount_pence: Mapped[int]
    spent_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[ExpenseStatus] = mapped_column(
        enum_column(ExpenseStatus, "expense_status"), default=ExpenseStatus.CLAIMED
    )
    query: Mapped[str] = mapped_column(String(1000), default="")
    receipt_stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    receipt_name: Mapped[str] = mapped_column(String(255), default="")
    receipt_type: Mapped[str] = mapped_column(String(100), default="")

    user: Mapped[User] = relationship(lazy="raise")


class BatchStatus(enum.StrEnum):
    OPEN = "open"
    PAID = "paid"


class PaymentBatch(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    method: Mapped[PayMethod] = mapped_column(enum_column(PayMethod, "pay_method"))
    status: Mapped[BatchStatus] = mapped_column(
        enum_column(BatchStatus, "batch_status"), default=BatchStatus.OPEN
    )
    paid_on: Mapped[date | None]
    thank_you: Mapped[str] = mapped_column(default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    payments: Mapped[list[BatchPayment]] = relationship(
        back_populates="batch", order_by="BatchPayment.id", lazy="raise"
    )


class BatchPayment(db.Model):
    """One person's payment in a batch: the voucher code or transfer reference, never card
    numbers or bank details."""

    __table_args__ = (UniqueConstraint("batch_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batch.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(100), default="")
    total_pence: Mapped[int] = mapped_column(default=0)

    batch: Mapped[PaymentBatch] = relationship(back_populates="payments", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


class OrganisationDetails(db.Model):
    """Who the organisation is, for letters to a benefits adviser; one row, set by an
    administrator."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(1000), default="")
    about: Mapped[str] = mapped_column(String(2000), default="")
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_role: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
