"""Members' payment choices: paid, a reduced amount or volunteer, and how to be paid.

Nothing here ever asks for, or stores, a reason. A change applies at once to everything not yet
in a payment batch; what has been paid stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.audit.service import AuditAction, record
from portal.extensions import db
from portal.involvement.models import (
    Choice,
    EntryStatus,
    InvolvementEntry,
    PaymentChoice,
    PayMethod,
)

REDUCED_PERCENTS = (25, 50, 75)
UNPAID_STATUSES = (EntryStatus.WAITING, EntryStatus.APPROVED)


@dataclass(frozen=True)
class ChoiceDetails:
    choice: Choice
    reduced_percent: int | None
    method: PayMethod | None
    monthly_limit_pence: int | None
    assessment_day: int | None


def choice_of(panel_id: int, user_id: int) -> PaymentChoice | None:
    return db.session.scalar(
        select(PaymentChoice).where(
            PaymentChoice.panel_id == panel_id, PaymentChoice.user_id == user_id
        )
    )


def choices_in(panel_id: int) -> dict[int, PaymentChoice]:
    """Every member's choice in a panel, by person. One query."""
    return {
        found.user_id: found
        for found in db.session.scalars(
            select(PaymentChoice).where(PaymentChoice.panel_id == panel_id)
        )
    }


def _choice_row(panel_id: int, user_id: int) -> PaymentChoice:
    found = choice_of(panel_id, user_id)
    if found is None:
        found = PaymentChoice(panel_id=panel_id, user_id=user_id, fees_not_eligible=False)
        db.session.add(found)
    return found


def payable_fee(full_fee_pence: int, choice: PaymentChoice | None) -> int:
    """What is paid of a fee, after the member's choice and the team's fees flag."""
    if choice is None:
        return full_fee_pence
    if choice.fees_not_eligible or choice.choice is Choice.VOLUNTEER:
        return 0
    if choice.choice is Choice.REDUCED and choice.reduced_percent:
        return full_fee_pence * choice.reduced_percent // 100
    return full_fee_pence


def _apply_to_unpaid(choice: PaymentChoice) -> None:
    for entry in db.session.scalars(
        select(InvolvementEntry).where(
            InvolvementEntry.panel_id == choice.panel_id,
            InvolvementEntry.user_id == choice.user_id,
            InvolvementEntry.status.in_(UNPAID_STATUSES),
        )
    ):
        entry.fee_pence = payable_fee(entry.full_fee_pence, choice)


def save_choice(panel_id: int, user_id: int, details: ChoiceDetails) -> PaymentChoice:
    """Keep a member's choice; every payment not yet in a batch follows it."""
    found = _choice_row(panel_id, user_id)
    found.choice = details.choice
    found.reduced_percent = details.reduced_percent if details.choice is Choice.REDUCED else None
    found.method = None if details.choice is Choice.VOLUNTEER else details.method
    found.monthly_limit_pence = details.monthly_limit_pence
    found.assessment_day = details.assessment_day
    db.session.flush()
    _apply_to_unpaid(found)
    record(
        AuditAction.INVOLVEMENT_CHOICE_CHANGED,
        panel_id=panel_id,
        subject_user_id=user_id,
        detail=f"choice: {details.choice.value}",
    )
    return found


def set_fees_eligibility(panel_id: int, user_id: int, not_eligible: bool) -> None:
    """The study team marks a member as not eligible for fees (expenses still apply)."""
    found = _choice_row(panel_id, user_id)
    found.fees_not_eligible = not_eligible
    db.session.flush()
    _apply_to_unpaid(found)
    record(
        AuditAction.INVOLVEMENT_FEES_ELIGIBILITY,
        panel_id=panel_id,
        subject_user_id=user_id,
        detail="not eligible for fees" if not_eligible else "eligible for fees",
    )
