"""Results: counts, percentages, medians, free text and ranking scores for every question.

The database counts: one query returns, for each question, how many people sent each distinct
answer (a choice, a set of choices or a ranking); another returns one page of each text
question's written answers. So the number of queries, and the rows read, do not grow with the
number of people who answered.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, String, and_, case, cast, func, select

from portal.extensions import db
from portal.paging import PAGE_SIZE, Page, last_page
from portal.questionnaires.answer_pages import allowed_values
from portal.questionnaires.forms import value_label
from portal.questionnaires.models import Answer, Question, Questionnaire, QuestionType, Submission
from portal.questionnaires.service import is_closed

# Below this many answers, an anonymous questionnaire's free text and breakdowns wait until it
# closes: with one or two answers, people could guess who said what while it is still open.
SMALL_NUMBERS = 3


@dataclass
class Row:
    label: str
    count: int
    percent: int


@dataclass
class RankedItem:
    label: str
    score: int
    place: int
    tied: bool
    by_place: list[int]  # how many people put it 1st, 2nd, …


TEXT_KINDS = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list[Row] = field(default_factory=list)
    median: str = ""
    # One page of the written answers, as the safe HTML stored when they were sent.
    texts: Page[str] = field(default_factory=lambda: Page(rows=[], number=1, total=0))
    ranking: list[RankedItem] = field(default_factory=list)


@dataclass
class Results:
    questionnaire: Questionnaire
    total: int
    hidden: bool
    questions: list[QuestionResult]


def _sent(questionnaire_id: int) -> list[ColumnElement[bool]]:
    return [Submission.questionnaire_id == questionnaire_id, Submission.is_final.is_(True)]


def count_sent(questionnaire_id: int) -> int:
    return db.session.scalar(select(func.count(Submission.id)).where(*_sent(questionnaire_id))) or 0


def _too_few(questionnaire: Questionnaire, total: int) -> bool:
    return questionnaire.anonymous and total < SMALL_NUMBERS and not is_closed(questionnaire)


def held_back(questionnaire: Questionnaire) -> bool:
    """True while an open anonymous questionnaire has too few answers to show them safely."""
    return _too_few(questionnaire, count_sent(questionnaire.id))


@dataclass
class _Counted:
    """What the database counted for one question."""

    answered: int = 0
    written: int = 0  # answers with words in them
    choices: list[tuple[list[str], int]] = field(default_factory=list)  # distinct answer, people


def _counts(questionnaire_id: int) -> dict[int, _Counted]:
    """For each question, how many sent each distinct answer, in one grouped query.

    A JSON list is grouped by its text (PostgreSQL's ``json`` has no equality). The portal writes
    every list with the same encoder, so the same answer is one group; a list spelt another way
    would be a group of its own, and everything below adds groups up, so it would count alike.
    """
    chosen = cast(Answer.choices, String)
    query = (
        select(
            Answer.question_id,
            chosen,
            func.count(),
            func.count(case((Answer.text != "", 1))),
        )
        .join(Submission, Submission.id == Answer.submission_id)
        .where(*_sent(questionnaire_id))
        .group_by(Answer.question_id, chosen)
    )
    counted: dict[int, _Counted] = defaultdict(_Counted)
    decoded: dict[str | None, list[str]] = {}
    for question_id, choices, people, written in db.session.execute(query):
        entry = counted[question_id]
        entry.answered += people
        entry.written += written
        if choices not in decoded:
            value = json.loads(choices) if choices else []
            decoded[choices] = [str(v) for v in value] if isinstance(value, list) else []
        if decoded[choices]:
            entry.choices.append((decoded[choices], people))
    return counted


def _written_pages(questionnaire_id: int, pages: Mapping[int, int]) -> dict[int, list[str]]:
    """One page of written answers for each text question in ``pages`` (question id to page
    number), in one query: the answers are numbered within their question, in the random order
    of submission ids, and each question keeps the numbers of its page."""
    if not pages:
        return {}
    numbered = (
        select(
            Answer.question_id,
            Answer.text_html,
            func.row_number()
            .over(partition_by=Answer.question_id, order_by=Answer.submission_id)
            .label("position"),
        )
        .join(Submission, Submission.id == Answer.submission_id)
        .where(*_sent(questionnaire_id), Answer.question_id.in_(list(pages)), Answer.text != "")
        .subquery()
    )
    skipped = case(
        {question_id: (number - 1) * PAGE_SIZE for question_id, number in pages.items()},
        value=numbered.c.question_id,
        else_=0,
    )
    query = (
        select(numbered.c.question_id, numbered.c.text_html)
        .where(
            and_(
                numbered.c.position > skipped,
                numbered.c.position <= skipped + PAGE_SIZE,
            )
        )
        .order_by(numbered.c.question_id, numbered.c.position)
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text_html in db.session.execute(query):
        texts[question_id].append(text_html)
    return texts


def results_of(
    questionnaire: Questionnaire, text_pages: Mapping[int, int] | None = None
) -> Results:
    """The results of a questionnaire whose questions are loaded; ``text_pages`` says which page
    of a text question's written answers to show (the first by default)."""
    total = count_sent(questionnaire.id)
    hidden = _too_few(questionnaire, total)
    questions = [q for q in questionnaire.questions if q.kind is not QuestionType.SECTION]
    counted = {} if hidden else _counts(questionnaire.id)
    wanted = text_pages or {}
    pages = {
        q.id: min(max(1, wanted.get(q.id, 1)), last_page(counted[q.id].written))
        for q in questions
        if q.kind in TEXT_KINDS and q.id in counted and counted[q.id].written
    }
    texts = _written_pages(questionnaire.id, pages)
    results = [
        _tally(question, counted.get(question.id, _Counted()), texts, pages)
        for question in questions
    ]
    return Results(questionnaire=questionnaire, total=total, hidden=hidden, questions=results)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _tally(
    question: Question,
    counted: _Counted,
    texts: Mapping[int, list[str]],
    pages: Mapping[int, int],
) -> QuestionResult:
    result = QuestionResult(question=question, answered=counted.answered)
    if question.kind in TEXT_KINDS:
        result.texts = Page(
            rows=texts.get(question.id, []),
            number=pages.get(question.id, 1),
            total=counted.written,
        )
        return result
    if question.kind is QuestionType.RANKING:
        result.ranking = ranked(question, counted.choices)
        return result
    people: Counter[str] = Counter()
    for choices, count in counted.choices:
        for value in choices:
            people[value] += count
    result.rows = [
        Row(
            value_label(question.kind, value),
            people[value],
            _percent(people[value], counted.answered),
        )
        for value in allowed_values(question)
    ]
    if question.kind is QuestionType.AGREE_SCALE:
        points = [
            (int(choices[0]), count) for choices, count in counted.choices if choices[0].isdigit()
        ]
        if points:
            result.median = scale_median(points)
    return result


def scale_median(points: Iterable[tuple[int, int]]) -> str:
    """The middle answer on the 5-point scale, in words, from each point and how many chose it.
    With an even number of answers it is halfway between the two in the middle: a point, or the
    two points it falls between."""
    ordered = sorted(points)
    people = sum(count for _, count in ordered)
    middle = (_nth(ordered, (people - 1) // 2) + _nth(ordered, people // 2)) / 2
    if middle == int(middle):
        return value_label(QuestionType.AGREE_SCALE, str(int(middle)))
    below = value_label(QuestionType.AGREE_SCALE, str(int(middle)))
    above = value_label(QuestionType.AGREE_SCALE, str(int(middle) + 1))
    return f"{below} – {above}"


def _nth(ordered: list[tuple[int, int]], index: int) -> int:
    """The value at ``index`` of the answers written out in order, without writing them out."""
    seen = 0
    for value, count in ordered:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def rank(question: Question, rankings: list[list[str]]) -> list[RankedItem]:
    """Score by reverse position: with a top N, first place scores N, second N - 1, and so on.
    Items with the same score share a place and are marked as tied."""
    return ranked(question, [(ranking, 1) for ranking in rankings])


def ranked(question: Question, rankings: Iterable[tuple[list[str], int]]) -> list[RankedItem]:
    """``rank`` for each distinct ranking and how many people gave it."""
    options = list(question.options or [])
    places = question.top_n or len(options)
    scores: Counter[str] = Counter()
    by_place: dict[str, list[int]] = {option: [0] * places for option in options}
    for ranking, people in rankings:
        for index, option in enumerate(ranking[:places]):
            if option in by_place:
                scores[option] += (places - index) * people
                by_place[option][index] += people
    ordered = sorted(options, key=lambda option: (-scores[option], options.index(option)))
    items: list[RankedItem] = []
    for option in ordered:
        place = 1 + sum(1 for other in options if scores[other] > scores[option])
        tied = sum(1 for other in options if scores[other] == scores[option]) > 1
        items.append(RankedItem(option, scores[option], place, tied, by_place[option]))
    return items
