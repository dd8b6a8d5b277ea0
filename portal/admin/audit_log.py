"""Reading the audit log: filtered, newest first, one page at a time, in a fixed number of
queries however many events a page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.admin.people import like_pattern
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.panels.models import Panel
from portal.templating import LONDON

EVENTS_PER_PAGE = 50


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    person: str = ""  # part of a name or email address: matches who acted or whom it was about
    start: date | None = None  # first day shown, in London time
    end: date | None = None  # last day shown, in London time


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    panel_names: dict[int, str]
    total: int
    page: int
    pages: int


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC)


def audit_page(criteria: AuditFilter, page: int = 1) -> AuditPage:
    """The events matching ``criteria``, newest first, with who acted, whom it was about, and
    the names of the panels they were in."""
    conditions = []
    if criteria.action:
        conditions.append(AuditEvent.action == criteria.action)
    if criteria.person.strip():
        pattern = like_pattern(criteria.person.strip().lower()[:200])
        matching = select(User.id).where(
            or_(
                func.lower(User.display_name).like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"),
            )
        )
        conditions.append(
            or_(AuditEvent.actor_id.in_(matching), AuditEvent.subject_user_id.in_(matching))
        )
    if criteria.start is not None:
        conditions.append(AuditEvent.occurred_at >= _start_of(criteria.start))
    if criteria.end is not None:
        conditions.append(AuditEvent.occurred_at < _start_of(criteria.end + timedelta(days=1)))

    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    pages = max(1, -(-total // EVENTS_PER_PAGE))
    page = min(max(1, page), pages)
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.subject_user))
            .where(*conditions)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(EVENTS_PER_PAGE)
            .offset((page - 1) * EVENTS_PER_PAGE)
        ).unique()
    )
    panel_ids = {event.panel_id for event in events if event.panel_id is not None}
    panel_names: dict[int, str] = {}
    if panel_ids:
        panel_names = dict(
            db.session.execute(select(Panel.id, Panel.name).where(Panel.id.in_(panel_ids))).all()  # type: ignore[arg-type]
        )
    return AuditPage(events=events, panel_names=panel_names, total=total, page=page, pages=pages)
