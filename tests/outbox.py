"""Reading the mail the portal queued, as a person would read their inbox."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import select

from portal.accounts.email_links import send_asked_for_links
from portal.extensions import db
from portal.notifications.models import OutboxMessage

BASE_URL = "http://localhost"  # tests.conftest.make_app sets BASE_URL to this


def mail_to(address: str) -> list[OutboxMessage]:
    """Every message queued to ``address``, oldest first, once a worker pass has turned
    requests for sign-in and reset links into mail (as it does within seconds in production)."""
    db.session.commit()  # the worker's own session must not wait for the test's transaction
    send_asked_for_links(current_app._get_current_object())  # type: ignore[attr-defined]
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        )
    )


def last_mail_to(address: str) -> OutboxMessage:
    messages = mail_to(address)
    assert messages, f"no mail was queued to {address}"
    return messages[-1]


def link_in(message: OutboxMessage, path_prefix: str) -> str:
    """The path (and query) of the link in a message's text that starts with ``path_prefix``."""
    match = re.search(re.escape(BASE_URL + path_prefix) + r"\S+", message.text_body)
    assert match, f"no {path_prefix} link in: {message.text_body}"
    return match.group(0)[len(BASE_URL) :]
