"""Questionnaires as several test modules set them up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from portal.db import utcnow
from portal.extensions import db
from portal.questionnaires.models import (
    Questionnaire,
    QuestionType,
)
from portal.questionnaires.service import (
    QuestionDetails,
    QuestionnaireDetails,
    create_questionnaire,
)
from tests.roles import Cast


def make_questionnaire(
    cast: Cast,
    anonymous: bool = False,
    opens_in: timedelta = -timedelta(days=1),
    closes_in: timedelta = timedelta(days=7),
    questions: tuple[QuestionDetails, ...] | None = None,
    **details: Any,
) -> Questionnaire:
    questionnaire = create_questionnaire(
        cast.panel.id,
        QuestionnaireDetails(
            title=details.pop("title", "How did it go?"),
            anonymous=anonymous,
            opens_at=utcnow() + opens_in,
            closes_at=utcnow() + closes_in,
            **details,
        ),
        cast.people["researcher"].id,
        questions
        if questions is not None
        else (
            QuestionDetails(QuestionType.SECTION, "About the meeting", "Say what you think."),
            QuestionDetails(QuestionType.AGREE_SCALE, "I felt listened to", required=True),
            QuestionDetails(QuestionType.YES_NO_NOT_SURE, "Could you hear everyone?"),
            QuestionDetails(QuestionType.LONG_TEXT, "What should we change?"),
            QuestionDetails(QuestionType.SECTION, "Priorities"),
            QuestionDetails(
                QuestionType.RANKING,
                "Choose your top 3",
                options=RANKING_OPTIONS,
                top_n=3,
            ),
        ),
    )
    db.session.commit()
    return questionnaire


def base(cast: Cast, questionnaire: Questionnaire | int) -> str:
    qid = questionnaire if isinstance(questionnaire, int) else questionnaire.id
    return f"/panels/{cast.panel.id}/questionnaires/{qid}"


RANKING_OPTIONS = ("Peer support", "Training", "Outreach", "Schools", "Bias checks")
