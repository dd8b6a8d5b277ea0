"""Availability polls: propose times, answer, pick a slot."""

from __future__ import annotations

from portal.meetings.views import bp  # noqa: F401
