"""The signed-in home page: one section per domain, each loaded up front in a fixed number of
queries, whatever the amount of data."""

from __future__ import annotations

from typing import Any

from portal.feedback.service import home_feedback
from portal.involvement.home import home_involvement
from portal.meetings.service import home_meetings
from portal.panels.models import Membership
from portal.questionnaires.offers import home_questionnaires
from portal.rounds.service import home_rounds
from portal.summaries.service import home_summaries


def home_sections(user_id: int, memberships: list[Membership]) -> dict[str, dict[str, Any]]:
    """Everything the home page shows, by domain; each template ``<domain>/_home.html`` reads
    its own entry."""
    return {
        "rounds": home_rounds(user_id, memberships),
        "meetings": home_meetings(user_id, memberships),
        "questionnaires": home_questionnaires(user_id, memberships),
        "feedback": home_feedback(user_id, memberships),
        "involvement": home_involvement(user_id, memberships),
        "summaries": home_summaries(user_id, memberships),
    }
