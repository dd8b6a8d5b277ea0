"""Comments and triage: the operations behind the feedback pages.

Comments are in ``portal.feedback.comments``, the inbox and answers in ``portal.feedback.triage``.
"""

from __future__ import annotations

from typing import Any

from portal.feedback.triage import unread_responses
from portal.panels.models import Membership


def home_feedback(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """What the home page shows about feedback: new answers to what the person said.

    Two queries, whatever the number of panels or answers.
    """
    if not memberships:
        return {"count": 0, "entries": [], "panels": {}}
    unread = unread_responses(user_id, [membership.panel_id for membership in memberships])
    return {
        "count": unread.total,
        "entries": unread.rows,
        "panels": {membership.panel_id: membership.panel for membership in memberships},
    }
