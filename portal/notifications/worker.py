"""The mail worker: claims due messages from the outbox and delivers them over SMTP.

Several workers may run at once, on one host or many. A message is claimed in its own short
transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write transactions begin
IMMEDIATE, which serialises claims) and marked ``sending`` with a lease, so no other worker
takes it. The SMTP conversation happens with no transaction open, so a slow mail server never
holds up the portal or the other workers; the outcome is recorded in a second short transaction.
A worker that dies mid-send leaves the lease to run out, and the message is tried again: delivery
is at least once. Every attempt at a message carries the same Message-ID, so a receiving server
that already has the message can drop the second copy.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from flask import Flask
from sqlalchemy import or_, select

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import MailStatus, OutboxMessage
from portal.notifications.service import InvalidMessage, check_header

log = logging.getLogger("portal.worker")

# A worker holds a message for the SMTP timeout plus this margin. Past that, the worker that
# claimed it has stopped (killed, or its host lost) and another may try the message again.
LEASE_MARGIN = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class RunSummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def lease(app: Flask) -> timedelta:
    """How long a claimed message stays with its worker: a little over the SMTP timeout."""
    return timedelta(seconds=app.config["SMTP_TIMEOUT"]) + LEASE_MARGIN


def message_id(message: OutboxMessage, sender: str) -> str:
    """The Message-ID of an outbox message: the same on every attempt at it, unique across
    messages. The row id alone would repeat after a database is rebuilt, so its creation time
    is mixed in; hashing them keeps how much mail the portal sends out of the header."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    created = message.created_at.strftime("%Y%m%d%H%M%S%f")
    digest = hashlib.sha256(f"{message.id}.{created}".encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as it goes on the wire: plain text with an HTML alternative.

    Raises ``InvalidMessage`` for a header value with a line break or control character, so
    header injection cannot happen here even if a bad value got past ``queue_mail``.
    """
    email = EmailMessage()
    for name, value in (
        ("From", sender),
        ("To", message.to_address),
        ("Subject", message.subject),
    ):
        email[name] = check_header(name, value)
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id(message, sender)
    email["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        # RFC 8058: a mail program may offer "unsubscribe" and POST to the address itself.
        email["List-Unsubscribe"] = check_header("List-Unsubscribe", f"<{message.unsubscribe_url}>")
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    if message.attachment_name and message.attachment_type and message.attachment_body:
        _attach(email, message.attachment_name, message.attachment_type, message.attachment_body)
    return email


def _attach(email: EmailMessage, name: str, content_type: str, body: str) -> None:
    """Add a text attachment; ``content_type`` may carry parameters ("text/calendar; method=X")."""
    kind, *parameters = (part.strip() for part in content_type.split(";"))
    maintype, _, subtype = kind.partition("/")
    if maintype != "text" or not subtype:
        raise InvalidMessage("attachments must be text")
    params = dict(
        (key.strip().lower(), value.strip().strip('"'))
        for key, _, value in (parameter.partition("=") for parameter in parameters if parameter)
    )
    email.add_attachment(
        body,
        subtype=subtype,
        filename=check_header("attachment name", name),
        params=params,
    )


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


def is_permanent(error: Exception) -> bool:
    """Whether waiting cannot help: the server refused this message itself with a 5xx reply.

    A 4xx reply (greylisting, a full queue) is temporary. Refusals that are about our own set-up
    (the sender address, the password, TLS) are retried too, so fixing the configuration gets
    the mail through instead of losing everything queued meanwhile.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


@dataclass(frozen=True)
class _Claim:
    """A message this worker holds the lease on, already built, so sending needs no database."""

    id: int
    attempts: int
    email: EmailMessage | None  # None: the row could never be sent and is now marked failed


def _claim_next(app: Flask, skip: set[int]) -> _Claim | None:
    """Take one due message for this worker, in its own short committed transaction.

    The email is built before the commit: no transaction (on SQLite, no write lock) stays open
    while the SMTP server is talked to.
    """
    now = utcnow()
    query = (
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
    if skip:
        # Each run tries a message at most once, even when its retry is due at once.
        query = query.where(OutboxMessage.id.not_in(skip))
    message = db.session.scalar(query)
    if message is None:
        db.session.rollback()
        return None
    claim_id = message.id
    if message.attempts >= app.config["MAIL_MAX_ATTEMPTS"]:
        # Its last worker stopped mid-send and the lease ran out: that was the last try.
        _give_up(message, "LeaseExpired")
        claim = _Claim(id=claim_id, attempts=message.attempts, email=None)
        db.session.commit()
        return claim
    try:
        email = build_email(message, app.config["MAIL_FROM"])
    except InvalidMessage:
        message.attempts += 1
        _give_up(message, "InvalidMessage")
        claim = _Claim(id=claim_id, attempts=message.attempts, email=None)
        db.session.commit()
        log.error("mail %s has an unsafe header; not sending it", claim_id)
        return claim
    message.status = MailStatus.SENDING
    message.attempts += 1
    message.locked_until = now + lease(app)
    claim = _Claim(id=claim_id, attempts=message.attempts, email=email)
    db.session.commit()
    return claim


def _give_up(message: OutboxMessage, reason: str) -> None:
    message.status = MailStatus.FAILED
    message.last_error = reason
    message.locked_until = None


def _backoff(app: Flask, attempts: int) -> timedelta:
    first = timedelta(seconds=app.config["MAIL_RETRY_SECONDS"])
    return min(first * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


def deliver_due(app: Flask, transport: Transport | None = None, limit: int = 100) -> RunSummary:
    """Deliver up to ``limit`` due messages. Each outcome is committed as soon as it is known.

    Several workers may call this at once: each message is claimed by one of them only.
    """
    transport = transport or Transport(app)
    sent = retried = failed = 0
    tried: set[int] = set()
    for _ in range(limit):
        claim = _claim_next(app, skip=tried)
        if claim is None:
            break
        tried.add(claim.id)
        if claim.email is None:
            failed += 1
            continue
        try:
            transport.send(claim.email)
        except Exception as error:
            outcome: Exception | None = error
        else:
            outcome = None
        message = db.session.get(OutboxMessage, claim.id)
        if message is None:  # deleted while we were sending; nothing left to record
            db.session.rollback()
            continue
        if outcome is None:
            message.status = MailStatus.SENT
            message.sent_at = utcnow()
            message.last_error = ""
            message.locked_until = None
            sent += 1
        elif is_permanent(outcome):
            _give_up(message, type(outcome).__name__)
            failed += 1
            log.error("mail %s refused by the server (%s); not retrying", claim.id, outcome)
        elif claim.attempts >= app.config["MAIL_MAX_ATTEMPTS"]:
            _give_up(message, type(outcome).__name__)
            failed += 1
            log.error("mail %s failed %s times; giving up", claim.id, claim.attempts)
        else:
            message.status = MailStatus.PENDING
            message.last_error = type(outcome).__name__
            message.locked_until = None
            message.next_attempt_at = utcnow() + _backoff(app, claim.attempts)
            retried += 1
            log.warning(
                "mail %s not delivered (%s); will retry",
                claim.id,
                type(outcome).__name__,
                # A network or SMTP error explains itself; anything else is a bug to look at.
                exc_info=outcome if not isinstance(outcome, OSError) else None,
            )
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
