"""A questionnaire as pages to answer: how it splits into pages, and reading what one page's
form sent (each answer checked against its question, errors said plainly)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from portal.questionnaires.models import Question, Questionnaire, QuestionType
from portal.questionnaires.service import SCALE_VALUES, YES_NO_VALUES

# An answer in progress: text for text questions, a list of choices otherwise.
AnswerValue = str | list[str]
Answers = dict[int, AnswerValue]

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 2000
FIELD_NAME = re.compile(r"^q-(\d+)(?:-rank-(\d+))?$")


class ForeignAnswer(Exception):
    """The form answered a question that is not on this page of this questionnaire."""


@dataclass
class PageResult:
    answers: Answers
    errors: dict[str, str] = field(default_factory=dict)  # field id -> message


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
