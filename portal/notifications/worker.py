"""The mail worker: claims due messages from the outbox and delivers them over SMTP.

Several workers may run at once, on one host or many. A message is claimed in its own short
transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write transactions begin
IMMEDIATE, which serialises claims) and marked ``sending`` with a lease, so no other worker
takes it. A worker that dies mid-send leaves the lease to run out, and the message is tried again.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask
from sqlalchemy import or_, select

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import MailStatus, OutboxMessage

log = logging.getLogger("portal.worker")

LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)
# Errors that will not get better by waiting: give up at once.
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


@dataclass(frozen=True)
class RunSummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as it goes on the wire: plain text with an HTML alternative.

    The email library refuses header values with line breaks, so header injection cannot happen
    here even if a bad value got past ``queue_mail``.
    """
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or None)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    return email


class Transport:
    """Hands finished messages to the SMTP server, or to the log when none is configured."""

    def __init__(self, app: Flask) -> None:
        self.config = app.config

    def send(self, email: EmailMessage) -> None:
        config = self.config
        if not config["SMTP_HOST"]:
            log.info("mail not sent (no SMTP server configured):\n%s", email.as_string())
            return
        timeout = config["SMTP_TIMEOUT"]
        client: smtplib.SMTP
        if config["SMTP_SSL"]:
            client = smtplib.SMTP_SSL(
                config["SMTP_HOST"],
                config["SMTP_PORT"],
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=timeout)
        with client:
            if config["SMTP_STARTTLS"] and not config["SMTP_SSL"]:
                client.starttls(context=ssl.create_default_context())
            if config["SMTP_USERNAME"]:
                client.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            client.send_message(email)


def _claim_next() -> OutboxMessage | None:
    """Take one due message for this worker, in its own committed transaction."""
    now = utcnow()
    message = db.session.scalar(
        select(OutboxMessage)
        .where(
            or_(
                (OutboxMessage.status == MailStatus.PENDING)
                & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == MailStatus.SENDING) & (OutboxMessage.locked_until < now),
            )
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if message is None:
        db.session.rollback()
        return None
    message.status = MailStatus.SENDING
    message.attempts += 1
    message.locked_until = now + LEASE
    db.session.commit()
    return message


def _backoff(app: Flask, attempts: int) -> timedelta:
    first = timedelta(seconds=app.config["MAIL_RETRY_SECONDS"])
    return min(first * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


def deliver_due(app: Flask, transport: Transport | None = None, limit: int = 100) -> RunSummary:
    """Deliver up to ``limit`` due messages. Each outcome is committed as soon as it is known."""
    transport = transport or Transport(app)
    sent = retried = failed = 0
    for _ in range(limit):
        message = _claim_next()
        if message is None:
            break
        try:
            transport.send(build_email(message, app.config["MAIL_FROM"]))
        except PERMANENT_ERRORS as error:
            message.status = MailStatus.FAILED
            message.last_error = type(error).__name__
            failed += 1
            log.error("mail %s refused by the server; not retrying", message.id)
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            message.last_error = type(error).__name__
            if message.attempts >= app.config["MAIL_MAX_ATTEMPTS"]:
                message.status = MailStatus.FAILED
                failed += 1
                log.error("mail %s failed %s times; giving up", message.id, message.attempts)
            else:
                message.status = MailStatus.PENDING
                message.next_attempt_at = utcnow() + _backoff(app, message.attempts)
                retried += 1
                log.warning(
                    "mail %s not delivered (%s); will retry", message.id, type(error).__name__
                )
        else:
            message.status = MailStatus.SENT
            message.sent_at = utcnow()
            message.last_error = ""
            sent += 1
        message.locked_until = None
        db.session.commit()
    return RunSummary(sent=sent, retried=retried, failed=failed)


def run_forever(
    app: Flask,
    tasks: list[Callable[[Flask], object]],
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Run ``tasks`` then deliver mail, again and again, until ``should_stop`` says so."""
    poll = app.config["WORKER_POLL_SECONDS"]
    while not should_stop():
        try:
            for task in tasks:
                task(app)
            deliver_due(app)
        except Exception:
            db.session.rollback()
            log.exception("worker cycle failed; trying again shortly")
        finally:
            db.session.remove()
        for _ in range(poll * 10):
            if should_stop():
                return
            time.sleep(0.1)
