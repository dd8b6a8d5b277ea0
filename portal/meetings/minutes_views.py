"""After a meeting: attendance, minutes and the action log."""

from __future__ import annotations

from portal.meetings.views import bp  # noqa: F401
