"""Money in whole pence, fees from rates, tax years and assessment periods."""

from __future__ import annotations

from datetime import date

import pytest

from portal.involvement.models import PaymentRule
from portal.involvement.money import AmountProblem, format_pence, parse_pence, plain_pounds
from portal.involvement.rates import fee_for
from portal.involvement.statements import assessment_period_start, tax_year_start


@pytest.mark.parametrize(
    ("typed", "pence"),
    [("£12.50", 1250), ("12.5", 1250), ("12", 1200), ("£1,200.05", 120005), (" 0.07 ", 7)],
)
def test_amounts_are_read_as_people_write_them(typed: str, pence: int) -> None:
    assert parse_pence(typed) == pence


@pytest.mark.parametrize("typed", ["-1", "£-1", "12.505", "twelve", "", "0", "5000.01", "1e3"])
def test_amounts_that_are_not_money_or_absurd_are_refused(typed: str) -> None:
    with pytest.raises(AmountProblem):
        parse_pence(typed)


def test_amounts_are_shown_with_pounds_and_pence() -> None:
    assert (format_pence(1250), format_pence(5), format_pence(123456)) == (
        "£12.50",
        "£0.05",
        "£1,234.56",
    )
    assert plain_pounds(1250) == "12.50" and plain_pounds(None) == "0.00"


def test_fees_come_from_the_rule_in_whole_pence() -> None:
    assert fee_for(PaymentRule.PER_HOUR, 1799, 20) == 600  # 599.67 rounds to 600
    assert fee_for(PaymentRule.PER_HALF_DAY, 7500, 241) == 15000  # just over half a day
    assert fee_for(PaymentRule.PER_DAY, 15000, 60) == 15000
    assert fee_for(PaymentRule.FIXED, 2000, 0) == 2000


def test_tax_years_start_on_6_april() -> None:
    assert tax_year_start(date(2026, 4, 5)) == date(2025, 4, 6)
    assert tax_year_start(date(2026, 4, 6)) == date(2026, 4, 6)


def test_assessment_periods_start_on_the_members_day() -> None:
    assert assessment_period_start(date(2026, 4, 13), 14) == date(2026, 3, 14)
    assert assessment_period_start(date(2026, 4, 14), 14) == date(2026, 4, 14)
    # A period that starts on the 31st starts on the last day of a shorter month.
    assert assessment_period_start(date(2026, 3, 1), 31) == date(2026, 2, 28)
    assert assessment_period_start(date(2026, 1, 5), 10) == date(2025, 12, 10)


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("1.5", 90),
        ("1:30", 90),
        ("0.25", 15),
        ("inf", None),
        ("nan", None),
        ("1:-5", None),
        ("25", None),
        ("0", None),
        ("an hour", None),
    ],
)
def test_hours_are_read_as_people_write_them(typed: str, minutes: int | None) -> None:
    from portal.involvement.fields import parse_hours

    assert parse_hours(typed) == minutes
