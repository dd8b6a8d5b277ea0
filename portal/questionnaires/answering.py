"""Answering: pages, checking what was sent, keeping answers between pages, and submitting.

Named answers are kept in the database (a ``Submission`` that is not final until sent), so a
member can come back on any device and change them until closing. Anonymous answers in progress
are kept only where the caller's ``AnonymousDrafts`` keeps them (for a browser, its own session
cookie: ``draft_cookie``); when sent, they are written as a
``Submission`` with no person, a random id and only the day, and a separate ``Completion`` says
that this person has answered.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.db import utcnow
from portal.extensions import db
from portal.involvement.entries import record_questionnaire
from portal.questionnaires.answer_pages import Answers, AnswerValue, questions_only
from portal.questionnaires.models import (
    Answer,
    Completion,
    Question,
    Questionnaire,
    QuestionType,
    Submission,
)
from portal.templating import LONDON


class DraftTooLong(Exception):
    """Anonymous answers in progress too long to keep where drafts are kept."""


class AnonymousDrafts(Protocol):
    """Where one person's anonymous answers in progress wait until they are sent, by a key per
    questionnaire. Never the database: nothing there may link the answers to the person."""

    def get(self, key: str) -> dict[str, AnswerValue]:
        """The answers kept under ``key`` (question ids as text), or an empty dict."""
        ...

    def set(self, key: str, answers: dict[str, AnswerValue]) -> bool:
        """Keep ``answers`` under ``key``; False, keeping nothing new, when they do not fit."""
        ...

    def clear(self, key: str) -> None:
        """Forget what is kept under ``key``."""
        ...


class AlreadyAnswered(Exception):
    """This person has already sent their anonymous answers."""


# --- keeping answers between pages ---------------------------------------------------------


def _session_key(questionnaire: Questionnaire) -> str:
    return f"questionnaire-{questionnaire.id}"


def named_submission(questionnaire: Questionnaire, user_id: int) -> Submission | None:
    return db.session.scalar(
        select(Submission)
        .where(Submission.questionnaire_id == questionnaire.id, Submission.user_id == user_id)
        .options(selectinload(Submission.answers))
    )


def has_completed(questionnaire: Questionnaire, user_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(Completion.id).where(
                Completion.questionnaire_id == questionnaire.id, Completion.user_id == user_id
            )
        )
    )


def saved_answers(questionnaire: Questionnaire, user_id: int, drafts: AnonymousDrafts) -> Answers:
    """What this person has answered so far (sent or not); anonymous ones come from ``drafts``."""
    if questionnaire.anonymous:
        stored = drafts.get(_session_key(questionnaire))
        return {int(key): value for key, value in stored.items()}
    submission = named_submission(questionnaire, user_id)
    if submission is None:
        return {}
    return {answer.question_id: _value_of(answer) for answer in submission.answers}


def _value_of(answer: Answer) -> AnswerValue:
    return answer.text if answer.text else list(answer.choices or [])


def save_page(
    questionnaire: Questionnaire,
    questions: list[Question],
    user_id: int,
    answers: Answers,
    drafts: AnonymousDrafts,
) -> None:
    """Keep the answers for one page, replacing what was there for these questions; anonymous
    answers go to ``drafts`` (``DraftTooLong`` when they do not fit there)."""
    page_ids = {q.id for q in questions_only(questions)}
    if questionnaire.anonymous:
        key = _session_key(questionnaire)
        stored = {k: v for k, v in drafts.get(key).items() if int(k) not in page_ids}
        stored.update({str(k): v for k, v in answers.items()})
        if not drafts.set(key, stored):
            raise DraftTooLong
        return
    submission = named_submission(questionnaire, user_id)
    if submission is None:
        submission = Submission(
            id=secrets.token_hex(16),
            questionnaire_id=questionnaire.id,
            user_id=user_id,
            is_final=False,
        )
        db.session.add(submission)
        db.session.flush()
    db.session.execute(
        delete(Answer).where(
            Answer.submission_id == submission.id, Answer.question_id.in_(page_ids)
        )
    )
    db.session.add_all(_answer_rows(submission.id, answers))
    if submission.is_final:
        submission.submitted_on = london_today()
    db.session.flush()
    db.session.expire(submission)


def _answer_rows(submission_id: str, answers: Answers) -> list[Answer]:
    return [
        Answer(
            submission_id=submission_id,
            question_id=question_id,
            text=value if isinstance(value, str) else "",
            choices=[] if isinstance(value, str) else list(value),
        )
        for question_id, value in answers.items()
        if value
    ]


def london_today() -> date:
    return utcnow().astimezone(LONDON).date()


def missing_required(questionnaire: Questionnaire, answers: Answers) -> list[Question]:
    """Required questions with no answer yet."""
    return [
        q
        for q in questionnaire.questions
        if q.required and q.kind is not QuestionType.SECTION and not answers.get(q.id)
    ]


def shuffle_anonymous(
    questionnaire_id: int, new: list[tuple[date | None, Answers]] | None = None
) -> None:
    """Write all of an anonymous questionnaire's answers again, with ``new`` ones among them,
    in a random order and under new random ids.

    Databases keep rows in the order they were written (SQLite's hidden rowid, PostgreSQL's
    storage order), and the completion records are in the order people answered. Rewriting every
    set of answers together, shuffled, means their order can never be lined up with who answered
    when. The questionnaire's row is locked first, so two people sending at once take turns.
    """
    db.session.execute(
        select(Questionnaire.id).where(Questionnaire.id == questionnaire_id).with_for_update()
    )
    mine = select(Submission.id).where(
        Submission.questionnaire_id == questionnaire_id, Submission.is_final.is_(True)
    )
    sets: dict[str, tuple[date | None, Answers]] = {
        submission_id: (day, {})
        for submission_id, day in db.session.execute(
            select(Submission.id, Submission.submitted_on).where(Submission.id.in_(mine))
        )
    }
    for submission_id, question_id, text, choices in db.session.execute(
        select(Answer.submission_id, Answer.question_id, Answer.text, Answer.choices).where(
            Answer.submission_id.in_(mine)
        )
    ):
        sets[submission_id][1][question_id] = text or list(choices or [])
    db.session.execute(delete(Answer).where(Answer.submission_id.in_(mine)))
    db.session.execute(
        delete(Submission).where(Submission.id.in_(list(sets))),
        execution_options={"synchronize_session": False},
    )
    everything = [*sets.values(), *(new or [])]
    secrets.SystemRandom().shuffle(everything)
    for day, answers in everything:
        submission_id = secrets.token_hex(16)
        db.session.add(
            Submission(
                id=submission_id,
                questionnaire_id=questionnaire_id,
                user_id=None,
                submitted_on=day,
                is_final=True,
            )
        )
        db.session.flush()
        db.session.add_all(_answer_rows(submission_id, answers))
        db.session.flush()


def submit(
    questionnaire: Questionnaire, user_id: int, answers: Answers, drafts: AnonymousDrafts
) -> None:
    """Send the answers. For an anonymous questionnaire, write them with no link to the person,
    forget them in ``drafts`` and record only that they have answered; commits with the request."""
    known = {q.id for q in questionnaire.questions if q.kind is not QuestionType.SECTION}
    answers = {k: v for k, v in answers.items() if k in known and v}
    today = london_today()
    if questionnaire.anonymous:
        if has_completed(questionnaire, user_id):
            raise AlreadyAnswered
        shuffle_anonymous(questionnaire.id, [(today, answers)])
        drafts.clear(_session_key(questionnaire))
    else:
        submission = named_submission(questionnaire, user_id)
        if submission is None:
            submission = Submission(
                id=secrets.token_hex(16), questionnaire_id=questionnaire.id, user_id=user_id
            )
            db.session.add(submission)
        submission.is_final = True
        submission.submitted_on = today
    if not has_completed(questionnaire, user_id):
        db.session.add(
            Completion(
                id=secrets.token_hex(16),
                questionnaire_id=questionnaire.id,
                user_id=user_id,
                completed_on=today,
            )
        )
    try:
        db.session.flush()
    except IntegrityError as error:  # sent twice at once: the first one counts
        db.session.rollback()
        raise AlreadyAnswered from error
    if not questionnaire.anonymous:
        # Anonymous answers never make an entry: it would say who answered, and when.
        record_questionnaire(questionnaire.panel_id, questionnaire.id, questionnaire.title, user_id)


def tell_answers_sent(user_id: int, questionnaire: Questionnaire) -> None:
    """Send the person a copy-of-receipt email for their answers; the caller commits."""
    from flask import current_app
    from flask_babel import force_locale, gettext

    from portal.accounts.models import User
    from portal.links import portal_url
    from portal.notifications.kinds import Kind
    from portal.notifications.tell import tell

    person = db.session.get(User, user_id)
    if person is None:
        return
    with force_locale(person.language or current_app.config["DEFAULT_LOCALE"]):
        subject = gettext("Thank you for your answers")
    tell(
        person,
        Kind.RECEIPT,
        subject=subject,
        template="questionnaire_sent",
        link=portal_url("questionnaires.list_questionnaires", panel_id=questionnaire.panel_id),
        panel_id=questionnaire.panel_id,
        name=person.display_name,
        title=questionnaire.title,
        anonymous=questionnaire.anonymous,
        closes_at=questionnaire.closes_at,
    )
