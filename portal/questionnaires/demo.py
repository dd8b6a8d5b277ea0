"""The demo study's questionnaires: feedback on a past meeting (closed, with answers) and an
open priority vote."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.meetings.models import Attendance, Meeting, MeetingStatus
from portal.panels.models import Panel
from portal.questionnaires.answering import shuffle_anonymous
from portal.questionnaires.models import (
    Answer,
    Audience,
    Completion,
    Questionnaire,
    QuestionType,
    Submission,
)
from portal.questionnaires.service import QuestionnaireDetails, create_questionnaire
from portal.questionnaires.starters import (
    MEETING_FEEDBACK,
    MEETING_FEEDBACK_QUESTIONS,
    PRIORITY_VOTE,
    PRIORITY_VOTE_QUESTIONS,
)

FEEDBACK_TITLE = "Feedback on the panel meeting"
VOTE_TITLE = "Priority vote: which actions matter most?"
MEMBERS = tuple(f"member{n}@demo.invalid" for n in range(1, 7))

# What five demo members said about the meeting: scale answers in question order, then words.
FEEDBACK_ANSWERS = (
    (("5", "5", "4"), "More time for the last item, please."),
    (("4", "4", "3"), ""),
    (("4", "5", "5"), "It helped that the chair asked everyone in turn."),
    (("3", "3", "2"), "Send the papers a week before, not two days."),
    (("5", "4", "4"), ""),
)


def _past_meeting(panel: Panel, researcher: User) -> Meeting:
    """A meeting that has happened: the panel's latest past one, or a new one if none."""
    now = utcnow()
    meeting = db.session.scalar(
        select(Meeting)
        .where(Meeting.panel_id == panel.id, Meeting.ends_at <= now)
        .order_by(Meeting.ends_at.desc())
    )
    if meeting is None:
        starts = (now - timedelta(days=10)).replace(hour=17, minute=0, second=0, microsecond=0)
        meeting = Meeting(
            panel_id=panel.id,
            title="Panel meeting: priority actions",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            joining_link="https://meet.demo.invalid/leap",
            status=MeetingStatus.PUBLISHED,
            calendar_uid=f"demo-feedback-{secrets.token_hex(8)}@demo.invalid",
            created_by_id=researcher.id,
        )
        db.session.add(meeting)
        db.session.flush()
    return meeting


def _feedback(panel: Panel, people: dict[str, User]) -> None:
    researcher = people["researcher@demo.invalid"]
    meeting = _past_meeting(panel, researcher)
    came = [people[email] for email in MEMBERS[:5]]
    already = set(
        db.session.scalars(select(Attendance.user_id).where(Attendance.meeting_id == meeting.id))
    )
    for person in came:
        if person.id not in already:
            db.session.add(Attendance(meeting_id=meeting.id, user_id=person.id))
    questionnaire = create_questionnaire(
        panel.id,
        QuestionnaireDetails(
            **{
                **MEETING_FEEDBACK.__dict__,
                "title": FEEDBACK_TITLE,
                "opens_at": meeting.ends_at,
                "closes_at": meeting.ends_at + timedelta(days=7),
                "audience": Audience.MEETING_ATTENDEES,
                "meeting_id": meeting.id,
            }
        ),
        researcher.id,
        MEETING_FEEDBACK_QUESTIONS,
    )
    asked = [q for q in questionnaire.questions if q.kind is not QuestionType.SECTION]
    scales = [q for q in asked if q.kind is QuestionType.AGREE_SCALE]
    change = next(q for q in asked if q.kind is QuestionType.LONG_TEXT)
    day = (meeting.ends_at + timedelta(days=2)).date()
    for person, (values, words) in zip(came, FEEDBACK_ANSWERS, strict=True):
        submission = Submission(
            id=secrets.token_hex(16),
            questionnaire_id=questionnaire.id,
            submitted_on=day,
            is_final=True,
        )
        db.session.add(submission)
        for question, value in zip(scales, values, strict=True):
            db.session.add(
                Answer(submission_id=submission.id, question_id=question.id, choices=[value])
            )
        if words:
            db.session.add(Answer(submission_id=submission.id, question_id=change.id, text=words))
        db.session.add(
            Completion(
                id=secrets.token_hex(16),
                questionnaire_id=questionnaire.id,
                user_id=person.id,
                completed_on=day,
            )
        )
    db.session.flush()
    shuffle_anonymous(questionnaire.id)


def _vote(panel: Panel, people: dict[str, User]) -> None:
    now = utcnow()
    create_questionnaire(
        panel.id,
        QuestionnaireDetails(
            **{
                **PRIORITY_VOTE.__dict__,
                "title": VOTE_TITLE,
                "opens_at": now - timedelta(days=1),
                "closes_at": now + timedelta(days=14),
            }
        ),
        people["researcher@demo.invalid"].id,
        PRIORITY_VOTE_QUESTIONS,
    )


def load_questionnaires_demo(panel: Panel, people: dict[str, User]) -> None:
    """Add the demo questionnaires if they are not there yet."""
    existing = set(
        db.session.scalars(select(Questionnaire.title).where(Questionnaire.panel_id == panel.id))
    )
    if FEEDBACK_TITLE not in existing:
        _feedback(panel, people)
    if VOTE_TITLE not in existing:
        _vote(panel, people)
    db.session.flush()
