"""Daily and weekly digests: one email holding everything a person chose to save up.

The worker runs ``send_due_digests`` on every pass. A person's digest is due once per period,
at ``PORTAL_DIGEST_HOUR`` UK time (weekly ones on the day the person chose). Claiming the waiting
items (a conditional update that gives them the digest's key) and queueing the email happen in
one transaction: a worker stopped half way leaves the items waiting for the next one, and an item
already claimed is never claimed again, so nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import groupby

from flask import Flask, current_app
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select, update

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import RULES, Delivery, kind_from
from portal.notifications.models import ContactSettings, DigestItem
from portal.notifications.preferences import may_reach
from portal.notifications.service import queue_mail
from portal.notifications.texts import LONDON
from portal.panels.models import Panel


@dataclass(frozen=True)
class Group:
    panel_name: str
    kind_name: str
    items: list[DigestItem]


def last_digest_time(now: datetime, hour: int, weekday: int | None = None) -> datetime:
    """The latest moment, at or before ``now``, when a digest was due (UK time ``hour``; on
    ``weekday``, Monday 0, for a weekly one)."""
    local = now.astimezone(LONDON)
    day = local.date()
    if local.hour < hour:
        day -= timedelta(days=1)
    if weekday is not None:
        day -= timedelta(days=(day.weekday() - weekday) % 7)
    return datetime.combine(day, time(hour), tzinfo=LONDON).astimezone(now.tzinfo)


def _waiting_people(period: Delivery) -> list[tuple[int, int]]:
    """(person, weekly day) for everyone with items waiting for a digest of ``period``."""
    rows = db.session.execute(
        select(DigestItem.user_id, ContactSettings.weekly_day)
        .outerjoin(ContactSettings, ContactSettings.user_id == DigestItem.user_id)
        .where(DigestItem.digest_key == "", DigestItem.period == period)
        .group_by(DigestItem.user_id, ContactSettings.weekly_day)
        .order_by(DigestItem.user_id)
    )
    return [(user_id, weekly_day or 0) for user_id, weekly_day in rows]


def send_due_digests(app: Flask) -> int:
    """Queue every digest due now; returns how many emails were queued."""
    with app.app_context():
        now = utcnow()
        hour = app.config["DIGEST_HOUR"]
        queued = 0
        daily_cut = last_digest_time(now, hour)
        people = _waiting_people(Delivery.DAILY)
        db.session.rollback()
        for user_id, _day in people:
            queued += send_digest(user_id, Delivery.DAILY, daily_cut)
        people = _waiting_people(Delivery.WEEKLY)
        db.session.rollback()
        for user_id, weekly_day in people:
            queued += send_digest(user_id, Delivery.WEEKLY, last_digest_time(now, hour, weekly_day))
        return queued


def digest_key(user_id: int, period: Delivery, cut: datetime) -> str:
    return f"digest:{period.value}:{cut.astimezone(LONDON).date().isoformat()}:{user_id}"


def send_digest(user_id: int, period: Delivery, cut: datetime) -> int:
    """Claim the person's items saved before ``cut`` and queue their digest, in one committed
    transaction; 1 if an email was queued, else 0 (nothing waiting, or all of it held back)."""
    key = digest_key(user_id, period, cut)
    claimed = db.session.execute(
        update(DigestItem)
        .where(
            DigestItem.user_id == user_id,
            DigestItem.period == period,
            DigestItem.digest_key == "",
            DigestItem.created_at < cut,
        )
        .values(digest_key=key)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        db.session.rollback()
        return 0
    person = db.session.get(User, user_id)
    items = list(
        db.session.scalars(
            select(DigestItem)
            .where(DigestItem.digest_key == key)
            .order_by(DigestItem.panel_id, DigestItem.kind, DigestItem.created_at, DigestItem.id)
        )
    )
    now = utcnow()
    shown = [
        item
        for item in items
        if person is not None
        and (kind := kind_from(item.kind)) is not None
        and may_reach(person, item.panel_id, kind, now)
    ]
    if person is None or not shown:
        db.session.commit()  # claimed, and held back for good: nothing to send
        return 0
    message = _queue(person, period, key, shown)
    db.session.commit()
    return 1 if message else 0


def _groups(items: Iterable[DigestItem]) -> list[Group]:
    panel_ids = {item.panel_id for item in items if item.panel_id is not None}
    names = {
        panel_id: name
        for panel_id, name in db.session.execute(
            select(Panel.id, Panel.name).where(Panel.id.in_(panel_ids))
        )
    }
    groups = []
    for (panel_id, kind), members in groupby(items, key=lambda i: (i.panel_id, i.kind)):
        found = kind_from(kind)
        groups.append(
            Group(
                panel_name=names.get(panel_id, "") if panel_id is not None else "",
                kind_name=str(RULES[found].name) if found else kind,
                items=list(members),
            )
        )
    return groups


def _queue(person: User, period: Delivery, key: str, items: list[DigestItem]) -> bool:
    from portal.notifications.tell import settings_link

    locale = person.language or current_app.config["DEFAULT_LOCALE"]
    with force_locale(locale):
        count = len(items)
        if period is Delivery.DAILY:
            subject = ngettext(
                "Your daily summary: %(num)d thing to look at",
                "Your daily summary: %(num)d things to look at",
                count,
            )
        else:
            subject = ngettext(
                "Your weekly summary: %(num)d thing to look at",
                "Your weekly summary: %(num)d things to look at",
                count,
            )
        why = gettext(
            "You get this summary because you chose to have some messages saved up and sent "
            "together."
        )
        groups = _groups(items)
    message = queue_mail(
        person.email,
        subject,
        "digest",
        dedupe_key=key,
        locale=locale,
        kind="digest",
        why=why,
        settings_link=settings_link(),
        name=person.display_name,
        groups=groups,
        weekly=period is Delivery.WEEKLY,
    )
    return message is not None


def waiting_items(user_id: int) -> list[DigestItem]:
    """Items saved for a person's next digests, oldest first."""
    return list(
        db.session.scalars(
            select(DigestItem)
            .where(DigestItem.user_id == user_id, DigestItem.digest_key == "")
            .order_by(DigestItem.created_at, DigestItem.id)
        )
    )
