"""Text messages: UK mobile numbers, quiet hours, and the outbox of texts.

A text is a row in ``TextMessage``, added to the caller's transaction like an email; the worker
(``portal.notifications.text_worker``) hands it to GOV.UK Notify. A text says only that there is
something to see and where: never a draft's title or anyone's words.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import Kind
from portal.notifications.models import ContactSettings, TextMessage, TextStatus

LONDON = ZoneInfo("Europe/London")
MAX_TEXT_LENGTH = 300

# 07xxx xxxxxx, +44 7xxx xxxxxx or 0044 7xxx xxxxxx, with spaces, dashes or brackets anywhere.
_UK_MOBILE = re.compile(r"^(?:\+44|0044|0)(7\d{9})$")
_SEPARATORS = re.compile(r"[\s\-().]")


def uk_mobile(typed: str) -> str | None:
    """The UK mobile number ``typed`` in E.164 (``+447700900982``), or None if it is not one."""
    compact = _SEPARATORS.sub("", typed or "")
    if compact.startswith(("+440", "00440")):  # "+44 (0)7700…", once the brackets are gone
        compact = compact.replace("440", "44", 1)
    match = _UK_MOBILE.match(compact)
    return f"+44{match.group(1)}" if match else None


def in_quiet_hours(moment: datetime, quiet_from: int, quiet_until: int) -> bool:
    """Is ``moment`` within the person's quiet hours (hours of the day, UK time)?"""
    if quiet_from == quiet_until:
        return False
    hour = moment.astimezone(LONDON).hour
    if quiet_from < quiet_until:
        return quiet_from <= hour < quiet_until
    return hour >= quiet_from or hour < quiet_until


def after_quiet_hours(moment: datetime, quiet_from: int, quiet_until: int) -> datetime:
    """``moment``, or the end of the quiet hours it falls in: when a text may go."""
    if not in_quiet_hours(moment, quiet_from, quiet_until):
        return moment
    local = moment.astimezone(LONDON)
    day = local.date() if local.hour < quiet_until else local.date() + timedelta(days=1)
    return datetime.combine(day, time(quiet_until), tzinfo=LONDON).astimezone(moment.tzinfo)


def queue_text(
    settings: ContactSettings,
    kind: Kind,
    body: str,
    link: str,
    now: datetime,
    dedupe_key: str | None = None,
    panel_id: int | None = None,
) -> TextMessage | None:
    """Add a text to the outbox in the current transaction, to go after the person's quiet
    hours; the caller commits. With a ``dedupe_key`` already used, nothing is queued."""
    if not settings.mobile:
        return None
    if dedupe_key is not None:
        already = db.session.scalar(
            select(TextMessage.id).where(TextMessage.dedupe_key == dedupe_key)
        )
        if already is not None:
            return None
    text = TextMessage(
        user_id=settings.user_id,
        panel_id=panel_id,
        kind=kind.value,
        to_number=settings.mobile,
        body=body[:MAX_TEXT_LENGTH],
        link=link,
        reference=uuid.uuid4().hex,
        dedupe_key=dedupe_key,
        next_attempt_at=after_quiet_hours(now, settings.quiet_from, settings.quiet_until),
    )
    try:
        with db.session.begin_nested():
            db.session.add(text)
    except IntegrityError:
        return None
    return text


def mark_number_failed(text: TextMessage) -> None:
    """Note on the person's settings that their number cannot be texted (if it is still theirs)."""
    if text.user_id is None:
        return
    settings = db.session.get(ContactSettings, text.user_id)
    if settings is not None and settings.mobile == text.to_number:
        settings.mobile_failed_at = utcnow()


def record_delivery(notify_id: str, reference: str, status: str) -> bool:
    """Record what Notify's callback says about a text; whether the text was found.

    A permanent failure marks the person's number as failing, so their account page says so."""
    text = None
    if reference:
        text = db.session.scalar(select(TextMessage).where(TextMessage.reference == reference))
    if text is None and notify_id:
        text = db.session.scalar(select(TextMessage).where(TextMessage.notify_id == notify_id))
    if text is None:
        return False
    if status == "delivered":
        text.status = TextStatus.DELIVERED
    elif status in ("permanent-failure", "temporary-failure", "technical-failure"):
        text.status = TextStatus.FAILED
        text.last_error = status
        if status == "permanent-failure":
            mark_number_failed(text)
    return True
