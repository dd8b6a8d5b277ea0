"""Which questionnaires are open to a person: those on their questionnaires list and home page."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, or_, select

from portal.db import utcnow
from portal.extensions import db
from portal.meetings.models import Attendance, Meeting
from portal.panels.models import Membership
from portal.questionnaires.models import Audience, Completion, Questionnaire
from portal.questionnaires.service import ANSWERING_ROLES


# Asked on every home page: built once (for each ``include_answered``) with the values bound when
# it runs, as building a statement costs more than running it (README: "What keeps pages fast").
@cache
def _open_to(include_answered: bool) -> Select[tuple[Questionnaire]]:
    attended = select(Attendance.meeting_id).where(
        Attendance.user_id == bindparam("user_id"), Attendance.attended.is_(True)
    )
    ended = select(Meeting.id).where(Meeting.ends_at <= bindparam("now"))
    query = (
        select(Questionnaire)
        .where(
            Questionnaire.panel_id.in_(bindparam("panel_ids", expanding=True)),
            Questionnaire.is_template.is_(False),
            Questionnaire.opens_at <= bindparam("now"),
            or_(Questionnaire.closes_at.is_(None), Questionnaire.closes_at > bindparam("now")),
            or_(Questionnaire.meeting_id.is_(None), Questionnaire.meeting_id.in_(ended)),
            or_(
                Questionnaire.audience == Audience.PANEL,
                Questionnaire.meeting_id.in_(attended),
            ),
        )
        .order_by(Questionnaire.closes_at, Questionnaire.id)
    )
    if not include_answered:
        query = query.where(
            Questionnaire.id.not_in(
                select(Completion.questionnaire_id).where(
                    Completion.user_id == bindparam("user_id")
                )
            )
        )
    return query


def open_to(
    user_id: int, memberships: list[Membership], include_answered: bool
) -> list[Questionnaire]:
    """Open questionnaires this person is asked to answer, soonest closing first: in their
    panels, for everyone or for a meeting they came to that has ended. One query."""
    panel_ids = [m.panel_id for m in memberships if m.role in ANSWERING_ROLES]
    if not panel_ids:
        return []
    values = {"user_id": user_id, "panel_ids": panel_ids, "now": utcnow()}
    return list(db.session.scalars(_open_to(include_answered), values))


def waiting_for(user_id: int, memberships: list[Membership]) -> list[Questionnaire]:
    """Open questionnaires this person is asked to answer and has not answered yet."""
    return open_to(user_id, memberships, include_answered=False)


def home_questionnaires(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """What the home page shows about questionnaires: those waiting for an answer."""
    return {"waiting": waiting_for(user_id, memberships)}
