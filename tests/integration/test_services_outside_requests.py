"""Services take what they need as arguments, so the worker and commands can call them: no
request, no cookie session, no signed-in person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask, has_request_context, url_for
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.audit.service import Actor, AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.links import portal_path, portal_url
from portal.panels.models import Role
from portal.questionnaires import answering
from portal.questionnaires.answer_pages import AnswerValue
from portal.questionnaires.answering import DraftTooLong
from portal.questionnaires.models import Completion, QuestionType, Submission
from portal.questionnaires.service import (
    QuestionDetails,
    QuestionnaireDetails,
    create_questionnaire,
    get_questionnaire,
)
from tests.factories import add_to_panel, make_panel, make_user


class DictDrafts:
    """Anonymous drafts kept in a dict, as a test (or a command) might keep them."""

    def __init__(self, room: int = 10_000) -> None:
        self.kept: dict[str, dict[str, AnswerValue]] = {}
        self.room = room

    def get(self, key: str) -> dict[str, AnswerValue]:
        return dict(self.kept.get(key, {}))

    def set(self, key: str, answers: dict[str, AnswerValue]) -> bool:
        if len(str(answers)) > self.room:
            return False
        self.kept[key] = answers
        return True

    def clear(self, key: str) -> None:
        self.kept.pop(key, None)


def _anonymous_questionnaire() -> tuple[int, int, int]:
    panel = make_panel()
    member = make_user()
    researcher = make_user()
    add_to_panel(panel, member, Role.MEMBER)
    add_to_panel(panel, researcher, Role.RESEARCHER)
    questionnaire = create_questionnaire(
        panel.id,
        QuestionnaireDetails(
            title="How did it go?",
            anonymous=True,
            opens_at=utcnow() - timedelta(days=1),
            closes_at=utcnow() + timedelta(days=7),
        ),
        researcher.id,
        (
            QuestionDetails(QuestionType.YES_NO_NOT_SURE, "Could you hear everyone?"),
            QuestionDetails(QuestionType.LONG_TEXT, "What should we change?"),
        ),
    )
    db.session.commit()
    return panel.id, questionnaire.id, member.id


def test_anonymous_answers_in_progress_live_in_the_store_given_until_they_are_sent() -> None:
    assert not has_request_context()
    panel_id, questionnaire_id, member_id = _anonymous_questionnaire()
    questionnaire = get_questionnaire(panel_id, questionnaire_id)
    assert questionnaire is not None
    hear, change = questionnaire.questions
    drafts = DictDrafts()

    answering.save_page(questionnaire, [hear], member_id, {hear.id: "yes"}, drafts)
    answering.save_page(questionnaire, [change], member_id, {change.id: "More breaks"}, drafts)
    db.session.commit()

    answers = answering.saved_answers(questionnaire, member_id, drafts)
    assert answers == {hear.id: "yes", change.id: "More breaks"}
    assert db.session.scalars(select(Submission)).all() == []  # nothing in the database yet

    answering.submit(questionnaire, member_id, answers, drafts)
    db.session.commit()
    assert drafts.kept == {}
    sent = db.session.scalars(select(Submission)).one()
    assert sent.user_id is None and sent.is_final
    assert db.session.scalars(select(Completion.user_id)).all() == [member_id]


def test_answers_too_long_for_the_store_are_refused_and_the_old_ones_kept() -> None:
    panel_id, questionnaire_id, member_id = _anonymous_questionnaire()
    questionnaire = get_questionnaire(panel_id, questionnaire_id)
    assert questionnaire is not None
    hear, change = questionnaire.questions
    drafts = DictDrafts(room=60)
    answering.save_page(questionnaire, [hear], member_id, {hear.id: "yes"}, drafts)

    with pytest.raises(DraftTooLong):
        answering.save_page(questionnaire, [change], member_id, {change.id: "x" * 100}, drafts)
    assert answering.saved_answers(questionnaire, member_id, drafts) == {hear.id: "yes"}


def test_audit_events_outside_a_request_are_the_system_s_unless_an_actor_is_given() -> None:
    person = make_user()
    record(AuditAction.ACCOUNT_DEACTIVATED, subject_user_id=person.id)
    by_hand = Actor(person.id, "192.0.2.7")
    record(AuditAction.ACCOUNT_REACTIVATED, subject_user_id=person.id, actor=by_hand)
    db.session.commit()

    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.client_address) for e in events] == [
        ("account_deactivated", None, ""),
        ("account_reactivated", person.id, "192.0.2.7"),
    ]


def test_links_in_emails_are_built_without_a_request(app: Flask) -> None:
    assert not has_request_context()
    path = portal_path("rounds.start_check", panel_id=3, draft_id=4, round_id=5)
    with app.test_request_context():
        assert path == url_for("rounds.start_check", panel_id=3, draft_id=4, round_id=5)
    assert portal_url("meetings.answer_poll", panel_id=3, poll_id=9) == (
        "http://localhost/panels/3/polls/9"
    )
