"""Scheduled meeting work the worker runs: reminders and pre-meeting packs."""

from __future__ import annotations

from flask import Flask, has_app_context

from portal.extensions import db
from portal.meetings.reminders import queue_meeting_reminders


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
