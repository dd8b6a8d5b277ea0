"""Scheduled meeting work the worker runs: reminders and pre-meeting packs."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale, gettext
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.meetings.agenda import total_minutes
from portal.meetings.models import Meeting, MeetingStatus, Paper
from portal.meetings.papers import papers_by_item
from portal.meetings.reminders import queue_meeting_reminders
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.panels.service import active_people


def _queue_due() -> int:
    queued = queue_meeting_reminders()
    db.session.commit()
    return queued


def run_due(app: Flask) -> int:
    """Queue whatever meeting mail is due now; returns how many messages were queued.

    Each kind of mail is queued and committed in its own transaction.
    """
    if has_app_context():
        return _queue_due()
    with app.app_context():
        return _queue_due()


# --- pre-meeting packs ---------------------------------------------------------------------


def _pack_recipients(panel_id: int) -> list[User]:
    return active_people(panel_id, skip_paused=True)


def _send_pack(meeting_id: int) -> int:
    """Claim one meeting's pack and queue its emails, in the caller's transaction.

    The claim is a conditional update: of two workers, only the one that changes the row goes on,
    so the pack is never sent twice.
    """
    now = utcnow()
    claimed = db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.pack_sent_at.is_(None))
        .values(pack_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return 0
    meeting = get_meeting_for_pack(meeting_id)
    base_url = current_app.config["BASE_URL"].rstrip("/")
    pack_link = f"{base_url}/panels/{meeting.panel_id}/meetings/{meeting.id}/pack"
    count = 0
    for person in _pack_recipients(meeting.panel_id):
        with force_locale(person.language or current_app.config["DEFAULT_LOCALE"]):
            subject = gettext("Read the papers for the meeting: %(title)s", title=meeting.title)
        told = tell(
            person,
            Kind.MEETING_PACK,
            subject=subject,
            template="meeting_pack",
            link=pack_link,
            panel_id=meeting.panel_id,
            dedupe_key=f"meeting-pack:{meeting.id}:{person.id}",
            person=person,
            meeting=meeting,
            papers_by_item=papers_by_item(meeting),
            total_minutes=total_minutes(meeting.agenda_items),
            pack_link=pack_link,
        )
        count += told
    return count


def get_meeting_for_pack(meeting_id: int) -> Meeting:
    meeting = db.session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.agenda_items),
            selectinload(Meeting.papers).options(joinedload(Paper.files), joinedload(Paper.draft)),
        )
        .execution_options(populate_existing=True)
    )
    assert meeting is not None  # noqa: S101 - just claimed in this transaction
    return meeting


def send_due_packs(app: Flask) -> int:
    """Email each published pack whose meeting is close enough; returns messages queued.

    A pack is due ``PACK_DAYS_BEFORE`` days before its meeting (or at once, when published
    later than that) and only while the meeting is published and still to come.
    """
    with app.app_context():
        now = utcnow()
        days = app.config["PACK_DAYS_BEFORE"]
        due = list(
            db.session.scalars(
                select(Meeting.id).where(
                    Meeting.pack_published_at.is_not(None),
                    Meeting.pack_sent_at.is_(None),
                    Meeting.status == MeetingStatus.PUBLISHED,
                    Meeting.starts_at > now,
                    Meeting.starts_at <= now + timedelta(days=days),
                )
            )
        )
        queued = 0
        for meeting_id in due:
            queued += _send_pack(meeting_id)
            db.session.commit()
        db.session.remove()
        return queued
