"""Statements of involvement: every activity in a date range with hours and amounts, fees and
expenses apart, and what was paid per tax year (from 6 April) and per month, or per Universal
Credit assessment period from the day the member gives. The same numbers make the PDF, the CSV,
the letter for a benefits adviser and the team's spreadsheet."""

from __future__ import annotations

import calendar
import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext

from portal.accounts.models import User
from portal.dates import format_date
from portal.extensions import db
from portal.involvement.choices import choice_of
from portal.involvement.entries import entries_of
from portal.involvement.models import (
    EntryStatus,
    InvolvementEntry,
    OrganisationDetails,
    PaymentChoice,
)
from portal.involvement.money import plain_pounds
from portal.panels.models import Panel


def tax_year_start(day: date) -> date:
    """The 6 April on or before ``day``: the UK tax year it falls in starts then."""
    start = date(day.year, 4, 6)
    return start if day >= start else date(day.year - 1, 4, 6)


def _on_day_of(year: int, month: int, wanted: int) -> date:
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def assessment_period_start(day: date, start_day: int) -> date:
    """The first day of the Universal Credit assessment period holding ``day``, for periods
    that start on ``start_day`` of each month (the last day of a shorter month)."""
    this_month = _on_day_of(day.year, day.month, start_day)
    if day >= this_month:
        return this_month
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return _on_day_of(year, month, start_day)


def next_period_start(start: date, start_day: int) -> date:
    year, month = (start.year, start.month + 1) if start.month < 12 else (start.year + 1, 1)
    return _on_day_of(year, month, start_day)


@dataclass(frozen=True)
class PeriodTotal:
    label: str
    start: date
    pence: int


@dataclass
class Statement:
    person: User
    panel: Panel
    organisation: OrganisationDetails
    start: date
    end: date
    entries: list[InvolvementEntry]
    choice: PaymentChoice | None

    @property
    def counted(self) -> list[InvolvementEntry]:
        """Entries whose money counts: declined ones are listed but owe nothing."""
        return [entry for entry in self.entries if entry.status is not EntryStatus.DECLINED]

    @property
    def fees_pence(self) -> int:
        return sum(entry.fee_pence for entry in self.counted)

    @property
    def expenses_pence(self) -> int:
        return sum(entry.expenses_pence for entry in self.counted)

    @property
    def paid(self) -> list[InvolvementEntry]:
        return [entry for entry in self.entries if entry.status is EntryStatus.PAID]

    @property
    def paid_pence(self) -> int:
        return sum(entry.total_pence for entry in self.paid)

    @property
    def minutes(self) -> int:
        return sum(entry.minutes for entry in self.entries)

    def tax_years(self) -> list[PeriodTotal]:
        totals: dict[date, int] = defaultdict(int)
        for entry in self.paid:
            totals[tax_year_start(entry.paid_on or entry.activity_date)] += entry.total_pence
        return [
            PeriodTotal(
                gettext(
                    "6 April %(start)s to 5 April %(end)s", start=start.year, end=start.year + 1
                ),
                start,
                pence,
            )
            for start, pence in sorted(totals.items())
        ]

    @property
    def assessment_day(self) -> int | None:
        return self.choice.assessment_day if self.choice else None

    def periods(self) -> list[PeriodTotal]:
        """Paid per calendar month, or per assessment period when the member gave its day."""
        totals: dict[date, int] = defaultdict(int)
        day = self.assessment_day
        for entry in self.paid:
            paid_on = entry.paid_on or entry.activity_date
            start = assessment_period_start(paid_on, day) if day else paid_on.replace(day=1)
            totals[start] += entry.total_pence
        found = []
        for start, pence in sorted(totals.items()):
            if day:
                end = next_period_start(start, day) - timedelta(days=1)
                label = gettext(
                    "%(start)s to %(end)s",
                    start=format_date(start, "d MMMM yyyy"),
                    end=format_date(end, "d MMMM yyyy"),
                )
            else:
                label = format_date(start, "MMMM yyyy")
            found.append(PeriodTotal(label, start, pence))
        return found


def organisation() -> OrganisationDetails:
    found = db.session.get(OrganisationDetails, 1)
    return found if found is not None else OrganisationDetails(id=1)


def save_organisation(
    name: str, address: str, about: str, signer_name: str, signer_role: str
) -> None:
    """An administrator sets who the organisation is, for letters to a benefits adviser."""
    from portal.audit.service import AuditAction, record

    found = db.session.get(OrganisationDetails, 1)
    if found is None:
        found = OrganisationDetails(id=1)
        db.session.add(found)
    found.name, found.address, found.about = name, address, about
    found.signer_name, found.signer_role = signer_name, signer_role
    record(AuditAction.ORGANISATION_DETAILS_CHANGED)


def statement_for(panel: Panel, person: User, start: date, end: date) -> Statement:
    """A person's statement for a panel between two days (both included)."""
    entries = sorted(
        entries_of(panel.id, person.id, start, end),
        key=lambda entry: (entry.activity_date, entry.id),
    )
    return Statement(
        person=person,
        panel=panel,
        organisation=organisation(),
        start=start,
        end=end,
        entries=entries,
        choice=choice_of(panel.id, person.id),
    )


def hours(minutes: int) -> str:
    """ "1.5" for 90 minutes: hours as a spreadsheet reads them."""
    whole, rest = divmod(minutes, 60)
    return f"{whole}" if not rest else f"{minutes / 60:.2f}".rstrip("0")


def statement_csv(statement: Statement, status_labels: dict[EntryStatus, str]) -> bytes:
    """The statement as a CSV file: one row per activity, then the totals."""
    from portal.spreadsheets import safe_cell

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([gettext("Statement of involvement"), statement.person.display_name])
    writer.writerow([gettext("Organisation"), statement.organisation.name or statement.panel.name])
    writer.writerow(
        [gettext("From"), statement.start.isoformat(), gettext("To"), statement.end.isoformat()]
    )
    writer.writerow([])
    writer.writerow(["date", "activity", "hours", "fee", "expenses", "status", "paid_on"])
    for entry in statement.entries:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    entry.activity_date.isoformat(),
                    entry.title,
                    hours(entry.minutes),
                    plain_pounds(entry.fee_pence),
                    plain_pounds(entry.expenses_pence),
                    status_labels[entry.status],
                    entry.paid_on.isoformat() if entry.paid_on else "",
                )
            ]
        )
    writer.writerow([])
    writer.writerow(["total_fees", plain_pounds(statement.fees_pence)])
    writer.writerow(["total_expenses", plain_pounds(statement.expenses_pence)])
    writer.writerow(["total_paid", plain_pounds(statement.paid_pence)])
    for total in statement.tax_years():
        writer.writerow(["paid_in_tax_year", safe_cell(total.label), plain_pounds(total.pence)])
    period_name = "paid_in_assessment_period" if statement.assessment_day else "paid_in_month"
    for total in statement.periods():
        writer.writerow([period_name, safe_cell(total.label), plain_pounds(total.pence)])
    return text.getvalue().encode("utf-8-sig")
