"""The demo study's questionnaires."""

from __future__ import annotations

from portal.accounts.models import User
from portal.panels.models import Panel


def load_questionnaires_demo(panel: Panel, people: dict[str, User]) -> None:
    """Add the demo questionnaires if they are not there yet."""
