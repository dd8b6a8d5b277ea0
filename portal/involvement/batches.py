"""Paying: the owed list, payment batches with a voucher code or transfer reference per person,
marking a batch paid, and the thank-you email.

No entry is ever paid twice, even with two people paying at once: an entry joins a batch only
through one conditional UPDATE (``status = approved and batch_id is null``), and a batch is
marked paid only through another (``status = open``). The database's row locks make the second
of two racing requests find nothing left to take, and it is told so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.audit.service import AuditAction, record
from portal.extensions import db
from portal.involvement import mail
from portal.involvement.choices import choices_in
from portal.involvement.models import (
    BatchPayment,
    BatchStatus,
    EntryStatus,
    InvolvementEntry,
    PaymentBatch,
    PaymentChoice,
    PayMethod,
)
from portal.involvement.rates import pay_settings
from portal.involvement.statements import assessment_period_start
from portal.panels.models import Membership
from portal.panels.service import active_in_panel

REFERENCE_MAX_LENGTH = 100


class BatchProblem(ValueError):
    """The batch cannot be made or paid as asked (someone else got there first)."""


@dataclass
class OwedPerson:
    person: User
    code: str
    choice: PaymentChoice | None
    waiting: list[InvolvementEntry] = field(default_factory=list)
    approved: list[InvolvementEntry] = field(default_factory=list)
    paid_this_month_pence: int = 0

    @property
    def waiting_pence(self) -> int:
        return sum(entry.total_pence for entry in self.waiting)

    @property
    def approved_pence(self) -> int:
        return sum(entry.total_pence for entry in self.approved)

    @property
    def over_limit(self) -> bool:
        """Would paying what is approved and waiting take them over the monthly amount they
        want to stay under?"""
        limit = self.choice.monthly_limit_pence if self.choice else None
        if not limit:
            return False
        return self.paid_this_month_pence + self.approved_pence + self.waiting_pence > limit


@dataclass
class OwedList:
    people: list[OwedPerson]
    pay_within_weeks: int
    today: date

    @property
    def waiting_pence(self) -> int:
        return sum(person.waiting_pence for person in self.people)

    @property
    def approved_pence(self) -> int:
        return sum(person.approved_pence for person in self.people)

    def days_waited(self, entry: InvolvementEntry) -> int:
        return (self.today - entry.activity_date).days

    def overdue(self, entry: InvolvementEntry) -> bool:
        return self.days_waited(entry) > self.pay_within_weeks * 7


def owed_list(panel_id: int, today: date) -> OwedList:
    """Everyone with something waiting for approval or approved and not yet in a batch, with
    totals, how long each entry has waited, and whether paying would take them over their
    monthly amount. Four queries, whatever the number of people and entries."""
    entries = list(
        db.session.scalars(
            select(InvolvementEntry)
            .where(
                InvolvementEntry.panel_id == panel_id,
                InvolvementEntry.status.in_((EntryStatus.WAITING, EntryStatus.APPROVED)),
                # An approved entry with nothing to pay (a volunteer's) is not owed.
                (InvolvementEntry.status == EntryStatus.WAITING)
                | (InvolvementEntry.fee_pence + InvolvementEntry.expenses_pence > 0),
            )
            .order_by(InvolvementEntry.activity_date, InvolvementEntry.id)
        )
    )
    user_ids = sorted({entry.user_id for entry in entries})
    people = {
        user.id: (user, code)
        for user, code in db.session.execute(
            select(User, Membership.pseudonym_code)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.panel_id == panel_id, User.id.in_(user_ids))
        )
    }
    choices = choices_in(panel_id)
    # "This month" is the member's Universal Credit assessment period when they gave its day,
    # else the calendar month; either starts no more than 31 days ago.
    starts = {
        user_id: assessment_period_start(today, found.assessment_day)
        if found.assessment_day
        else today.replace(day=1)
        for user_id, found in choices.items()
    }
    paid: dict[int, int] = defaultdict(int)
    for user_id, fee, expenses, paid_on in db.session.execute(
        select(
            InvolvementEntry.user_id,
            InvolvementEntry.fee_pence,
            InvolvementEntry.expenses_pence,
            InvolvementEntry.paid_on,
        ).where(
            InvolvementEntry.panel_id == panel_id,
            InvolvementEntry.status == EntryStatus.PAID,
            InvolvementEntry.paid_on >= today - timedelta(days=31),
        )
    ):
        if paid_on >= starts.get(user_id, today.replace(day=1)):
            paid[user_id] += fee + expenses
    rows: dict[int, OwedPerson] = {}
    for entry in entries:
        if entry.user_id not in people:
            continue
        person, code = people[entry.user_id]
        row = rows.setdefault(
            entry.user_id,
            OwedPerson(person, code, choices.get(entry.user_id), [], [], paid[entry.user_id]),
        )
        (row.waiting if entry.status is EntryStatus.WAITING else row.approved).append(entry)
    ordered = sorted(rows.values(), key=lambda row: (row.person.display_name, row.person.id))
    return OwedList(ordered, pay_settings(panel_id).pay_within_weeks, today)


def create_batch(
    panel_id: int, method: PayMethod, entry_ids: list[int], staff_id: int
) -> PaymentBatch:
    """A batch of approved entries. Every entry must still be approved and in no batch: if
    another batch took one first, ``BatchProblem`` is raised and the caller rolls back."""
    wanted = sorted(set(entry_ids))
    if not wanted:
        raise BatchProblem("empty")
    batch = PaymentBatch(
        panel_id=panel_id, method=method, status=BatchStatus.OPEN, created_by_id=staff_id
    )
    db.session.add(batch)
    db.session.flush()
    taken = db.session.execute(
        update(InvolvementEntry)
        .where(
            InvolvementEntry.panel_id == panel_id,
            InvolvementEntry.id.in_(wanted),
            InvolvementEntry.status == EntryStatus.APPROVED,
            InvolvementEntry.batch_id.is_(None),
        )
        .values(status=EntryStatus.IN_BATCH, batch_id=batch.id)
        .execution_options(synchronize_session=False)
    )
    if (taken.rowcount or 0) != len(wanted):  # type: ignore[attr-defined]
        raise BatchProblem("taken")
    totals: dict[int, int] = defaultdict(int)
    for user_id, fee, expenses in db.session.execute(
        select(
            InvolvementEntry.user_id, InvolvementEntry.fee_pence, InvolvementEntry.expenses_pence
        ).where(InvolvementEntry.batch_id == batch.id)
    ):
        totals[user_id] += fee + expenses
    for user_id in sorted(totals):
        db.session.add(
            BatchPayment(batch_id=batch.id, user_id=user_id, total_pence=totals[user_id])
        )
    db.session.flush()
    record(
        AuditAction.PAYMENT_BATCH_CREATED,
        panel_id=panel_id,
        detail=f"batch {batch.id}: {len(wanted)} entries, {len(totals)} people",
    )
    return batch


def get_batch(panel_id: int, batch_id: int) -> PaymentBatch | None:
    """A batch with its payments and their people."""
    return db.session.scalar(
        select(PaymentBatch)
        .options(selectinload(PaymentBatch.payments).joinedload(BatchPayment.user))
        .where(PaymentBatch.panel_id == panel_id, PaymentBatch.id == batch_id)
    )


def batches_of(panel_id: int) -> list[PaymentBatch]:
    return list(
        db.session.scalars(
            select(PaymentBatch)
            .options(selectinload(PaymentBatch.payments))
            .where(PaymentBatch.panel_id == panel_id)
            .order_by(PaymentBatch.created_at.desc(), PaymentBatch.id.desc())
        )
    )


def batch_entries(batch: PaymentBatch) -> dict[int, list[InvolvementEntry]]:
    """The batch's entries by person."""
    grouped: dict[int, list[InvolvementEntry]] = defaultdict(list)
    for entry in db.session.scalars(
        select(InvolvementEntry)
        .where(InvolvementEntry.batch_id == batch.id)
        .order_by(InvolvementEntry.activity_date, InvolvementEntry.id)
    ):
        grouped[entry.user_id].append(entry)
    return grouped


# Card numbers (13 to 19 digits, spaces or dashes allowed), sort codes (12-34-56), account
# numbers (8 digits) and IBANs are never kept: a reference is a voucher code or our own
# transfer reference, not the means to pay.
_DIGIT_RUN = re.compile(r"(?:\d[ -]?){8,}")
_SORT_CODE = re.compile(r"\b\d{2}[- ]\d{2}[- ]\d{2}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9 ]{11,30}\b")


def looks_like_bank_or_card(reference: str) -> bool:
    """Does this look like a card number or bank details, which the portal must never hold?"""
    text = reference.strip().upper()
    if _SORT_CODE.search(text) or _IBAN.search(text.replace(" ", "")[:34] + " "):
        return True
    return any(len(re.sub(r"\D", "", run)) >= 8 for run in _DIGIT_RUN.findall(text))


def save_batch(batch: PaymentBatch, references: dict[int, str], thank_you: str) -> None:
    """Keep the per-person references and the thank-you wording of an open batch. The form
    has already refused card numbers and bank details; this refuses them again."""
    if batch.status is not BatchStatus.OPEN:
        raise BatchProblem("paid")
    for payment in batch.payments:
        reference = references.get(payment.user_id, payment.reference).strip()
        if looks_like_bank_or_card(reference):
            raise BatchProblem("bank details")
        payment.reference = reference[:REFERENCE_MAX_LENGTH]
    batch.thank_you = thank_you
    record(AuditAction.PAYMENT_BATCH_CHANGED, panel_id=batch.panel_id, detail=f"batch {batch.id}")


def mark_paid(batch: PaymentBatch, paid_on: date, *, send_thanks: bool = True) -> int:
    """Mark an open batch paid on a day: its entries are paid, and each person is thanked
    (unless ``send_thanks`` is False: the demo emails nobody). A batch already paid (by someone
    else a moment ago) raises ``BatchProblem``. Returns how many people were paid."""
    claimed = db.session.execute(
        update(PaymentBatch)
        .where(PaymentBatch.id == batch.id, PaymentBatch.status == BatchStatus.OPEN)
        .values(status=BatchStatus.PAID, paid_on=paid_on)
        .execution_options(synchronize_session=False)
    )
    if (claimed.rowcount or 0) != 1:  # type: ignore[attr-defined]
        raise BatchProblem("paid")
    batch.status = BatchStatus.PAID
    batch.paid_on = paid_on
    db.session.execute(
        update(InvolvementEntry)
        .where(
            InvolvementEntry.batch_id == batch.id,
            InvolvementEntry.status == EntryStatus.IN_BATCH,
        )
        .values(status=EntryStatus.PAID, paid_on=paid_on)
        .execution_options(synchronize_session=False)
    )
    grouped = batch_entries(batch) if send_thanks else {}
    for payment in batch.payments if send_thanks else []:
        mail.payment_thank_you(
            batch, payment.user, grouped.get(payment.user_id, []), payment.total_pence
        )
    record(
        AuditAction.PAYMENT_BATCH_PAID,
        panel_id=batch.panel_id,
        detail=f"batch {batch.id}: paid on {paid_on.isoformat()}",
    )
    return len(batch.payments)


def approved_for_method(panel_id: int, method: PayMethod) -> list[InvolvementEntry]:
    """Approved entries in no batch, of people who chose ``method`` (and, for vouchers, of
    people who have not chosen yet: vouchers are the panel's usual way). With their people."""
    choices = choices_in(panel_id)
    entries = db.session.scalars(
        select(InvolvementEntry)
        .options(joinedload(InvolvementEntry.user))
        .join(Membership, Membership.user_id == InvolvementEntry.user_id)
        .where(
            *active_in_panel(panel_id),
            InvolvementEntry.panel_id == panel_id,
            InvolvementEntry.status == EntryStatus.APPROVED,
            InvolvementEntry.batch_id.is_(None),
            InvolvementEntry.fee_pence + InvolvementEntry.expenses_pence > 0,
        )
        .order_by(InvolvementEntry.user_id, InvolvementEntry.activity_date)
    )

    def method_of(user_id: int) -> PayMethod:
        found = choices.get(user_id)
        return found.method if found and found.method else PayMethod.VOUCHER

    return [entry for entry in entries if method_of(entry.user_id) is method]


def forget_references(panel_id: int) -> None:
    """Blank every voucher code and transfer reference of the panel's batches: the retention
    job calls this when the involvement administration's period ends."""
    batch_ids = select(PaymentBatch.id).where(PaymentBatch.panel_id == panel_id)
    db.session.execute(
        update(BatchPayment)
        .where(BatchPayment.batch_id.in_(batch_ids))
        .values(reference="")
        .execution_options(synchronize_session=False)
    )
