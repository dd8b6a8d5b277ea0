"""The demo study's involvement: rates from the guidance (entered as a team would, marked as
demo figures), entries for the meetings attended and rounds sent, one voucher batch paid, and
one expense claim waiting."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.drafts.models import DraftVersion
from portal.extensions import db
from portal.involvement import batches, entries, expenses, rates, statements
from portal.involvement.models import (
    ActivityKind,
    EntryStatus,
    ExpenseClaim,
    ExpenseKind,
    InvolvementEntry,
    PaymentRule,
    PayMethod,
    Rate,
)
from portal.meetings.models import Attendance, Meeting
from portal.panels.models import Panel
from portal.rounds.models import OmissionCheck, ReviewRound

DEMO_SOURCE = "Demo figures: enter yours from the current NIHR payment guidance"

DEMO_RATES = (
    (ActivityKind.MEETING, PaymentRule.PER_HOUR, 2500, 500, "Phone data or Wi-Fi", 90),
    (ActivityKind.REVIEW_ROUND, PaymentRule.PER_HOUR, 2500, 0, "", 60),
    (ActivityKind.QUESTIONNAIRE, PaymentRule.PER_HOUR, 2500, 0, "", 30),
    (ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2500, 0, "", 60),
    (ActivityKind.EVENT, PaymentRule.PER_HALF_DAY, 7500, 0, "", 240),
)


def load_involvement_demo(panel: Panel, people: dict[str, User]) -> None:
    """Add the demo's involvement if it is not there yet."""
    if db.session.scalar(select(Rate.id).where(Rate.panel_id == panel.id).limit(1)):
        return
    researcher = people.get("researcher@demo.invalid")
    staff_id = researcher.id if researcher else None
    for kind, rule, amount, extra, label, minutes in DEMO_RATES:
        rates.add_rate(
            panel.id,
            rates.RateDetails(
                kind=kind,
                rule=rule,
                amount_pence=amount,
                extra_pence=extra,
                extra_label=label,
                usual_minutes=minutes,
                source=DEMO_SOURCE,
                source_date=date(2025, 4, 1),
                effective_from=date(2025, 4, 1),
            ),
            staff_id,
        )
    for meeting, attendance in db.session.execute(
        select(Meeting, Attendance)
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Meeting.panel_id == panel.id)
        .order_by(Meeting.starts_at, Attendance.id)
    ):
        entries.record_meeting_attendance(
            panel.id,
            meeting.id,
            meeting.title,
            meeting.starts_at,
            meeting.ends_at,
            {attendance.user_id: attendance.attended},
        )
    for round_id, title, user_id in db.session.execute(
        select(ReviewRound.id, DraftVersion.title, OmissionCheck.user_id)
        .join(DraftVersion, DraftVersion.id == ReviewRound.version_id)
        .join(OmissionCheck, OmissionCheck.round_id == ReviewRound.id)
        .where(ReviewRound.panel_id == panel.id, OmissionCheck.submitted_at.is_not(None))
    ):
        entries.record_round_check(panel.id, round_id, title, user_id)
    db.session.flush()
    _pay_the_older_ones(panel, staff_id)
    member = people.get("member1@demo.invalid")
    if member is not None and not db.session.scalar(select(ExpenseClaim.id).limit(1)):
        expenses.claim_expense(
            panel.id,
            member.id,
            expenses.ClaimDetails(
                kind=ExpenseKind.TRAVEL,
                amount_pence=640,
                spent_on=entries.london_today() - timedelta(days=5),
                note="Bus to the library to join the meeting",
            ),
            None,
        )
    if not statements.organisation().name:
        statements.save_organisation(
            "Demo Mental Health Research Unit",
            "1 Example Street\nCoventry\nCV1 0AA",
            "We run health research with NHS services. People with lived experience of mental "
            "health services help us decide what to study and how.",
            "Demo study manager",
            "Study manager",
        )


def _pay_the_older_ones(panel: Panel, staff_id: int | None) -> None:
    """Everything from more than six weeks ago is approved and paid by voucher in one batch."""
    cutoff = entries.london_today() - timedelta(weeks=6)
    older = list(
        db.session.scalars(
            select(InvolvementEntry.id).where(
                InvolvementEntry.panel_id == panel.id,
                InvolvementEntry.status == EntryStatus.WAITING,
                InvolvementEntry.activity_date < cutoff,
            )
        )
    )
    if not older or staff_id is None:
        return
    entries.approve_entries(panel.id, older, staff_id)
    batch = batches.create_batch(panel.id, PayMethod.VOUCHER, older, staff_id)
    db.session.flush()
    found = batches.get_batch(panel.id, batch.id)
    if found is None:
        return
    batches.save_batch(
        found,
        {payment.user_id: f"DEMO-VOUCHER-{payment.user_id:03d}" for payment in found.payments},
        "Thank you for being part of our panel. Your voucher code is in the portal and in "
        "the envelope we posted.",
    )
    batches.mark_paid(found, cutoff, send_thanks=False)
