"""Comments and triage: the operations behind the feedback pages."""

from __future__ import annotations

from typing import Any

from portal.panels.models import Membership


def home_feedback(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """What the home page shows about feedback: new responses to what the person said."""
    return {}
