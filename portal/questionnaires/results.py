"""Results: counts, percentages, medians, free text and ranking scores for every question.

All the answers are read in one query and counted here, so the number of queries does not grow
with the number of answers or questions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import func, select

from portal.extensions import db
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


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list[Row] = field(default_factory=list)
    median: str = ""
    texts: list[str] = field(default_factory=list)
    ranking: list[RankedItem] = field(default_factory=list)


@dataclass
class Results:
    questionnaire: Questionnaire
    total: int
    hidden: bool
    questions: list[QuestionResult]


def answer_rows(questionnaire_id: int) -> list[tuple[int, str, list[str]]]:
    """Every sent answer of a questionnaire, in the random order of submission ids."""
    return [
        (question_id, text, list(choices or []))
        for question_id, text, choices in db.session.execute(
            select(Answer.question_id, Answer.text, Answer.choices)
            .join(Submission, Submission.id == Answer.submission_id)
            .where(Submission.questionnaire_id == questionnaire_id, Submission.is_final.is_(True))
            .order_by(Answer.submission_id, Answer.question_id)
        )
    ]


def count_sent(questionnaire_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Submission.id)).where(
                Submission.questionnaire_id == questionnaire_id, Submission.is_final.is_(True)
            )
        )
        or 0
    )


def _too_few(questionnaire: Questionnaire, total: int) -> bool:
    return questionnaire.anonymous and total < SMALL_NUMBERS and not is_closed(questionnaire)


def held_back(questionnaire: Questionnaire) -> bool:
    """True while an open anonymous questionnaire has too few answers to show them safely."""
    return _too_few(questionnaire, count_sent(questionnaire.id))


def results_of(questionnaire: Questionnaire) -> Results:
    """The results of a questionnaire whose questions are loaded."""
    total = count_sent(questionnaire.id)
    hidden = _too_few(questionnaire, total)
    by_question: dict[int, list[tuple[str, list[str]]]] = defaultdict(list)
    if not hidden:
        for question_id, text, choices in answer_rows(questionnaire.id):
            by_question[question_id].append((text, choices))
    results = [
        _tally(question, by_question.get(question.id, []))
        for question in questionnaire.questions
        if question.kind is not QuestionType.SECTION
    ]
    return Results(questionnaire=questionnaire, total=total, hidden=hidden, questions=results)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _tally(question: Question, answers: list[tuple[str, list[str]]]) -> QuestionResult:
    result = QuestionResult(question=question, answered=len(answers))
    if question.kind in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
        result.texts = [text for text, _ in answers if text]
        return result
    if question.kind is QuestionType.RANKING:
        result.ranking = rank(question, [choices for _, choices in answers])
        return result
    counts = Counter(value for _, choices in answers for value in choices)
    result.rows = [
        Row(value_label(question.kind, value), counts[value], _percent(counts[value], len(answers)))
        for value in allowed_values(question)
    ]
    if question.kind is QuestionType.AGREE_SCALE and answers:
        result.median = scale_median([int(c[0]) for _, c in answers if c])
    return result


def scale_median(values: list[int]) -> str:
    """The middle answer on the 5-point scale, in words."""
    middle = median(values)
    if middle == int(middle):
        return value_label(QuestionType.AGREE_SCALE, str(int(middle)))
    below = value_label(QuestionType.AGREE_SCALE, str(int(middle)))
    above = value_label(QuestionType.AGREE_SCALE, str(int(middle) + 1))
    return f"{below} – {above}"


def rank(question: Question, rankings: list[list[str]]) -> list[RankedItem]:
    """Score by reverse position: with a top N, first place scores N, second N - 1, and so on.
    Items with the same score share a place and are marked as tied."""
    options = list(question.options or [])
    places = question.top_n or len(options)
    scores: Counter[str] = Counter()
    by_place: dict[str, list[int]] = {option: [0] * places for option in options}
    for ranking in rankings:
        for index, option in enumerate(ranking[:places]):
            if option in by_place:
                scores[option] += places - index
                by_place[option][index] += 1
    ordered = sorted(options, key=lambda option: (-scores[option], options.index(option)))
    items: list[RankedItem] = []
    for option in ordered:
        place = 1 + sum(1 for other in options if scores[other] > scores[option])
        tied = sum(1 for other in options if scores[other] == scores[option]) > 1
        items.append(RankedItem(option, scores[option], place, tied, by_place[option]))
    return items
