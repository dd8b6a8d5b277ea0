"""A member's "My feedback": everything they said in a panel and the study team's answers,
and which answers they have not read yet (shown on their home page)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.feedback.models import FeedbackEntry
from portal.feedback.triage import PAGE_SIZE, Page


def my_feedback_page(panel_id: int, user_id: int, number: int) -> Page:
    """Everything a person said in a panel, newest first, with the team's answers: two queries."""
    condition = and_(FeedbackEntry.panel_id == panel_id, FeedbackEntry.author_id == user_id)
    total = db.session.scalar(select(func.count(FeedbackEntry.id)).where(condition)) or 0
    number = min(max(1, number), max(1, math.ceil(total / PAGE_SIZE)))
    entries = db.session.scalars(
        select(FeedbackEntry)
        .where(condition)
        .options(joinedload(FeedbackEntry.draft))
        .order_by(FeedbackEntry.created_at.desc(), FeedbackEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    return Page(rows=list(entries), total=total, number=number)


def mark_responses_seen(panel_id: int, user_id: int) -> int:
    """Mark every answer this person has had in the panel as read."""
    result = db.session.execute(
        update(FeedbackEntry)
        .where(
            FeedbackEntry.panel_id == panel_id,
            FeedbackEntry.author_id == user_id,
            FeedbackEntry.responded_at.is_not(None),
            FeedbackEntry.response_seen_at.is_(None),
        )
        .values(response_seen_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def unread_responses(user_id: int, panel_ids: Sequence[int], limit: int = 5) -> Page:
    """The newest answers this person has not marked as read, across their panels."""
    condition = and_(
        FeedbackEntry.author_id == user_id,
        FeedbackEntry.panel_id.in_(list(panel_ids)),
        FeedbackEntry.responded_at.is_not(None),
        FeedbackEntry.response_seen_at.is_(None),
    )
    total = db.session.scalar(select(func.count(FeedbackEntry.id)).where(condition)) or 0
    entries = db.session.scalars(
        select(FeedbackEntry)
        .where(condition)
        .options(joinedload(FeedbackEntry.draft))
        .order_by(FeedbackEntry.responded_at.desc(), FeedbackEntry.id.desc())
        .limit(limit)
    )
    return Page(rows=list(entries), total=total, number=1, size=limit)
