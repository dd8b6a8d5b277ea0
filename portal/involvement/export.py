"""The panel-wide involvement spreadsheet for the finance office: every entry and each
person's totals, by panel code; names only when an administrator asks for them. Built like a
review round's results (``portal.rounds.export``): formula-safe cells and a data dictionary."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.involvement.models import EntryStatus, InvolvementEntry
from portal.involvement.money import plain_pounds
from portal.involvement.statements import hours
from portal.panels.models import Membership
from portal.spreadsheets import Sheet, workbook_bytes


def panel_entries(panel_id: int) -> list[tuple[InvolvementEntry, str, str]]:
    """Every entry of the panel that was not removed, with the person's code and name."""
    return [
        (entry, code, name)
        for entry, code, name in db.session.execute(
            select(InvolvementEntry, Membership.pseudonym_code, User.display_name)
            .join(
                Membership,
                (Membership.user_id == InvolvementEntry.user_id)
                & (Membership.panel_id == InvolvementEntry.panel_id),
            )
            .join(User, User.id == InvolvementEntry.user_id)
            .where(
                InvolvementEntry.panel_id == panel_id,
                InvolvementEntry.status != EntryStatus.REMOVED,
            )
            .order_by(
                Membership.pseudonym_code, InvolvementEntry.activity_date, InvolvementEntry.id
            )
        )
    ]


def involvement_sheets(panel_id: int, with_names: bool) -> list[Sheet]:
    rows = panel_entries(panel_id)
    person_columns: tuple[tuple[str, str], ...] = (
        ("participant", "The person's panel code, such as LEAP-07"),
    )
    if with_names:
        person_columns += (("name", "The person's name (asked for by an administrator)"),)

    def who(code: str, name: str) -> list[Any]:
        return [code, name] if with_names else [code]

    entry_rows = [
        [
            *who(code, name),
            entry.id,
            entry.activity_date.isoformat(),
            entry.kind.value,
            entry.title,
            hours(entry.minutes),
            plain_pounds(entry.fee_pence),
            plain_pounds(entry.expenses_pence),
            entry.status.value,
            entry.paid_on.isoformat() if entry.paid_on else "",
            entry.batch_id or "",
        ]
        for entry, code, name in rows
    ]
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for entry, code, name in rows:
        if entry.status is EntryStatus.DECLINED:
            continue
        row = totals[(code, name)]
        row[0] += entry.fee_pence
        row[1] += entry.expenses_pence
        if entry.status is EntryStatus.PAID:
            row[2] += entry.total_pence
        else:
            row[3] += entry.total_pence
    total_rows = [
        [*who(code, name), *(plain_pounds(value) for value in values)]
        for (code, name), values in sorted(totals.items())
    ]
    return [
        Sheet(
            "entries",
            "One row per thing a person took part in, or per approved expense claim",
            (
                *person_columns,
                ("entry", "The entry's number in the portal"),
                ("date", "The day of the activity (or of the expense)"),
                (
                    "kind",
                    "meeting, review_round, questionnaire, preparation, training, event, "
                    "other, or expense",
                ),
                ("activity", "What it was"),
                ("hours", "How long it took, in hours"),
                ("fee", "The fee in pounds, after the person's payment choice"),
                ("expenses", "Expenses and fixed extras in pounds"),
                (
                    "status",
                    "waiting, approved, in_batch, paid or declined (not paid, by "
                    "the person's choice)",
                ),
                ("paid_on", "The day it was paid (empty until then)"),
                ("batch", "The payment batch's number"),
            ),
            entry_rows,
        ),
        Sheet(
            "totals",
            "Each person's totals; declined entries are left out",
            (
                *person_columns,
                ("fees", "All fees in pounds"),
                ("expenses", "All expenses in pounds"),
                ("paid", "Fees and expenses already paid, in pounds"),
                ("not_yet_paid", "Fees and expenses waiting or approved, in pounds"),
            ),
            total_rows,
        ),
    ]


def involvement_workbook(panel_id: int, with_names: bool = False) -> bytes:
    """The XLSX file: ``entries``, ``totals`` and ``data_dictionary``."""
    return workbook_bytes(involvement_sheets(panel_id, with_names))
