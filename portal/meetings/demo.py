"""The demo study's meetings."""

from __future__ import annotations

from portal.accounts.models import User
from portal.panels.models import Panel


def load_meetings_demo(panel: Panel, people: dict[str, User]) -> None:
    """Add the demo meetings if they are not there yet."""
