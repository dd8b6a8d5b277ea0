"""Exports: CSV and XLSX of every sent answer, with a data dictionary.

Named questionnaires identify people only by their pseudonym code; anonymous ones carry nothing
that identifies anyone, not even the day, and rows come in the random order of their ids.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict

from sqlalchemy import select

from portal.agreements.service import quote_consenting
from portal.extensions import db
from portal.panels.models import Membership
from portal.questionnaires.answer_pages import allowed_values
from portal.questionnaires.forms import KIND_LABELS, value_label
from portal.questionnaires.models import Answer, Question, Questionnaire, QuestionType, Submission

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Control characters a worksheet cannot hold (tab, new line and carriage return it can).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _columns(question: Question) -> list[tuple[str, str]]:
    """(column name, description) for each column a question fills."""
    if question.kind is QuestionType.RANKING:
        return [
            (f"Q{question.position}_rank_{place}", f"{question.text} – place {place}")
            for place in range(1, (question.top_n or len(question.options)) + 1)
        ]
    return [(f"Q{question.position}", question.text)]


def dictionary(questionnaire: Questionnaire) -> list[list[str]]:
    """One row per column of the answers table: what it holds and what values it can take."""
    rows = [["column", "question", "type", "required", "possible answers"]]
    if questionnaire.anonymous:
        rows.append(["answer", "A random number for each set of answers", "", "", ""])
    else:
        rows.append(["pseudonym_code", "The person's pseudonym code in the panel", "", "", ""])
        rows.append(["submitted_on", "The day the answers were last saved", "", "", ""])
        rows.append(
            [
                "may_quote",
                "Whether the person consents, now, to being quoted (never by name)",
                "",
                "",
                "yes; no",
            ]
        )
    for question in questionnaire.questions:
        if question.kind is QuestionType.SECTION:
            continue
        values = [value_label(question.kind, value) for value in allowed_values(question)]
        for name, description in _columns(question):
            rows.append(
                [
                    name,
                    safe_cell(description),
                    str(KIND_LABELS[question.kind]),
                    "yes" if question.required else "no",
                    safe_cell("; ".join(values)),
                ]
            )
    return rows


def answers_table(questionnaire: Questionnaire) -> list[list[str]]:
    """A header row, then one row per set of sent answers. Four queries in all."""
    questions = [q for q in questionnaire.questions if q.kind is not QuestionType.SECTION]
    submissions = list(
        db.session.execute(
            select(Submission.id, Submission.user_id, Submission.submitted_on)
            .where(Submission.questionnaire_id == questionnaire.id, Submission.is_final.is_(True))
            .order_by(Submission.id)
        )
    )
    answers: dict[str, dict[int, Answer]] = defaultdict(dict)
    for answer in db.session.scalars(
        select(Answer)
        .join(Submission, Submission.id == Answer.submission_id)
        .where(Submission.questionnaire_id == questionnaire.id, Submission.is_final.is_(True))
    ):
        answers[answer.submission_id][answer.question_id] = answer
    codes: dict[int, str] = {}
    quotable: set[int] = set()
    if not questionnaire.anonymous:
        quotable = quote_consenting(
            questionnaire.panel_id, [user_id for _id, user_id, _on in submissions if user_id]
        )
        codes = {
            user_id: code
            for user_id, code in db.session.execute(
                select(Membership.user_id, Membership.pseudonym_code).where(
                    Membership.panel_id == questionnaire.panel_id
                )
            )
        }
    header = (
        ["answer"] if questionnaire.anonymous else ["pseudonym_code", "submitted_on", "may_quote"]
    )
    for question in questions:
        header.extend(name for name, _ in _columns(question))
    table = [header]
    for number, (submission_id, user_id, submitted_on) in enumerate(submissions, 1):
        if questionnaire.anonymous:
            row = [str(number)]
        else:
            row = [
                codes.get(user_id or 0, ""),
                submitted_on.isoformat() if submitted_on else "",
                "yes" if user_id in quotable else "no",
            ]
        for question in questions:
            row.extend(_cells(question, answers[submission_id].get(question.id)))
        table.append([safe_cell(cell) for cell in row])
    return table


def _cells(question: Question, answer: Answer | None) -> list[str]:
    if question.kind is QuestionType.RANKING:
        places = question.top_n or len(question.options)
        chosen = list(answer.choices) if answer else []
        return [chosen[i] if i < len(chosen) else "" for i in range(places)]
    if answer is None:
        return [""]
    if answer.text:
        return [answer.text]
    return ["; ".join(value_label(question.kind, value) for value in answer.choices)]


def to_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def to_xlsx(questionnaire: Questionnaire) -> bytes:
    """A workbook with an "Answers" sheet and a "Data dictionary" sheet."""
    # Imported here: only a download needs it, and every worker would otherwise hold it.
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active or workbook.create_sheet()
    sheet.title = "Answers"
    for row in answers_table(questionnaire):
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    dictionary_sheet = workbook.create_sheet("Data dictionary")
    for row in dictionary(questionnaire):
        dictionary_sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
