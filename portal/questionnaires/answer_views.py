"""Answering a questionnaire: one section or question per page, check your answers, send.

Any optional question can be left empty without saying why. Anonymous answers in progress stay
in the person's own session cookie until they are sent.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import Action, panel_page
from portal.questionnaires import answer_pages, answering, service
from portal.questionnaires.answer_pages import AnswerValue, ForeignAnswer
from portal.questionnaires.answering import AlreadyAnswered, DraftTooLong
from portal.questionnaires.blueprint import bp
from portal.questionnaires.draft_cookie import CookieDrafts
from portal.questionnaires.forms import AnswerPageForm, ConfirmForm, value_label
from portal.questionnaires.loaders import load_questionnaire, page
from portal.questionnaires.models import Question, Questionnaire, QuestionType
from portal.security import csrf_checked_by_form
from portal.summaries.loaders import summary_for_reader
from portal.summaries.models import SubjectKind


def _answerable(panel_id: int, questionnaire_id: int) -> Questionnaire:
    """The questionnaire, if this person is asked to answer it and it has opened; else 404
    (a questionnaire that is not open yet, or not for them, is not shown to them)."""
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    if not service.has_started(questionnaire) or not service.meeting_has_ended(questionnaire):
        abort(404)
    if not service.in_audience(questionnaire, current_user.id):
        abort(404)
    return questionnaire


def _closed(questionnaire: Questionnaire, status: int = 200) -> ResponseReturnValue:
    return (
        page("questionnaires/closed.html", questionnaire.panel_id, questionnaire=questionnaire),
        status,
    )


def _already_sent(questionnaire: Questionnaire) -> ResponseReturnValue:
    return page(
        "questionnaires/already_sent.html", questionnaire.panel_id, questionnaire=questionnaire
    )


def _url(endpoint: str, questionnaire: Questionnaire, **values: object) -> str:
    return url_for(
        endpoint, panel_id=questionnaire.panel_id, questionnaire_id=questionnaire.id, **values
    )


@bp.route("/<int:questionnaire_id>/answer/<int:number>", methods=["GET", "POST"])
@panel_page(Action.QUESTIONNAIRE_ANSWER)
@csrf_checked_by_form
def answer_page(panel_id: int, questionnaire_id: int, number: int) -> ResponseReturnValue:
    questionnaire = _answerable(panel_id, questionnaire_id)
    if service.is_closed(questionnaire):
        return _closed(questionnaire, 409 if request.method == "POST" else 200)
    if questionnaire.anonymous and answering.has_completed(questionnaire, current_user.id):
        return _already_sent(questionnaire)
    pages = answer_pages.pages_of(questionnaire)
    if not 1 <= number <= max(len(pages), 1) or not pages:
        abort(404)
    questions = pages[number - 1]
    form = AnswerPageForm()
    answers = answering.saved_answers(questionnaire, current_user.id, CookieDrafts())
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            result = answer_pages.read_page(questions, request.form)
        except ForeignAnswer:
            return (
                page(
                    "questionnaires/problem.html",
                    panel_id,
                    questionnaire=questionnaire,
                    message=gettext(
                        "This page sent answers to questions that are not on it, so nothing "
                        "was saved. Go back to the questionnaire and try again."
                    ),
                ),
                400,
            )
        answers = {**answers, **result.answers}
        for question in answer_pages.questions_only(questions):
            if question.id not in result.answers:
                answers.pop(question.id, None)
        errors = result.errors
        saved = form.validate_on_submit() and not errors
        if saved:
            try:
                answering.save_page(
                    questionnaire, questions, current_user.id, result.answers, CookieDrafts()
                )
            except DraftTooLong:
                saved = False
                asked = answer_pages.questions_only(questions)
                errors = {
                    answer_pages.field_id(asked[0]) if asked else "maincontent": gettext(
                        "Your answers are too long to keep on this device. Make them a little "
                        "shorter."
                    )
                }
        if saved:
            if request.form.get("action") == "later":
                return redirect(_url(".answers_saved", questionnaire))
            if request.args.get("from") == "check" or number >= len(pages):
                return redirect(_url(".check_answers", questionnaire))
            return redirect(_url(".answer_page", questionnaire, number=number + 1))
        # Whatever was typed stays on the page, with the problems listed at the top.
        answers = {**answers, **_raw_rankings(questions)}
    return page(
        "questionnaires/answer_page.html",
        panel_id,
        questionnaire=questionnaire,
        questions=questions,
        number=number,
        page_count=len(pages),
        answers=answers,
        errors=errors,
        form=form,
        preview=False,
        from_check=request.args.get("from") == "check",
        translated_summary=summary_for_reader(SubjectKind.QUESTIONNAIRE, questionnaire.id)
        if number == 1
        else None,
    ), (400 if errors else 200)


def _raw_rankings(questions: list[Question]) -> dict[int, AnswerValue]:
    """A ranking as it was typed, places and all, so a mistake can be corrected in place."""
    kept: dict[int, AnswerValue] = {}
    for question in questions:
        if question.kind is QuestionType.RANKING:
            places = question.top_n or len(question.options)
            kept[question.id] = [
                request.form.get(f"q-{question.id}-rank-{place}") or ""
                for place in range(1, places + 1)
            ]
    return kept


@bp.get("/<int:questionnaire_id>/saved")
@panel_page(Action.QUESTIONNAIRE_ANSWER)
def answers_saved(panel_id: int, questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = _answerable(panel_id, questionnaire_id)
    return page("questionnaires/saved.html", panel_id, questionnaire=questionnaire)


@bp.route("/<int:questionnaire_id>/check", methods=["GET", "POST"])
@panel_page(Action.QUESTIONNAIRE_ANSWER)
@csrf_checked_by_form
def check_answers(panel_id: int, questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = _answerable(panel_id, questionnaire_id)
    if service.is_closed(questionnaire):
        return _closed(questionnaire, 409 if request.method == "POST" else 200)
    if questionnaire.anonymous and answering.has_completed(questionnaire, current_user.id):
        return _already_sent(questionnaire)
    answers = answering.saved_answers(questionnaire, current_user.id, CookieDrafts())
    missing = answering.missing_required(questionnaire, answers)
    form = ConfirmForm()
    status = 200
    if form.validate_on_submit():
        if not missing:
            try:
                answering.submit(questionnaire, current_user.id, answers, CookieDrafts())
            except AlreadyAnswered:
                return _already_sent(questionnaire)
            answering.tell_answers_sent(current_user.id, questionnaire)
            return redirect(_url(".answers_sent", questionnaire))
        status = 400
    pages = answer_pages.pages_of(questionnaire)
    page_of = {q.id: n for n, questions in enumerate(pages, 1) for q in questions}
    submission = (
        None
        if questionnaire.anonymous
        else answering.named_submission(questionnaire, current_user.id)
    )
    return page(
        "questionnaires/check.html",
        panel_id,
        questionnaire=questionnaire,
        answers=answers,
        missing=missing if request.method == "POST" else [],
        page_of=page_of,
        form=form,
        value_label=value_label,
        already_sent=bool(submission and submission.is_final),
    ), status


@bp.get("/<int:questionnaire_id>/sent")
@panel_page(Action.QUESTIONNAIRE_ANSWER)
def answers_sent(panel_id: int, questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = _answerable(panel_id, questionnaire_id)
    if not answering.has_completed(questionnaire, current_user.id):
        flash(gettext("You have not sent your answers yet."))
        return redirect(_url(".check_answers", questionnaire))
    return page(
        "questionnaires/sent.html",
        panel_id,
        questionnaire=questionnaire,
        can_change=not questionnaire.anonymous and service.is_open(questionnaire),
    )
