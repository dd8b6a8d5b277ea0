"""The mail outbox as the mail tests read and fill it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import MailStatus, OutboxMessage
from portal.notifications.service import queue_mail
from portal.notifications.worker import RunSummary

NOTHING_DONE = RunSummary()


@dataclass(frozen=True)
class Row:
    """What the outbox holds for one message, read in a finished transaction."""

    id: int
    to_address: str
    subject: str
    status: MailStatus
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str


def outbox() -> list[Row]:
    """Every outbox row. The read transaction is ended, so workers in other sessions can write."""
    rows = [
        Row(
            id=m.id,
            to_address=m.to_address,
            subject=m.subject,
            status=m.status,
            attempts=m.attempts,
            next_attempt_at=m.next_attempt_at,
            sent_at=m.sent_at,
            last_error=m.last_error,
        )
        for m in db.session.scalars(
            select(OutboxMessage)
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    ]
    db.session.rollback()
    return rows


def queue(number: int = 1, **kwargs: object) -> None:
    queue_mail(f"person{number}@example.org", f"Message {number}", "test_message", **kwargs)


def make_everything_due() -> None:
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
