"""Reminders to the people a review round asks who have not sent their answers.

Each reminder is an outbox message whose key names the round and the person, so the outbox
itself says who was reminded when: nobody is reminded about the same round twice in 24 hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import and_, func, select

from portal.accounts.email_links import public_link
from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.notifications.service import queue_mail
from portal.panels.models import Membership
from portal.rounds.models import OmissionCheck, ReviewRound
from portal.rounds.results import asked

# Nobody is reminded about the same round twice in this long.
REMINDER_GAP = timedelta(hours=24)


def _reminder_prefix(review_round: ReviewRound) -> str:
    return f"round-reminder:{review_round.id}:"


def _reminder_keys(review_round: ReviewRound) -> Any:
    """The outbox's keys of this round's reminders, as a range the unique index on
    ``dedupe_key`` answers on both databases (a LIKE would read every message ever sent)."""
    prefix = _reminder_prefix(review_round)
    after_prefix = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(OutboxMessage.dedupe_key >= prefix, OutboxMessage.dedupe_key < after_prefix)


def last_reminder_at(review_round: ReviewRound) -> datetime | None:
    """When the last reminder about this round was queued, if ever."""
    return db.session.scalar(
        select(func.max(OutboxMessage.created_at)).where(_reminder_keys(review_round))
    )


def people_to_remind(review_round: ReviewRound, now: datetime) -> Sequence[Any]:
    """Everyone the round asks who has not sent their answers and has not been reminded about
    this round in the last 24 hours. Rows: ``id``, ``email``, ``display_name``, ``language``."""
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
        )
        .order_by(Membership.id)
    )
    return [row for row in rows if row.id not in recently_reminded]


def remind_non_responders(review_round: ReviewRound, now: datetime) -> int:
    """Queue one reminder to each person who has not sent their answers, in this transaction.

    Nobody is reminded about the same round twice within 24 hours, even if two people press
    the button at once (the outbox refuses a second message with the same key). Returns how
    many reminders were queued; they commit with the request.
    """
    version = review_round.version
    queued = 0
    for person in people_to_remind(review_round, now):
        locale = person.language or current_app.config["DEFAULT_LOCALE"]
        with force_locale(locale):
            subject = gettext(
                "Reminder: we would like your views on %(title)s", title=version.title
            )
        message = queue_mail(
            person.email,
            subject,
            "round_reminder",
            dedupe_key=f"{_reminder_prefix(review_round)}{person.id}:{now:%Y-%m-%d}",
            locale=locale,
            name=person.display_name,
            title=version.title,
            closes_at=review_round.closes_at,
            link=public_link("/"),
        )
        if message is not None:
            queued += 1
    return queued
