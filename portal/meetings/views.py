"""Meetings: the list, a meeting's page, publishing, moving and cancelling, RSVPs, calendars.

Availability polls are in ``poll_views``; agenda and papers in ``agenda_views``; minutes,
attendance and actions in ``minutes_views``. All add themselves to ``bp``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("meetings", __name__)


from portal.meetings import agenda_views, minutes_views, poll_views  # noqa: E402, F401, I001
