"""Queueing mail. A message is a row in the outbox, added to the caller's transaction.

Nothing is sent here: if the change that caused the message is rolled back, so is the message.
``portal.notifications.worker`` delivers what was committed.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import OutboxMessage

MAX_SUBJECT_LENGTH = 300


class InvalidMessage(ValueError):
    """A message that could never be sent safely, such as a header with a line break in it."""


def _check_header(name: str, value: str) -> str:
    if "\r" in value or "\n" in value or "\x00" in value:
        raise InvalidMessage(f"{name} must be a single line")
    return value


def queue_mail(
    to: str,
    subject: str,
    template: str,
    dedupe_key: str | None = None,
    **context: Any,
) -> OutboxMessage | None:
    """Add an email to the outbox in the current transaction; the caller commits.

    ``template`` names a pair of templates, ``mail/<template>.txt`` and ``mail/<template>.html``,
    rendered now with ``context``. With a ``dedupe_key`` already used, nothing is queued and
    None is returned, so a reminder can be queued by several workers yet sent once.
    """
    _check_header("to", to)
    _check_header("subject", subject)
    if "@" not in to or len(to) > 320:
        raise InvalidMessage("to must be one email address")
    if dedupe_key is not None:
        already = db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if already is not None:
            return None
    context.setdefault("service_name", current_app.config["SERVICE_NAME"])
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    context.setdefault("subject", subject)
    message = OutboxMessage(
        to_address=to,
        subject=subject[:MAX_SUBJECT_LENGTH],
        text_body=render_template(f"mail/{template}.txt", **context),
        html_body=render_template(f"mail/{template}.html", **context),
        dedupe_key=dedupe_key,
    )
    db.session.add(message)
    return message
