"""Rates, entries, claims and batches for the involvement tests, made through the services."""

from __future__ import annotations

from datetime import date, timedelta

from portal.extensions import db
from portal.involvement import batches, entries, expenses, rates
from portal.involvement.entries import london_today
from portal.involvement.models import (
    ActivityKind,
    ExpenseKind,
    InvolvementEntry,
    PaymentBatch,
    PaymentRule,
    PayMethod,
)
from portal.panels.models import Panel

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20


def add_rate(
    panel: Panel,
    kind: ActivityKind = ActivityKind.MEETING,
    rule: PaymentRule = PaymentRule.PER_HOUR,
    amount_pence: int = 2500,
    extra_pence: int = 0,
    effective_from: date | None = None,
    staff_id: int | None = None,
    usual_minutes: int = 60,
) -> None:
    rates.add_rate(
        panel.id,
        rates.RateDetails(
            kind=kind,
            rule=rule,
            amount_pence=amount_pence,
            extra_pence=extra_pence,
            extra_label="Phone data" if extra_pence else "",
            usual_minutes=usual_minutes,
            source="NIHR payment guidance for public contributors",
            source_date=date(2026, 4, 1),
            effective_from=effective_from or date(2020, 1, 1),
        ),
        staff_id,
    )


def add_entry(
    panel: Panel,
    user_id: int,
    staff_id: int,
    title: str = "Preparation for the workshop",
    minutes: int = 90,
    kind: ActivityKind = ActivityKind.PREPARATION,
    day: date | None = None,
) -> InvolvementEntry:
    return entries.add_entry(
        panel.id,
        entries.EntryDetails(
            user_id=user_id,
            kind=kind,
            title=title,
            activity_date=day or london_today() - timedelta(days=3),
            minutes=minutes,
        ),
        staff_id,
    )


def approve(panel: Panel, entry_ids: list[int], staff_id: int) -> None:
    entries.approve_entries(panel.id, entry_ids, staff_id)


def paid_batch(
    panel: Panel, entry_ids: list[int], staff_id: int, paid_on: date | None = None
) -> PaymentBatch:
    """A voucher batch of these (approved) entries, with codes, marked paid."""
    batch = batches.create_batch(panel.id, PayMethod.VOUCHER, entry_ids, staff_id)
    db.session.flush()
    found = batches.get_batch(panel.id, batch.id)
    assert found is not None
    batches.save_batch(
        found, {p.user_id: f"VOUCHER-{p.user_id}" for p in found.payments}, "Thank you!"
    )
    batches.mark_paid(found, paid_on or london_today())
    return found


def claim(panel: Panel, user_id: int, amount_pence: int = 450, receipt: bool = True) -> int:
    found, _stored = expenses.claim_expense(
        panel.id,
        user_id,
        expenses.ClaimDetails(
            kind=ExpenseKind.TRAVEL,
            amount_pence=amount_pence,
            spent_on=london_today() - timedelta(days=2),
            note="Bus to the meeting",
        ),
        expenses.Receipt("ticket.pdf", PDF_BYTES) if receipt else None,
    )
    return found.id
