"""Rates per panel and kind of involvement, each with the date it takes effect, and the panel's
paying settings. Figures are what the study team enters from the current NIHR payment guidance
for public contributors: none are written into the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.audit.service import AuditAction, record
from portal.extensions import db
from portal.involvement.models import ActivityKind, PanelPaySettings, PaymentRule, Rate
from portal.involvement.money import format_pence

# A half day is up to 4 hours and a day up to 8: longer counts as more half days or days.
HALF_DAY_MINUTES = 4 * 60
DAY_MINUTES = 8 * 60

RATED_KINDS = tuple(kind for kind in ActivityKind if kind is not ActivityKind.EXPENSE)


@dataclass(frozen=True)
class RateDetails:
    kind: ActivityKind
    rule: PaymentRule
    amount_pence: int
    extra_pence: int
    extra_label: str
    usual_minutes: int
    source: str
    source_date: date
    effective_from: date


def add_rate(panel_id: int, details: RateDetails, user_id: int | None) -> Rate:
    """Record a rate (a new one or a change): earlier rates are kept, and entries already made
    keep the rate they were made with."""
    rate = Rate(panel_id=panel_id, created_by_id=user_id, **details.__dict__)
    db.session.add(rate)
    db.session.flush()
    record(
        AuditAction.INVOLVEMENT_RATE_SET,
        panel_id=panel_id,
        detail=f"{details.kind.value}: {details.rule.value} {format_pence(details.amount_pence)}"
        f" from {details.effective_from.isoformat()}",
    )
    return rate


def rate_history(panel_id: int) -> list[Rate]:
    """Every rate of the panel, by kind, newest first within a kind."""
    return list(
        db.session.scalars(
            select(Rate)
            .where(Rate.panel_id == panel_id)
            .order_by(Rate.kind, Rate.effective_from.desc(), Rate.id.desc())
        )
    )


def current_rates(panel_id: int, today: date) -> dict[ActivityKind, Rate]:
    """The rate of each kind that applies today (kinds with none are left out). One query."""
    found: dict[ActivityKind, Rate] = {}
    for rate in rate_history(panel_id):
        if rate.effective_from <= today and rate.kind not in found:
            found[rate.kind] = rate
    return found


def rate_on(panel_id: int, kind: ActivityKind, day: date) -> Rate | None:
    """The rate that applied to ``kind`` on ``day``: the latest that took effect by then."""
    return db.session.scalar(
        select(Rate)
        .where(Rate.panel_id == panel_id, Rate.kind == kind, Rate.effective_from <= day)
        .order_by(Rate.effective_from.desc(), Rate.id.desc())
        .limit(1)
    )


def fee_for(rule: PaymentRule, amount_pence: int, minutes: int) -> int:
    """The fee a rule gives for this much time, in whole pence (half a penny rounds up)."""
    if rule is PaymentRule.FIXED:
        return amount_pence
    if minutes <= 0:
        return 0
    if rule is PaymentRule.PER_HOUR:
        return (amount_pence * minutes + 30) // 60
    block = HALF_DAY_MINUTES if rule is PaymentRule.PER_HALF_DAY else DAY_MINUTES
    return amount_pence * -(-minutes // block)


def pay_settings(panel_id: int) -> PanelPaySettings:
    """The panel's paying settings (the defaults until the team changes them)."""
    settings = db.session.get(PanelPaySettings, panel_id)
    if settings is None:
        settings = PanelPaySettings(panel_id=panel_id, pay_within_weeks=4, other_way="")
    return settings


def save_pay_settings(panel_id: int, pay_within_weeks: int, other_way: str) -> None:
    settings = db.session.get(PanelPaySettings, panel_id)
    if settings is None:
        settings = PanelPaySettings(panel_id=panel_id)
        db.session.add(settings)
    settings.pay_within_weeks = pay_within_weeks
    settings.other_way = other_way
    record(
        AuditAction.INVOLVEMENT_SETTINGS_CHANGED,
        panel_id=panel_id,
        detail=f"paid within {pay_within_weeks} weeks",
    )
