"""Questionnaire pages: the list and the builder (researchers and the chair).

Answering is in ``answer_views.py``; results and exports in ``results_views.py``. Each view:
load (404 when the questionnaire is not in the URL's panel) → ask ``access`` → call the service
→ commit once → redirect, or render.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal import access
from portal.access import Action, found_or_404, panel_page
from portal.extensions import db
from portal.questionnaires import offers, service
from portal.questionnaires.answer_pages import pages_of
from portal.questionnaires.blueprint import bp
from portal.questionnaires.forms import (
    ConfirmForm,
    NewQuestionnaireForm,
    QuestionForm,
    QuestionnaireForm,
)
from portal.questionnaires.loaders import load_questionnaire, page
from portal.questionnaires.models import Question, Questionnaire
from portal.questionnaires.service import QuestionnaireDetails, QuestionsLocked
from portal.questionnaires.starters import STARTERS
from portal.security import csrf_checked_by_form
from portal.summaries import service as summaries
from portal.summaries.models import SubjectKind


def _load_question(questionnaire: Questionnaire, question_id: int) -> Question:
    return found_or_404(service.get_question(questionnaire, question_id))


def _to_builder(questionnaire: Questionnaire, anchor: str | None = None) -> ResponseReturnValue:
    return redirect(
        url_for(
            ".show_questionnaire",
            panel_id=questionnaire.panel_id,
            questionnaire_id=questionnaire.id,
            _anchor=anchor,
        )
    )


def _locked(questionnaire: Questionnaire) -> ResponseReturnValue:
    db.session.rollback()
    flash(
        gettext(
            "People have started answering, so the questions cannot change now. "
            "Make a copy to change them."
        )
    )
    return _to_builder(questionnaire)


@bp.get("")
@panel_page(Action.QUESTIONNAIRE_READ)
def list_questionnaires(panel_id: int) -> ResponseReturnValue:
    builder = access.can(Action.QUESTIONNAIRE_BUILD, panel_id)
    if builder:
        questionnaires = service.questionnaires_in_panel(panel_id)
    else:
        membership = access.membership_in(panel_id)
        questionnaires = offers.open_to(
            current_user.id, [membership] if membership else [], include_answered=True
        )
    answered = service.completed_ids(current_user.id, [q.id for q in questionnaires])
    return page(
        "questionnaires/list.html",
        panel_id,
        questionnaires=questionnaires,
        answered=answered,
        builder=builder,
        is_open=service.is_open,
        is_closed=service.is_closed,
    )


@bp.route("/new", methods=["GET", "POST"])
@panel_page(Action.QUESTIONNAIRE_BUILD)
@csrf_checked_by_form
def new_questionnaire(panel_id: int) -> ResponseReturnValue:
    form = NewQuestionnaireForm()
    if form.validate_on_submit():
        details, questions = STARTERS.get(
            form.start_from.data or "",
            (QuestionnaireDetails(title=gettext("New questionnaire")), ()),
        )
        questionnaire = service.create_questionnaire(panel_id, details, current_user.id, questions)
        flash(gettext("Questionnaire created. Check its details."), "success")
        return redirect(
            url_for(".edit_questionnaire", panel_id=panel_id, questionnaire_id=questionnaire.id)
        )
    return page("questionnaires/new.html", panel_id, form=form)


@bp.get("/<int:questionnaire_id>")
@panel_page(Action.QUESTIONNAIRE_READ)
def show_questionnaire(panel_id: int, questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    if not access.can(Action.QUESTIONNAIRE_BUILD, panel_id):
        # Someone who has sent named answers goes straight to them, to change them.
        sent = not questionnaire.anonymous and questionnaire.id in service.completed_ids(
            current_user.id, [questionnaire.id]
        )
        return redirect(
            url_for(".check_answers", panel_id=panel_id, questionnaire_id=questionnaire.id)
            if sent
            else url_for(
                ".answer_page", panel_id=panel_id, questionnaire_id=questionnaire.id, number=1
            )
        )
    subject = summaries.Subject(
        SubjectKind.QUESTIONNAIRE, questionnaire.id, panel_id, questionnaire.title
    )
    return page(
        "questionnaires/builder.html",
        panel_id,
        questionnaire=questionnaire,
        summary_subject=subject,
        summary_rows=summaries.team_rows(subject),
        locked=service.has_answers(questionnaire.id),
        meeting=service.get_meeting(questionnaire.meeting_id),
        is_open=service.is_open(questionnaire),
        is_closed=service.is_closed(questionnaire),
    )


@bp.route("/<int:questionnaire_id>/edit", methods=["GET", "POST"])
@panel_page(Action.QUESTIONNAIRE_BUILD)
@csrf_checked_by_form
def edit_questionnaire(panel_id: int, questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    form = QuestionnaireForm()
    form.set_meetings([(m.id, m.title) for m in service.meetings_of(panel_id)])
    if request.method == "GET":
        form.load(
            QuestionnaireDetails(
                title=questionnaire.title,
                introduction=questionnaire.introduction,
                privacy_note=questionnaire.privacy_note,
                content_note=questionnaire.content_note,
                anonymous=questionnaire.anonymous,
                opens_at=questionnaire.opens_at,
                closes_at=questionnaire.closes_at,
                audience=questionnaire.audience,
                meeting_id=questionnaire.meeting_id,
            )
        )
        form.lock_version.data = str(questionnaire.lock_version)
    locked = service.has_answers(questionnaire.id)
    if not form.checking_reading_age() and form.validate_on_submit():
        try:
            service.update_questionnaire(questionnaire, form.details(), form.seen_version())
        except service.DetailsConflict:
            db.session.rollback()
            saved = load_questionnaire(panel_id, questionnaire_id)
            db.session.refresh(saved)
            # Saving from the conflict page is a deliberate choice to replace what is saved.
            form.lock_version.data = str(saved.lock_version)
            return page(
                "questionnaires/edit.html",
                panel_id,
                form=form,
                questionnaire=saved,
                locked=locked,
                conflict=True,
            ), 409
        except QuestionsLocked:
            db.session.rollback()
            form.anonymous.errors = [
                gettext(
                    "People have already answered, so this cannot change between named and "
                    "anonymous. Make a copy instead."
                )
            ]
        else:
            flash(gettext("Your changes have been saved."), "success")
            return _to_builder(questionnaire)
    return page(
        "questionnaires/edit.html", panel_id, form=form, questionnaire=questionnaire, locked=locked
    )


@bp.route("/<int:questionnaire_id>/questions/new", methods=["GET", "POST"])
@panel_page(Action.QUESTIONNAIRE_BUILD)
@csrf_checked_by_form
def new_question(panel_id: int, questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    form = QuestionForm()
    if not form.checking_reading_age() and form.validate_on_submit():
        try:
            question = service.add_question(questionnaire, form.details())
        except QuestionsLocked:
            return _locked(questionnaire)
        flash(gettext("Question added."), "success")
        return _to_builder(questionnaire, f"question-{question.id}")
    return page(
        "questionnaires/edit_question.html",
        panel_id,
        form=form,
        questionnaire=questionnaire,
        question=None,
    )


@bp.route("/<int:questionnaire_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@panel_page(Action.QUESTIONNAIRE_BUILD)
@csrf_checked_by_form
def edit_question(panel_id: int, questionnaire_id: int, question_id: int) -> ResponseReturnValue:
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    question = _load_question(questionnaire, question_id)
    form = QuestionForm()
    if request.method == "GET":
        form.load(service.question_details(question))
    if not form.checking_reading_age() and form.validate_on_submit():
        try:
            service.update_question(questionnaire, question, form.details())
        except QuestionsLocked:
            return _locked(questionnaire)
        flash(gettext("Your changes have been saved."), "success")
        return _to_builder(questionnaire, f"question-{question.id}")
    return page(
        "questionnaires/edit_question.html",
        panel_id,
        form=form,
        questionnaire=questionnaire,
        question=question,
    )


@bp.post("/<int:questionnaire_id>/questions/<int:question_id>/move")
@panel_page(Action.QUESTIONNAIRE_BUILD)
def move_question(panel_id: int, questionnaire_id: int, question_id: int) -> ResponseReturnValue:
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    question = _load_question(questionnaire, question_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    try:
        service.move_question(questionnaire, question, direction)
    except QuestionsLocked:
        return _locked(questionnaire)
    return _to_builder(questionnaire, f"question-{question.id}")


@bp.route("/<int:questionnaire_id>/questions/<int:question_id>/remove", methods=["GET", "POST"])
@panel_page(Action.QUESTIONNAIRE_BUILD)
@csrf_checked_by_form
def remove_question(panel_id: int, questionnaire_id: int, question_id: int) -> ResponseReturnValue:
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    question = _load_question(questionnaire, question_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            service.remove_question(questionnaire, question)
        except QuestionsLocked:
            return _locked(questionnaire)
        flash(gettext("Question removed."), "success")
        return _to_builder(questionnaire)
    return page(
        "questionnaires/remove_question.html",
        panel_id,
        form=form,
        questionnaire=questionnaire,
        question=question,
    )


@bp.get("/<int:questionnaire_id>/preview/<int:number>")
@panel_page(Action.QUESTIONNAIRE_BUILD)
def preview_questionnaire(panel_id: int, questionnaire_id: int, number: int) -> ResponseReturnValue:
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    pages = pages_of(questionnaire)
    if not pages:
        flash(gettext("Add a question before you preview."))
        return _to_builder(questionnaire)
    if not 1 <= number <= len(pages):
        abort(404)
    return page(
        "questionnaires/answer_page.html",
        panel_id,
        questionnaire=questionnaire,
        questions=pages[number - 1],
        number=number,
        page_count=len(pages),
        answers={},
        errors={},
        form=None,
        preview=True,
    )


@bp.post("/<int:questionnaire_id>/copy")
@panel_page(Action.QUESTIONNAIRE_BUILD)
def copy_questionnaire(panel_id: int, questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = load_questionnaire(panel_id, questionnaire_id)
    copy = service.copy_questionnaire(questionnaire, current_user.id)
    flash(gettext("This is a new copy. Change it, then set when it opens."), "success")
    return _to_builder(copy)
