"""What the "Need support?" page shows beyond the organisation's contacts: each panel's own
people to turn to, and the crisis lines an administrator sets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from portal.audit.service import AuditAction, record
from portal.extensions import db
from portal.rights.models import CrisisLine, PanelContact, PanelContactRole


@dataclass(frozen=True)
class CrisisLineDetails:
    name: str
    how: str


# Shown until an administrator sets the crisis lines themselves.
DEFAULT_CRISIS_LINES: tuple[CrisisLineDetails, ...] = (
    CrisisLineDetails("NHS 111", "Call 111 and choose the option for mental health"),
    CrisisLineDetails("Samaritans", "Call 116 123, free, any time, day or night"),
    CrisisLineDetails("Shout", "Text SHOUT to 85258, free, any time"),
)


def crisis_lines() -> list[CrisisLineDetails]:
    """The crisis lines to show: the administrator's, or the defaults when none are set."""
    rows = db.session.scalars(select(CrisisLine).order_by(CrisisLine.position))
    lines = [CrisisLineDetails(row.name, row.how) for row in rows]
    return lines or list(DEFAULT_CRISIS_LINES)


def replace_crisis_lines(lines: Iterable[CrisisLineDetails]) -> None:
    """Make ``lines`` the crisis lines, in this order (none: the defaults show again)."""
    db.session.execute(delete(CrisisLine))
    for position, line in enumerate(lines):
        db.session.add(CrisisLine(name=line.name, how=line.how, position=position))
    record(AuditAction.SETTINGS_CHANGED, detail="crisis lines")


@dataclass(frozen=True)
class PanelContactDetails:
    role: PanelContactRole
    name: str
    phone: str = ""
    email: str = ""


def panel_contacts(panel_ids: Sequence[int]) -> dict[int, list[PanelContact]]:
    """Each panel's own support contacts (chair, researcher, peer worker). One query."""
    found: dict[int, list[PanelContact]] = {panel_id: [] for panel_id in panel_ids}
    if not panel_ids:
        return found
    order = {role: index for index, role in enumerate(PanelContactRole)}
    rows = db.session.scalars(
        select(PanelContact).where(PanelContact.panel_id.in_(list(panel_ids)))
    )
    for row in sorted(rows, key=lambda row: (order[row.role], row.id)):
        found[row.panel_id].append(row)
    return found


def replace_panel_contacts(panel_id: int, contacts: Iterable[PanelContactDetails]) -> None:
    """Make ``contacts`` the panel's own support contacts."""
    db.session.execute(delete(PanelContact).where(PanelContact.panel_id == panel_id))
    for contact in contacts:
        db.session.add(PanelContact(panel_id=panel_id, **contact.__dict__))
    record(AuditAction.PANEL_CONTACTS_CHANGED, panel_id=panel_id)
