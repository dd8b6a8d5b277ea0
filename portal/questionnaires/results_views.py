"""Results and exports of a questionnaire, for the people who build questionnaires."""

from __future__ import annotations

import re

from flask import Response, abort, request
from flask.typing import ResponseReturnValue

from portal.access import Action, panel_page
from portal.ids import page_number
from portal.questionnaires import export
from portal.questionnaires.blueprint import bp
from portal.questionnaires.loaders import load_questionnaire, page
from portal.questionnaires.results import SMALL_NUMBERS, held_back, results_of
from portal.questionnaires.service import is_closed, is_open


@bp.get("/<int:questionnaire_id>/results")
@panel_page(Action.QUESTIONNAIRE_RESULTS)
def questionnaire_results(panel_id: int, questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    results = results_of(questionnaire, _text_pages())
    # Each list's page, so that moving through one list keeps the others where they are.
    here = {
        f"text-{result.question.id}": result.texts.number
        for result in results.questions
        if result.texts.number > 1
    }
    here.update(panel_id=panel_id, questionnaire_id=questionnaire_id)
    if request.args.get("raw") == "1":
        here["raw"] = 1
    return page(
        "questionnaires/results.html",
        panel_id,
        questionnaire=questionnaire,
        results=results,
        here=here,
        small_numbers=SMALL_NUMBERS,
        is_open=is_open(questionnaire),
        is_closed=is_closed(questionnaire),
        show_raw=request.args.get("raw") == "1",
    )


def _text_pages() -> dict[int, int]:
    """Which page of each text question's written answers to show, from ``?text-<question
    id>=N``; a name or a number that is not one is left out, and the results keep only the
    questionnaire's own questions."""
    pages: dict[int, int] = {}
    for name in request.args:
        question_id = name.removeprefix("text-")
        if question_id != name and question_id.isascii() and question_id.isdigit():
            number = request.args.get(name, type=page_number)
            if number and len(question_id) < 19:
                pages[int(question_id)] = number
    return pages


def _file_name(title: str, suffix: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60] or "questionnaire"
    return f"{stem}-{suffix}"


@bp.get("/<int:questionnaire_id>/export/<string:kind>")
@panel_page(Action.QUESTIONNAIRE_RESULTS)
def export_answers(panel_id: int, questionnaire_id: int, kind: str) -> ResponseReturnValue:
    """``answers.csv``, ``dictionary.csv`` or ``answers.xlsx`` (with both sheets)."""
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    if kind not in ("answers.csv", "dictionary.csv", "answers.xlsx"):
        abort(404)
    if kind != "dictionary.csv" and held_back(questionnaire):
        return page(
            "questionnaires/held_back.html",
            panel_id,
            questionnaire=questionnaire,
            small_numbers=SMALL_NUMBERS,
        ), 409
    if kind == "answers.csv":
        body: str | bytes = export.to_csv(export.answers_table(questionnaire))
        mimetype = "text/csv"
    elif kind == "dictionary.csv":
        body = export.to_csv(export.dictionary(questionnaire))
        mimetype = "text/csv"
    elif kind == "answers.xlsx":
        body = export.to_xlsx(questionnaire)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_file_name(questionnaire.title, kind)}"'
    )
    return response
