"""Comments and triage: the operations behind the feedback pages.

Comments are in ``portal.feedback.comments``, the inbox and answers in ``portal.feedback.triage``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select

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


# Asked on every researcher's home page: built once with the values bound when it runs, as
# building a statement costs more than running it (README: "What keeps pages fast").
@cache
def _assigned() -> Select[Any]:
    return (
        select(FeedbackEntry.panel_id, func.count(FeedbackEntry.id))
        .where(
            FeedbackEntry.assignee_id == bindparam("user_id"),
            FeedbackEntry.panel_id.in_(bindparam("panel_ids", expanding=True)),
            FeedbackEntry.status.in_([TriageStatus.NEW, TriageStatus.ACKNOWLEDGED]),
        )
        .group_by(FeedbackEntry.panel_id)
        .order_by(FeedbackEntry.panel_id)
    )


def _assigned_to(user_id: int, memberships: list[Membership]) -> list[tuple[int, int]]:
    """(panel id, number of new or acknowledged entries assigned to this researcher)."""
    panel_ids = [m.panel_id for m in memberships if m.role is Role.RESEARCHER]
    if not panel_ids:
        return []
    rows = db.session.execute(_assigned(), {"user_id": user_id, "panel_ids": panel_ids})
    return [(panel_id, count) for panel_id, count in rows]
