"""A member's "My feedback": everything they said in a panel and the study team's answers,
and which answers they have not read yet (shown on their home page)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, select, update
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.feedback.models import FeedbackEntry
from portal.feedback.triage import PAGE_SIZE, Page
from portal.paging import last_page


# Asked for on every visit to "My feedback" and every home page: built once with the values
# bound when they run, as building a statement costs more than running it (README: "What keeps
# pages fast").
def _mine() -> tuple[ColumnElement[bool], ...]:
    return (
        FeedbackEntry.panel_id == bindparam("panel_id"),
        FeedbackEntry.author_id == bindparam("user_id"),
    )


@cache
def _count_mine() -> Select[Any]:
    return select(func.count(FeedbackEntry.id)).where(*_mine())


@cache
def _page_of_mine() -> Select[Any]:
    return (
        select(FeedbackEntry)
        .where(*_mine())
        .options(joinedload(FeedbackEntry.draft))
        .order_by(FeedbackEntry.created_at.desc(), FeedbackEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset(bindparam("skipped"))
    )


def _unread() -> tuple[ColumnElement[bool], ...]:
    return (
        FeedbackEntry.author_id == bindparam("user_id"),
        FeedbackEntry.panel_id.in_(bindparam("panel_ids", expanding=True)),
        FeedbackEntry.responded_at.is_not(None),
        FeedbackEntry.response_seen_at.is_(None),
    )


@cache
def _count_unread() -> Select[Any]:
    return select(func.count(FeedbackEntry.id)).where(*_unread())


@cache
def _newest_unread() -> Select[Any]:
    return (
        select(FeedbackEntry)
        .where(*_unread())
        .options(joinedload(FeedbackEntry.draft))
        .order_by(FeedbackEntry.responded_at.desc(), FeedbackEntry.id.desc())
        .limit(bindparam("limit"))
    )


def my_feedback_page(panel_id: int, user_id: int, number: int) -> Page:
    """Everything a person said in a panel, newest first, with the team's answers: two queries."""
    mine = {"panel_id": panel_id, "user_id": user_id}
    total = db.session.scalar(_count_mine(), mine) or 0
    number = min(max(1, number), last_page(total, PAGE_SIZE))
    entries = db.session.scalars(_page_of_mine(), {**mine, "skipped": (number - 1) * PAGE_SIZE})
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
    if not panel_ids:
        return Page(rows=[], total=0, number=1, size=limit)
    unread = {"user_id": user_id, "panel_ids": list(panel_ids)}
    total = db.session.scalar(_count_unread(), unread) or 0
    entries = db.session.scalars(_newest_unread(), {**unread, "limit": limit})
    return Page(rows=list(entries), total=total, number=1, size=limit)
