"""Questionnaires: loading, building and the home page.

Answering lives in ``answering.py``, results in ``results.py`` and exports in ``export.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from portal.db import claim_edit, move_among, utcnow
from portal.extensions import db
from portal.meetings.models import Attendance, Meeting
from portal.panels.models import Membership
from portal.panels.service import MEMBERS_AND_CHAIR, active_in_panel
from portal.questionnaires.models import (
    Audience,
    Completion,
    Question,
    Questionnaire,
    QuestionType,
    Submission,
)

SCALE_VALUES = ("1", "2", "3", "4", "5")
YES_NO_VALUES = ("yes", "no", "not_sure")
CHOICE_KINDS = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING)
ANSWERING_ROLES = MEMBERS_AND_CHAIR


class QuestionsLocked(Exception):
    """The questionnaire has answers, so its questions (and named or anonymous) are fixed."""


@dataclass(frozen=True)
class QuestionnaireDetails:
    title: str
    introduction: str = ""
    privacy_note: str = ""
    content_note: str = ""
    anonymous: bool = False
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    audience: Audience = Audience.PANEL
    meeting_id: int | None = None


@dataclass(frozen=True)
class QuestionDetails:
    kind: QuestionType
    text: str
    help_text: str = ""
    required: bool = False
    options: tuple[str, ...] = ()
    top_n: int | None = None


# --- state --------------------------------------------------------------------------------


def is_open(questionnaire: Questionnaire, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if questionnaire.opens_at is None or questionnaire.opens_at > now:
        return False
    return questionnaire.closes_at is None or questionnaire.closes_at > now


def is_closed(questionnaire: Questionnaire, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return questionnaire.closes_at is not None and questionnaire.closes_at <= now


def has_started(questionnaire: Questionnaire, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return questionnaire.opens_at is not None and questionnaire.opens_at <= now


def has_answers(questionnaire_id: int) -> bool:
    """True once anyone has saved or sent an answer: from then on the questions are fixed."""
    return bool(
        db.session.scalar(
            select(
                exists().where(Submission.questionnaire_id == questionnaire_id)
                | exists().where(Completion.questionnaire_id == questionnaire_id)
            )
        )
    )


# --- loading ------------------------------------------------------------------------------


def questionnaires_in_panel(panel_id: int) -> list[Questionnaire]:
    """A panel's questionnaires, newest first."""
    return list(
        db.session.scalars(
            select(Questionnaire)
            .where(Questionnaire.panel_id == panel_id, Questionnaire.is_template.is_(False))
            .order_by(Questionnaire.created_at.desc(), Questionnaire.id.desc())
        )
    )


def get_questionnaire(panel_id: int, questionnaire_id: int) -> Questionnaire | None:
    """The questionnaire with its questions if it belongs to this panel, else None."""
    return db.session.scalar(
        select(Questionnaire)
        .where(Questionnaire.id == questionnaire_id, Questionnaire.panel_id == panel_id)
        .options(selectinload(Questionnaire.questions))
    )


def get_question(questionnaire: Questionnaire, question_id: int) -> Question | None:
    return next((q for q in questionnaire.questions if q.id == question_id), None)


def meetings_of(panel_id: int) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.panel_id == panel_id).order_by(Meeting.starts_at.desc())
        )
    )


def get_meeting(meeting_id: int | None) -> Meeting | None:
    return db.session.get(Meeting, meeting_id) if meeting_id else None


def completed_ids(user_id: int, questionnaire_ids: list[int]) -> set[int]:
    return set(
        db.session.scalars(
            select(Completion.questionnaire_id).where(
                Completion.user_id == user_id, Completion.questionnaire_id.in_(questionnaire_ids)
            )
        )
    )


def in_audience(questionnaire: Questionnaire, user_id: int) -> bool:
    """May this person answer: anyone in the panel, or only those who came to the meeting."""
    if questionnaire.audience is Audience.PANEL:
        return True
    return bool(
        db.session.scalar(
            select(Attendance.id).where(
                Attendance.meeting_id == questionnaire.meeting_id,
                Attendance.user_id == user_id,
                Attendance.attended.is_(True),
            )
        )
    )


def meeting_has_ended(questionnaire: Questionnaire, now: datetime | None = None) -> bool:
    """Meeting feedback is offered once the meeting is over; other questionnaires at once."""
    meeting = get_meeting(questionnaire.meeting_id)
    return meeting is None or meeting.ends_at <= (now or utcnow())


def audience_user_ids(questionnaire: Questionnaire) -> list[int]:
    """Everyone who is asked to answer, whether or not they have."""
    members = select(Membership.user_id).where(
        *active_in_panel(questionnaire.panel_id, ANSWERING_ROLES)
    )
    if questionnaire.audience is Audience.MEETING_ATTENDEES:
        members = members.where(
            Membership.user_id.in_(
                select(Attendance.user_id).where(
                    Attendance.meeting_id == questionnaire.meeting_id,
                    Attendance.attended.is_(True),
                )
            )
        )
    return list(db.session.scalars(members))


# --- building -----------------------------------------------------------------------------


def create_questionnaire(
    panel_id: int,
    details: QuestionnaireDetails,
    created_by_id: int,
    questions: tuple[QuestionDetails, ...] = (),
) -> Questionnaire:
    """Add a questionnaire (not open until it has an opening time); commits with the request."""
    questionnaire = Questionnaire(panel_id=panel_id, created_by_id=created_by_id)
    _apply(questionnaire, details)
    questionnaire.questions = [
        _new_question(position, question) for position, question in enumerate(questions, 1)
    ]
    db.session.add(questionnaire)
    db.session.flush()
    return questionnaire


def _apply(questionnaire: Questionnaire, details: QuestionnaireDetails) -> None:
    for name, value in details.__dict__.items():
        setattr(questionnaire, name, value)
    if details.audience is Audience.PANEL and details.meeting_id is None:
        questionnaire.meeting_id = None


def _new_question(position: int, details: QuestionDetails) -> Question:
    question = Question(position=position)
    _apply_question(question, details)
    return question


def _apply_question(question: Question, details: QuestionDetails) -> None:
    question.kind = details.kind
    question.text = details.text
    question.help_text = details.help_text
    question.required = details.required and details.kind is not QuestionType.SECTION
    question.options = list(details.options) if details.kind in CHOICE_KINDS else []
    question.top_n = details.top_n if details.kind is QuestionType.RANKING else None


class DetailsConflict(Exception):
    """Someone saved the details since the person opened them; nothing was changed."""


def update_questionnaire(
    questionnaire: Questionnaire, details: QuestionnaireDetails, seen_version: int
) -> None:
    """Change the details, unless someone saved them since ``seen_version`` (then raise
    ``DetailsConflict``). Named or anonymous cannot change once anyone has answered."""
    if details.anonymous != questionnaire.anonymous and has_answers(questionnaire.id):
        raise QuestionsLocked
    if not claim_edit(questionnaire, seen_version):
        raise DetailsConflict
    _apply(questionnaire, details)
    db.session.flush()


def _require_unanswered(questionnaire: Questionnaire) -> None:
    if has_answers(questionnaire.id):
        raise QuestionsLocked


def add_question(questionnaire: Questionnaire, details: QuestionDetails) -> Question:
    _require_unanswered(questionnaire)
    last = db.session.scalar(
        select(func.max(Question.position)).where(Question.questionnaire_id == questionnaire.id)
    )
    question = _new_question((last or 0) + 1, details)
    question.questionnaire_id = questionnaire.id
    db.session.add(question)
    db.session.flush()
    return question


def update_question(
    questionnaire: Questionnaire, question: Question, details: QuestionDetails
) -> None:
    _require_unanswered(questionnaire)
    _apply_question(question, details)
    db.session.flush()


def remove_question(questionnaire: Questionnaire, question: Question) -> None:
    _require_unanswered(questionnaire)
    questionnaire.questions.remove(question)
    for position, remaining in enumerate(questionnaire.questions, 1):
        remaining.position = position
    db.session.flush()


def move_question(questionnaire: Questionnaire, question: Question, direction: str) -> bool:
    """Swap a question with its neighbour. False when it is already at that end."""
    _require_unanswered(questionnaire)
    if not move_among(list(questionnaire.questions), question, direction):
        return False
    db.session.flush()
    return True


def copy_questionnaire(questionnaire: Questionnaire, created_by_id: int) -> Questionnaire:
    """A new, unopened version with the same questions, which can be changed freely."""
    copy = create_questionnaire(
        questionnaire.panel_id,
        QuestionnaireDetails(
            title=questionnaire.title,
            introduction=questionnaire.introduction,
            privacy_note=questionnaire.privacy_note,
            content_note=questionnaire.content_note,
            anonymous=questionnaire.anonymous,
            audience=questionnaire.audience,
            meeting_id=questionnaire.meeting_id,
        ),
        created_by_id,
        tuple(question_details(question) for question in questionnaire.questions),
    )
    copy.copied_from_id = questionnaire.id
    db.session.flush()
    return copy


def question_details(question: Question) -> QuestionDetails:
    return QuestionDetails(
        kind=question.kind,
        text=question.text,
        help_text=question.help_text,
        required=question.required,
        options=tuple(question.options or ()),
        top_n=question.top_n,
    )
