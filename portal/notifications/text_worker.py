"""The text worker: claims due texts from their outbox and hands them to GOV.UK Notify.

A text is claimed in its own short transaction with a lease, like an email, and Notify is called
with no transaction open. Each text carries its own ``reference``; a worker that finds a text
whose lease ran out (its worker stopped mid-send) first asks Notify whether a message with that
reference already arrived there, and only sends it again if not: a text is never sent twice.
Without ``PORTAL_NOTIFY_API_KEY`` texts are written to the log instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from sqlalchemy import or_, select

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import kind_from
from portal.notifications.models import TextMessage, TextStatus
from portal.notifications.preferences import may_reach
from portal.notifications.texts import mark_number_failed
from portal.notifications.worker import RunSummary

log = logging.getLogger("portal.worker")

NOTIFY_TIMEOUT_SECONDS = 20
LEASE = timedelta(seconds=NOTIFY_TIMEOUT_SECONDS * 2 + 30)
MAX_BACKOFF = timedelta(hours=6)


class NoTemplate(RuntimeError):
    """No Notify template is set for this kind of text (nor a default one)."""


def sms_templates(setting: str) -> dict[str, str]:
    """``kind=template-id`` pairs from ``PORTAL_NOTIFY_SMS_TEMPLATES``, separated by commas."""
    templates = {}
    for part in setting.split(","):
        kind, _, template_id = part.partition("=")
        if kind.strip() and template_id.strip():
            templates[kind.strip()] = template_id.strip()
    return templates


class NotifyTransport:
    """Hands texts to GOV.UK Notify, or to the log when no API key is set."""

    def __init__(self, app: Flask) -> None:
        self.key = app.config["NOTIFY_API_KEY"]
        self.templates = sms_templates(app.config["NOTIFY_SMS_TEMPLATES"])
        self.client: NotificationsAPIClient | None = None
        if self.key:
            self.client = NotificationsAPIClient(
                self.key,
                base_url=app.config["NOTIFY_BASE_URL"],
                timeout=NOTIFY_TIMEOUT_SECONDS,
            )

    def send(self, text: TextMessage) -> str | None:
        """Send one text; Notify's id for it (None when only logged)."""
        if self.client is None:
            log.info(
                "text not sent (no Notify API key set) to %s: %s %s",
                text.to_number,
                text.body,
                text.link,
            )
            return None
        template_id = self.templates.get(text.kind) or self.templates.get("default")
        if not template_id:
            raise NoTemplate(text.kind)
        response: dict[str, Any] = self.client.send_sms_notification(
            phone_number=text.to_number,
            template_id=template_id,
            personalisation={"message": text.body, "link": text.link},
            reference=text.reference,
        )
        return str(response.get("id", ""))

    def already_sent(self, reference: str) -> str | None:
        """Notify's id for a text with ``reference``, if it has one."""
        if self.client is None:
            return None
        found = self.client.get_all_notifications(template_type="sms", reference=reference)
        notifications = found.get("notifications") or []
        return str(notifications[0].get("id", "")) if notifications else None


def is_permanent(error: Exception) -> bool:
    """Whether trying again cannot help: Notify refused the text itself (400, 403)."""
    if isinstance(error, NoTemplate):
        return True
    if isinstance(error, APIError):
        return error.status_code in (400, 403)
    return False


def _bad_number(error: Exception) -> bool:
    if not isinstance(error, APIError) or error.status_code != 400:
        return False
    return "phone" in str(error.message).lower()


@dataclass(frozen=True)
class _Claim:
    id: int
    attempts: int
    after_lease: bool  # its last worker stopped mid-send


def _claim_next(app: Flask, skip: set[int]) -> _Claim | None:
    now = utcnow()
    query = (
        select(TextMessage)
        .where(
            or_(
                (TextMessage.status == TextStatus.PENDING) & (TextMessage.next_attempt_at <= now),
                (TextMessage.status == TextStatus.SENDING) & (TextMessage.locked_until < now),
            )
        )
        .order_by(TextMessage.next_attempt_at, TextMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if skip:
        query = query.where(TextMessage.id.not_in(skip))
    text = db.session.scalar(query)
    if text is None:
        db.session.rollback()
        return None
    claim = _Claim(
        id=text.id, attempts=text.attempts + 1, after_lease=text.status is TextStatus.SENDING
    )
    text.status = TextStatus.SENDING
    text.attempts += 1
    text.locked_until = now + LEASE
    db.session.commit()
    return claim


def _backoff(app: Flask, attempts: int) -> timedelta:
    first = timedelta(seconds=app.config["MAIL_RETRY_SECONDS"])
    return min(first * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


def deliver_due_texts(
    app: Flask, transport: NotifyTransport | None = None, limit: int = 100
) -> RunSummary:
    """Send up to ``limit`` due texts; each outcome is committed as soon as it is known."""
    transport = transport or NotifyTransport(app)
    sent = retried = failed = 0
    tried: set[int] = set()
    for _ in range(limit):
        claim = _claim_next(app, tried)
        if claim is None:
            break
        tried.add(claim.id)
        text = db.session.get_one(TextMessage, claim.id)
        if not _may_still_reach(text):
            text.status = TextStatus.HELD
            text.locked_until = None
            db.session.commit()
            continue
        notify_id: str | None = None
        outcome: Exception | None = None
        try:
            if claim.after_lease:
                notify_id = transport.already_sent(text.reference)
            if notify_id is None:
                notify_id = transport.send(text)
        except Exception as error:
            outcome = error
        db.session.rollback()  # nothing was written meanwhile; read the row afresh
        text = db.session.get_one(TextMessage, claim.id)
        text.locked_until = None
        if outcome is None:
            text.status = TextStatus.SENT
            text.sent_at = utcnow()
            text.notify_id = notify_id or None
            text.last_error = ""
            sent += 1
        elif is_permanent(outcome) or claim.attempts >= app.config["MAIL_MAX_ATTEMPTS"]:
            text.status = TextStatus.FAILED
            text.last_error = _error_words(outcome)
            if _bad_number(outcome):
                mark_number_failed(text)
            failed += 1
            log.error("text %s not sent (%s); giving up", claim.id, text.last_error)
        else:
            text.status = TextStatus.PENDING
            text.last_error = _error_words(outcome)
            text.next_attempt_at = utcnow() + _backoff(app, claim.attempts)
            retried += 1
            log.warning("text %s not sent (%s); will retry", claim.id, text.last_error)
        db.session.commit()
    return RunSummary(sent=sent, retried=retried, failed=failed)


def _may_still_reach(text: TextMessage) -> bool:
    """A text waits for quiet hours to end; by then the person may have closed their account
    (or paused): the same rule as when it was queued decides, again, before it goes."""
    kind = kind_from(text.kind)
    if text.user_id is None or kind is None:
        return False
    person = db.session.get(User, text.user_id)
    return person is not None and may_reach(person, text.panel_id, kind, utcnow())


def _error_words(error: Exception) -> str:
    if isinstance(error, APIError):
        return f"Notify {error.status_code}"[:300]
    return type(error).__name__[:300]
