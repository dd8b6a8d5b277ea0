"""Expense claims: travel or care costs with an optional receipt, approved or queried by the team.

A receipt is checked by its content, as meeting papers are (``portal.meetings.paper_files``):
only a PDF, JPEG or PNG whose name says what it really is. An approved claim becomes an
involvement entry of expenses only, paid with everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.audit.service import AuditAction, record
from portal.extensions import db
from portal.involvement import mail
from portal.involvement.models import (
    ActivityKind,
    EntryStatus,
    ExpenseClaim,
    ExpenseKind,
    ExpenseStatus,
    InvolvementEntry,
)
from portal.meetings import paper_files
from portal.text import translated

RECEIPT_KINDS = (paper_files.PDF, paper_files.JPEG, paper_files.PNG)


class ReceiptProblem(ValueError):
    """A receipt we cannot accept; the message is shown next to the file field."""


class ExpenseProblem(ValueError):
    """The claim has moved on (already approved); shown to the person."""


@dataclass(frozen=True)
class Receipt:
    filename: str
    data: bytes


@dataclass(frozen=True)
class ClaimDetails:
    kind: ExpenseKind
    amount_pence: int
    spent_on: date
    note: str


def check_receipt(receipt: Receipt) -> paper_files.FileKind:
    """The kind of file the receipt really is, or ``ReceiptProblem`` saying why not."""
    limit_mb = current_app.config["PAPERS_MAX_MB"]
    if len(receipt.data) > limit_mb * 1024 * 1024:
        raise ReceiptProblem(translated("The file must be smaller than %(size)s MB", size=limit_mb))
    if not receipt.data:
        raise ReceiptProblem(str(_l("The file is empty. Choose another file")))
    kind = paper_files.detect_kind(receipt.data)
    if kind is None or kind not in RECEIPT_KINDS:
        raise ReceiptProblem(
            str(_l("The receipt must be a PDF, JPEG or PNG file. Choose another file"))
        )
    if paper_files.extension_of(receipt.filename) not in kind.extensions:
        raise ReceiptProblem(
            translated(
                "The file's name does not match what is in it: it is a %(kind)s. "
                "Check you chose the right file",
                kind=kind.name,
            )
        )
    return kind


def claim_expense(
    panel_id: int, user_id: int, details: ClaimDetails, receipt: Receipt | None
) -> tuple[ExpenseClaim, str | None]:
    """A member's claim. Returns it and the stored receipt's name (to discard if the request
    fails before it commits)."""
    claim = ExpenseClaim(
        panel_id=panel_id,
        user_id=user_id,
        kind=details.kind,
        amount_pence=details.amount_pence,
        spent_on=details.spent_on,
        note=details.note,
        status=ExpenseStatus.CLAIMED,
    )
    stored = None
    if receipt is not None:
        kind = check_receipt(receipt)
        stored = paper_files.store(receipt.data)
        claim.receipt_stored_name = stored
        claim.receipt_name = paper_files.download_name(receipt.filename, kind.extensions[0])
        claim.receipt_type = kind.content_type
    db.session.add(claim)
    db.session.flush()
    record(
        AuditAction.EXPENSE_CLAIMED,
        panel_id=panel_id,
        subject_user_id=user_id,
        detail=f"expense {claim.id}",
    )
    return claim, stored


def get_claim(panel_id: int, claim_id: int) -> ExpenseClaim | None:
    return db.session.scalar(
        select(ExpenseClaim)
        .options(joinedload(ExpenseClaim.user))
        .where(ExpenseClaim.panel_id == panel_id, ExpenseClaim.id == claim_id)
    )


def claims_of(panel_id: int, user_id: int) -> list[ExpenseClaim]:
    return list(
        db.session.scalars(
            select(ExpenseClaim)
            .where(ExpenseClaim.panel_id == panel_id, ExpenseClaim.user_id == user_id)
            .order_by(ExpenseClaim.spent_on.desc(), ExpenseClaim.id.desc())
        )
    )


def open_claims(panel_id: int) -> list[ExpenseClaim]:
    """Claims waiting for the team or queried, each with its person. One query."""
    return list(
        db.session.scalars(
            select(ExpenseClaim)
            .options(joinedload(ExpenseClaim.user))
            .where(
                ExpenseClaim.panel_id == panel_id,
                ExpenseClaim.status != ExpenseStatus.APPROVED,
            )
            .order_by(ExpenseClaim.created_at, ExpenseClaim.id)
        )
    )


KIND_TITLES = {
    ExpenseKind.TRAVEL: "Travel costs",
    ExpenseKind.CARE: "Care costs",
    ExpenseKind.OTHER: "Other costs",
}


def approve_claim(claim: ExpenseClaim, staff_id: int) -> InvolvementEntry:
    """Approve a claim: it becomes an approved entry of expenses, ready for a batch."""
    if claim.status is ExpenseStatus.APPROVED:
        raise ExpenseProblem("approved")
    from portal.db import utcnow

    claim.status = ExpenseStatus.APPROVED
    entry = InvolvementEntry(
        panel_id=claim.panel_id,
        user_id=claim.user_id,
        kind=ActivityKind.EXPENSE,
        title=KIND_TITLES[claim.kind],
        activity_date=claim.spent_on,
        minutes=0,
        full_fee_pence=0,
        fee_pence=0,
        expenses_pence=claim.amount_pence,
        status=EntryStatus.APPROVED,
        expense_id=claim.id,
        approved_at=utcnow(),
        approved_by_id=staff_id,
        source_key=f"expense:{claim.id}",
    )
    db.session.add(entry)
    db.session.flush()
    record(
        AuditAction.EXPENSE_APPROVED,
        panel_id=claim.panel_id,
        subject_user_id=claim.user_id,
        detail=f"expense {claim.id}",
    )
    return entry


def query_claim(claim: ExpenseClaim, question: str) -> None:
    """Ask the member about a claim; they see the question and are emailed."""
    if claim.status is ExpenseStatus.APPROVED:
        raise ExpenseProblem("approved")
    claim.status = ExpenseStatus.QUERIED
    claim.query = question
    record(
        AuditAction.EXPENSE_QUERIED,
        panel_id=claim.panel_id,
        subject_user_id=claim.user_id,
        detail=f"expense {claim.id}",
    )
    mail.expense_queried(claim)
