"""What the home page shows about involvement, in a fixed number of queries."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from portal.extensions import db
from portal.involvement.models import (
    EntryStatus,
    ExpenseClaim,
    ExpenseStatus,
    InvolvementEntry,
    PaymentChoice,
)
from portal.panels.models import Membership, Role


# The home page's queries, built once with their values bound when they run: on a page asked for
# this often, building a statement costs more than running it (README: "What keeps pages fast").
@cache
def _newest() -> Select[Any]:
    return (
        select(InvolvementEntry)
        .where(
            InvolvementEntry.user_id == bindparam("user_id"),
            InvolvementEntry.panel_id.in_(bindparam("taking_part", expanding=True)),
            InvolvementEntry.status != EntryStatus.REMOVED,
        )
        .order_by(InvolvementEntry.activity_date.desc(), InvolvementEntry.id.desc())
        .limit(3)
    )


@cache
def _chosen() -> Select[Any]:
    return select(PaymentChoice.panel_id).where(
        PaymentChoice.user_id == bindparam("user_id"),
        PaymentChoice.panel_id.in_(bindparam("taking_part", expanding=True)),
        PaymentChoice.choice.is_not(None),
    )


@cache
def _queried() -> Select[Any]:
    return select(ExpenseClaim).where(
        ExpenseClaim.user_id == bindparam("user_id"),
        ExpenseClaim.panel_id.in_(bindparam("taking_part", expanding=True)),
        ExpenseClaim.status == ExpenseStatus.QUERIED,
    )


@cache
def _waiting_entries() -> Select[Any]:
    return (
        select(InvolvementEntry.panel_id, InvolvementEntry.status, func.count())
        .where(
            InvolvementEntry.panel_id.in_(bindparam("team", expanding=True)),
            InvolvementEntry.status.in_((EntryStatus.WAITING, EntryStatus.APPROVED)),
        )
        .group_by(InvolvementEntry.panel_id, InvolvementEntry.status)
    )


@cache
def _waiting_claims() -> Select[Any]:
    return (
        select(ExpenseClaim.panel_id, func.count())
        .where(
            ExpenseClaim.panel_id.in_(bindparam("team", expanding=True)),
            ExpenseClaim.status == ExpenseStatus.CLAIMED,
        )
        .group_by(ExpenseClaim.panel_id)
    )


def home_involvement(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """For members and the chair: their newest entries, panels where they have not chosen how
    to be paid, and queried expense claims. For researchers: per panel, how many entries wait
    for approval and for payment, and how many expense claims wait. At most four queries."""
    panels = {membership.panel_id: membership.panel for membership in memberships}
    taking_part = [m.panel_id for m in memberships if m.role in (Role.MEMBER, Role.CHAIR)]
    team = [m.panel_id for m in memberships if m.role is Role.RESEARCHER]
    section: dict[str, Any] = {
        "panels": panels,
        "newest": [],
        "to_choose": [],
        "queried": [],
        "team": [],
    }
    if taking_part:
        mine = {"user_id": user_id, "taking_part": taking_part}
        section["newest"] = list(db.session.scalars(_newest(), mine))
        chosen = set(db.session.scalars(_chosen(), mine))
        section["to_choose"] = [panel_id for panel_id in taking_part if panel_id not in chosen]
        section["queried"] = list(db.session.scalars(_queried(), mine))
    if team:
        counts: dict[int, dict[str, int]] = {
            panel_id: {"waiting": 0, "approved": 0, "claims": 0} for panel_id in team
        }
        for panel_id, status, count in db.session.execute(_waiting_entries(), {"team": team}):
            counts[panel_id][status.value] = count
        for panel_id, count in db.session.execute(_waiting_claims(), {"team": team}):
            counts[panel_id]["claims"] = count
        section["team"] = [
            (panel_id, found) for panel_id, found in counts.items() if any(found.values())
        ]
    return section
