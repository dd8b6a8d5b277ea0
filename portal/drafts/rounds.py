"""Review rounds and omission checks: open, extend, close, answer, submit."""

from __future__ import annotations

from typing import Any

from portal.panels.models import Membership


def home_rounds(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """What the home page shows about review rounds: open rounds and their state."""
    return {}
