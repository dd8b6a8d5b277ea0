"""Agenda items, papers and the pre-meeting pack."""

from __future__ import annotations

from portal.meetings.views import bp  # noqa: F401
