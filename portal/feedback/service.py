"""Comments and triage: the operations behind the feedback pages.

Comments are in ``portal.feedback.comments``, the inbox and answers in ``portal.feedback.triage``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback.models import FeedbackEntry, TriageStatus
from portal.feedback.my_feedback import unread_responses
from portal.panels.models import Membership, Role


def home_feedback(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """What the home page shows about feedback: new answers to what the person said, and for
    researchers, how many open inbox entries are assigned to them in each panel.

    At most three queries, whatever the number of panels, answers or entries.
    """
    if not memberships:
        return {"count": 0, "entries": [], "panels": {}, "assigned": []}
    unread = unread_responses(user_id, [membership.panel_id for membership in memberships])
    panels = {membership.panel_id: membership.panel for membership in memberships}
    return {
        "count": unread.total,
        "entries": unread.rows,
        "panels": panels,
        "assigned": _assigned_to(user_id, memberships),
    }


def _assigned_to(user_id: int, memberships: list[Membership]) -> list[tuple[int, int]]:
    """(panel id, number of new or acknowledged entries assigned to this researcher)."""
    panel_ids = [m.panel_id for m in memberships if m.role is Role.RESEARCHER]
    if not panel_ids:
        return []
    rows = db.session.execute(
        select(FeedbackEntry.panel_id, func.count(FeedbackEntry.id))
        .where(
            FeedbackEntry.assignee_id == user_id,
            FeedbackEntry.panel_id.in_(panel_ids),
            FeedbackEntry.status.in_([TriageStatus.NEW, TriageStatus.ACKNOWLEDGED]),
        )
        .group_by(FeedbackEntry.panel_id)
        .order_by(FeedbackEntry.panel_id)
    )
    return [(panel_id, count) for panel_id, count in rows]
