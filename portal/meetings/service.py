"""Meetings: the operations behind the meeting pages."""

from __future__ import annotations

from typing import Any

from portal.panels.models import Membership


def home_meetings(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """What the home page shows about meetings: the next meetings and open polls."""
    return {}
