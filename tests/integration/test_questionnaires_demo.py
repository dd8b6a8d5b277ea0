"""The demo study's questionnaires: closed meeting feedback with answers, and an open vote."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db
from portal.meetings.models import Meeting
from portal.questionnaires.demo import FEEDBACK_TITLE, VOTE_TITLE
from portal.questionnaires.models import Completion, Questionnaire, Submission
from portal.questionnaires.service import is_closed, is_open
from tests.conftest import csrf_token_from


def test_demo_has_closed_meeting_feedback_with_answers_and_an_open_priority_vote(
    app: Flask,
) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0

    questionnaires = {q.title: q for q in db.session.scalars(select(Questionnaire))}
    assert len(questionnaires) == 2
    feedback, vote = questionnaires[FEEDBACK_TITLE], questionnaires[VOTE_TITLE]
    assert is_closed(feedback) and feedback.anonymous
    meeting = db.session.get(Meeting, feedback.meeting_id)
    assert meeting is not None and meeting.ends_at < utcnow()
    assert db.session.scalar(select(func.count(Meeting.id))) >= 1
    answers = db.session.scalar(
        select(func.count(Submission.id)).where(Submission.questionnaire_id == feedback.id)
    )
    assert answers == 5
    assert all(s.user_id is None for s in db.session.scalars(select(Submission)))
    assert db.session.scalar(select(func.count(Completion.id))) == 5
    assert is_open(vote)

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token_from(page),
            "email": "researcher@demo.invalid",
            "password": "demo panel password 2026",
        },
    )
    results = client.get(
        f"/panels/{feedback.panel_id}/questionnaires/{feedback.id}/results"
    ).get_data(as_text=True)
    assert "5 people have sent answers" in results
    assert "Send the papers a week before" in results
