"""Reminders to the people a review round asks who have not sent their answers.

Each reminder is an outbox message whose key names the round and the person, so the outbox
itself says who was reminded when: nobody is reminded about the same round twice in 24 hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale, gettext
from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.orm import joinedload

from portal.accounts.email_links import public_link
from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import Kind
from portal.notifications.models import OutboxMessage
from portal.notifications.tell import tell
from portal.panels.models import Membership
from portal.panels.service import not_paused_now
from portal.rounds.models import OmissionCheck, ReviewRound
from portal.rounds.results import asked
from portal.templating import london_time

# Nobody is reminded about the same round twice in this long.
REMINDER_GAP = timedelta(hours=24)
# The worker reminds those who have not answered when this little time is left.
DAY_BEFORE = timedelta(days=1)


def _reminder_prefix(review_round: ReviewRound) -> str:
    return f"round-reminder:{review_round.id}:"


def _reminder_range(review_round: ReviewRound) -> dict[str, str]:
    """The outbox's keys of this round's reminders, as a range the unique index on
    ``dedupe_key`` answers on both databases (a LIKE would read every message ever sent):
    from ``first_key`` up to, not including, ``after_keys``."""
    prefix = _reminder_prefix(review_round)
    return {"first_key": prefix, "after_keys": prefix[:-1] + chr(ord(prefix[-1]) + 1)}


def _reminder_keys(review_round: ReviewRound) -> Any:
    keys = _reminder_range(review_round)
    return and_(
        OutboxMessage.dedupe_key >= keys["first_key"],
        OutboxMessage.dedupe_key < keys["after_keys"],
    )


@cache
def _last_reminder_query() -> Select[Any]:
    return select(func.max(OutboxMessage.created_at)).where(
        OutboxMessage.dedupe_key >= bindparam("first_key"),
        OutboxMessage.dedupe_key < bindparam("after_keys"),
    )


def last_reminder_at(review_round: ReviewRound) -> datetime | None:
    """When the last reminder about this round was queued, if ever (on the results page: its
    query is built once)."""
    return db.session.scalar(_last_reminder_query(), _reminder_range(review_round))


def people_to_remind(review_round: ReviewRound, now: datetime) -> Sequence[Any]:
    """Everyone the round asks who has not sent their answers, has not been reminded about this
    round in the last 24 hours and has not paused their involvement. Rows: ``id``, ``email``,
    ``display_name``, ``language``."""
    prefix = _reminder_prefix(review_round)
    recent_keys = db.session.scalars(
        select(OutboxMessage.dedupe_key).where(
            _reminder_keys(review_round),
            OutboxMessage.created_at > now - REMINDER_GAP,
        )
    )
    recently_reminded = {int(key[len(prefix) :].split(":")[0]) for key in recent_keys if key}
    rows = db.session.execute(
        select(User.id, User.email, User.display_name, User.language)
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            OmissionCheck,
            and_(
                OmissionCheck.user_id == Membership.user_id,
                OmissionCheck.round_id == review_round.id,
            ),
        )
        .where(
            *asked(review_round),
            User.is_active_account.is_(True),
            OmissionCheck.submitted_at.is_(None),
            not_paused_now(now),
        )
        .order_by(Membership.id)
    )
    return [row for row in rows if row.id not in recently_reminded]


def remind_non_responders(
    review_round: ReviewRound, now: datetime, occasion: str | None = None
) -> int:
    """Queue one reminder to each person who has not sent their answers, in this transaction.

    Nobody is reminded about the same round twice within 24 hours, even if two people press
    the button at once (the outbox refuses a second message with the same key). Returns how
    many reminders were queued; they commit with the request. An ``occasion`` (such as
    "day-before") makes the reminder once only for that occasion, whatever the channel.
    """
    version = review_round.version
    queued = 0
    when = occasion or f"{now:%Y-%m-%d}"
    ids = [row.id for row in people_to_remind(review_round, now)]
    people = (
        db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)) if ids else []
    )
    for person in people:
        locale = person.language or current_app.config["DEFAULT_LOCALE"]
        with force_locale(locale):
            subject = gettext(
                "Reminder: we would like your views on %(title)s", title=version.title
            )
            text = gettext(
                "A reminder: there is still time to send your answers, until %(date)s.",
                date=london_time(review_round.closes_at),
            )
        told = tell(
            person,
            Kind.DEADLINE_REMINDER,
            subject=subject,
            template="round_reminder",
            link=public_link("/"),
            panel_id=review_round.panel_id,
            dedupe_key=f"{_reminder_prefix(review_round)}{person.id}:{when}",
            text=text,
            name=person.display_name,
            title=version.title,
            closes_at=review_round.closes_at,
        )
        if told:
            queued += 1
    return queued


def remind_before_deadlines(app: Flask) -> int:
    """The worker's job: the day before a round closes, remind those who have not answered.

    It is the same reminder the study team can send by hand, so whoever was reminded in the last
    24 hours (by the team or by an earlier pass) is not reminded again. Returns how many were
    queued; each round's reminders commit together.
    """
    queued = 0
    with app.app_context():
        now = utcnow()
        rounds = list(
            db.session.scalars(
                select(ReviewRound)
                .where(
                    ReviewRound.closed_early_at.is_(None),
                    ReviewRound.closes_at > now,
                    ReviewRound.closes_at <= now + DAY_BEFORE,
                )
                .options(joinedload(ReviewRound.version))
                .order_by(ReviewRound.closes_at)
            )
        )
        for review_round in rounds:
            queued += remind_non_responders(review_round, now, occasion="day-before")
            db.session.commit()
    return queued
