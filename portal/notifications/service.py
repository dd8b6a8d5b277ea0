"""Queueing mail. A message is a row in the outbox, added to the caller's transaction.

Nothing is sent here: if the change that caused the message is rolled back, so is the message.
``portal.notifications.worker`` delivers what was committed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from email.utils import getaddresses
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.notifications.models import OutboxMessage

MAX_SUBJECT_LENGTH = 300


class InvalidMessage(ValueError):
    """A message that could never be sent safely, such as a header with a line break in it."""


# Control characters and Unicode line and paragraph separators: any of them could end a header
# line (Python's email library treats all of them as line breaks). A tab is harmless.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


@dataclass(frozen=True)
class Attachment:
    """A small text file sent with a message, such as a calendar invitation."""

    name: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    body: str


def check_header(name: str, value: str) -> str:
    """``value`` if it is safe as one header line; otherwise raise ``InvalidMessage``."""
    if any(char != "\t" and unicodedata.category(char) in _UNSAFE_CATEGORIES for char in value):
        raise InvalidMessage(f"{name} must be a single line")
    return value


def queue_mail(
    to: str,
    subject: str,
    template: str,
    dedupe_key: str | None = None,
    locale: str | None = None,
    attachment: Attachment | None = None,
    kind: str = "",
    unsubscribe_url: str | None = None,
    **context: Any,
) -> OutboxMessage | None:
    """Add an email to the outbox in the current transaction; it commits with the change it
    belongs to (with the request, or when the worker or command commits).

    ``template`` names a pair of templates, ``mail/<template>.txt`` and ``mail/<template>.html``,
    rendered now with ``context`` in the recipient's ``locale`` (default: the portal's), never
    the language of whoever caused the message. With a ``dedupe_key`` already used, nothing is
    queued and None is returned, so a reminder can be queued by several workers yet sent once.
    Works inside a request or outside one (the worker, a command). An ``attachment`` (a small
    text file such as a calendar invitation) goes with the message.

    Domains do not call this: they ``tell`` a person (``portal.notifications.tell``), which
    chooses the channel and passes ``kind``, the footer's ``why`` and ``settings_link``, and for
    optional kinds the signed ``unsubscribe_url`` sent in the RFC 8058 headers.
    """
    check_header("to", to)
    check_header("subject", subject)
    # A comma or a display name would let one message go to several people.
    if "@" not in to or len(to) > 320 or getaddresses([to]) != [("", to)]:
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
    with force_locale(locale or current_app.config["DEFAULT_LOCALE"]):
        text_body = render_template(f"mail/{template}.txt", **context)
        if "why" in context:
            context.setdefault("unsubscribe_link", unsubscribe_url or "")
            text_body = (
                text_body.rstrip("\n") + "\n\n" + render_template("mail/_footer.txt", **context)
            )
        html_body = render_template(f"mail/{template}.html", **context)
    message = OutboxMessage(
        to_address=to,
        subject=subject[:MAX_SUBJECT_LENGTH],
        text_body=text_body,
        html_body=html_body,
        dedupe_key=dedupe_key,
        kind=kind,
        unsubscribe_url=unsubscribe_url,
    )
    if attachment is not None:
        check_header("attachment name", attachment.name)
        check_header("attachment type", attachment.content_type)
        message.attachment_name = attachment.name
        message.attachment_type = attachment.content_type
        message.attachment_body = attachment.body
    if dedupe_key is None:
        db.session.add(message)
        return message
    # Another transaction may queue the same key between the check above and our commit; the
    # unique constraint then refuses the second row, and only this savepoint is undone.
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return None
    return message
