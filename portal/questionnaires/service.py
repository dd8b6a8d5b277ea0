"""Questionnaires: the operations behind the questionnaire pages."""

from __future__ import annotations

from typing import Any

from portal.panels.models import Membership


def home_questionnaires(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """What the home page shows about questionnaires: those waiting for an answer."""
    return {}
