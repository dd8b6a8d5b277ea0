"""Answering: pages, checking what was sent, keeping answers between pages, and submitting.

Named answers are kept in the database (a ``Submission`` that is not final until sent), so a
member can come back on any device and change them until closing. Anonymous answers in progress
are kept only where the caller's ``AnonymousDrafts`` keeps them (for a browser, its own session
cookie: ``draft_cookie``); when sent, they are written as a
``Submission`` with no person, a random id and only the day, and a separate ``Completion`` says
that this person has answered.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from flask_babel import gettext
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from portal.db import utcnow
from portal.extensions import db
from portal.questionnaires.models import (
    Answer,
    Completion,
    Question,
    Questionnaire,
    QuestionType,
    Submission,
)
from portal.questionnaires.service import SCALE_VALUES, YES_NO_VALUES
from portal.templating import LONDON

# An answer in progress: text for text questions, a list of choices otherwise.
AnswerValue = str | list[str]
Answers = dict[int, AnswerValue]

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 2000
FIELD_NAME = re.compile(r"^q-(\d+)(?:-rank-(\d+))?$")


class ForeignAnswer(Exception):
    """The form answered a question that is not on this page of this questionnaire."""


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


@dataclass
class PageResult:
    answers: Answers
    errors: dict[str, str] = field(default_factory=dict)  # field id -> message


# --- pages --------------------------------------------------------------------------------


def pages_of(questionnaire: Questionnaire) -> list[list[Question]]:
    """The questionnaire split into pages: one page per section (its heading and the questions
    under it) and one page for each question that is not in a section."""
    pages: list[list[Question]] = []
    in_section = False
    for question in questionnaire.questions:
        if question.kind is QuestionType.SECTION:
            pages.append([question])
            in_section = True
        elif in_section:
            pages[-1].append(question)
        else:
            pages.append([question])
    return pages


def questions_only(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.kind is not QuestionType.SECTION]


def allowed_values(question: Question) -> tuple[str, ...]:
    if question.kind is QuestionType.AGREE_SCALE:
        return SCALE_VALUES
    if question.kind is QuestionType.YES_NO_NOT_SURE:
        return YES_NO_VALUES
    return tuple(question.options or ())


def field_id(question: Question) -> str:
    """The id of the first input for a question: where the error summary links to."""
    if question.kind is QuestionType.RANKING:
        return f"q-{question.id}-rank-1"
    return f"q-{question.id}"


# --- reading a page's form ------------------------------------------------------------------


def read_page(questions: list[Question], form: MultiDict[str, str]) -> PageResult:
    """Check the answers sent for one page. Raises ``ForeignAnswer`` if the form answers any
    question that is not on this page; otherwise returns the answers and any errors."""
    on_page = {q.id: q for q in questions_only(questions)}
    for name in form:
        match = FIELD_NAME.match(name)
        if match and int(match.group(1)) not in on_page:
            raise ForeignAnswer
    result = PageResult(answers={})
    for question in on_page.values():
        value, error = _read_question(question, form)
        if value:
            result.answers[question.id] = value
        if error:
            result.errors[field_id(question)] = error
    return result


def _read_question(question: Question, form: MultiDict[str, str]) -> tuple[AnswerValue, str]:
    name = f"q-{question.id}"
    allowed = allowed_values(question)
    if question.kind in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
        text = (form.get(name) or "").strip()
        limit = SHORT_TEXT_MAX if question.kind is QuestionType.SHORT_TEXT else LONG_TEXT_MAX
        if len(text) > limit:
            return text, gettext("Your answer must be %(limit)d characters or fewer", limit=limit)
        if question.required and not text:
            return text, gettext("Answer the question: %(question)s", question=question.text)
        return text, ""
    if question.kind is QuestionType.RANKING:
        return _read_ranking(question, form)
    chosen = [value for value in form.getlist(name) if value]
    if any(value not in allowed for value in chosen):
        return [], gettext("Choose from the answers shown")
    if question.kind is not QuestionType.MULTIPLE_CHOICE and len(chosen) > 1:
        return [], gettext("Choose one answer")
    if question.required and not chosen:
        return [], gettext("Answer the question: %(question)s", question=question.text)
    # Keep the options' own order, so "check your answers" reads like the question.
    return [value for value in allowed if value in chosen], ""


def _read_ranking(question: Question, form: MultiDict[str, str]) -> tuple[AnswerValue, str]:
    allowed = allowed_values(question)
    places = question.top_n or len(allowed)
    ranked = [form.get(f"q-{question.id}-rank-{place}") or "" for place in range(1, places + 1)]
    chosen = [value for value in ranked if value]
    if any(value not in allowed for value in chosen):
        return [], gettext("Choose from the items shown")
    repeated = sorted({value for value in chosen if chosen.count(value) > 1})
    if repeated:
        return ranked, gettext(
            "You chose %(item)s more than once. Choose each item only once.", item=repeated[0]
        )
    if question.required and len(chosen) < places:
        return ranked, gettext(
            "Choose your top %(places)d for: %(question)s", places=places, question=question.text
        )
    # Empty places are closed up: the order of what was chosen is what counts.
    return chosen, ""


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
    forget them in ``drafts`` and record only that they have answered; the caller commits."""
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
