"""Translated summaries pages: the study team adds, changes, checks and removes a summary of a
draft, a questionnaire or a meeting, in each of the portal's other languages.

Each kind of subject has its own routes, so each carries the rule that editing that subject
has (drafts: the study team; questionnaires and meetings: the study team and the chair). Each
view: load (404 when the subject is not in the URL's panel) → call the service → redirect, or
render; the request's commit point commits. The meeting page's own section is added here too.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal import access
from portal.access import Action, found_or_404, panel_page
from portal.extensions import db
from portal.languages import LANGUAGES
from portal.meetings.loaders import MEETING_PAGE_SECTIONS
from portal.meetings.models import Meeting
from portal.security import csrf_checked_by_form
from portal.summaries import service
from portal.summaries.blueprint import bp
from portal.summaries.english import English
from portal.summaries.forms import ConfirmForm, SummaryForm
from portal.summaries.loaders import (
    load_subject,
    page,
    summary_for_reader,
    team_page_url,
    translated_language,
)
from portal.summaries.models import SubjectKind
from portal.summaries.service import EditConflict, NothingToSummarise, Subject

DRAFT = "/panels/<int:panel_id>/drafts/<int:draft_id>/summaries/<language>"
QUESTIONNAIRE = "/panels/<int:panel_id>/questionnaires/<int:questionnaire_id>/summaries/<language>"
MEETING = "/panels/<int:panel_id>/meetings/<int:meeting_id>/summaries/<language>"


def _not_published() -> None:
    flash(
        gettext(
            "Publish a version first. Members read a summary beside the published version, "
            "so there is nothing to summarise yet."
        )
    )


def _edit(kind: SubjectKind, panel_id: int, subject_id: int, language: str) -> ResponseReturnValue:
    subject = load_subject(kind, panel_id, subject_id)
    language = translated_language(language)
    summary = service.get_summary(subject, language)
    english = service.current_english(subject)
    if english is None:
        _not_published()
        return redirect(team_page_url(subject))
    form = SummaryForm(
        obj=summary if request.method == "GET" else None,
        lock_version=summary.lock_version if summary else 0,
    )
    if form.validate_on_submit():
        try:
            service.save_summary(
                subject,
                language,
                (form.text.data or "").strip(),
                current_user.id,
                form.lock_version.data or 0,
            )
        except EditConflict:
            return _conflict(subject, language, form, english), 409
        except NothingToSummarise:
            db.session.rollback()
            _not_published()
            return redirect(team_page_url(subject))
        flash(gettext("The summary has been saved."), "success")
        return redirect(team_page_url(subject))
    return page(
        "summaries/edit.html",
        subject,
        form=form,
        language=language,
        language_name=LANGUAGES[language],
        summary=summary,
        out_of_date=summary is not None and service.is_out_of_date(summary, english.fingerprint),
        english=english,
        confirm=ConfirmForm(lock_version=summary.lock_version) if summary else None,
    )


def _conflict(subject: Subject, language: str, form: SummaryForm, english: English) -> str:
    """A colleague saved, added or removed this summary first: show what is saved now beside
    what this person typed, which stays in the form."""
    db.session.rollback()
    saved = service.get_summary(subject, language)
    # Saving from the conflict page is a deliberate choice to replace what is saved now.
    fresh = saved.lock_version if saved else 0
    form.lock_version.data = fresh
    form.lock_version.raw_data = [str(fresh)]
    return page(
        "summaries/edit.html",
        subject,
        form=form,
        language=language,
        language_name=LANGUAGES[language],
        summary=saved,
        out_of_date=False,
        english=english,
        confirm=None,
        conflict=True,
    )


def _remove(
    kind: SubjectKind, panel_id: int, subject_id: int, language: str
) -> ResponseReturnValue:
    subject = load_subject(kind, panel_id, subject_id)
    language = translated_language(language)
    summary = found_or_404(service.get_summary(subject, language))
    form = ConfirmForm(lock_version=summary.lock_version)
    if form.validate_on_submit():
        try:
            service.remove_summary(summary, form.lock_version.data or 0)
        except EditConflict:
            db.session.rollback()
            flash(gettext("Someone else changed this summary, so it was not removed. Check it."))
        else:
            flash(gettext("The summary has been removed."), "success")
        return redirect(team_page_url(subject))
    return page(
        "summaries/remove.html",
        subject,
        form=form,
        summary=summary,
        language_name=LANGUAGES[language],
    )


def _still_matches(
    kind: SubjectKind, panel_id: int, subject_id: int, language: str
) -> ResponseReturnValue:
    subject = load_subject(kind, panel_id, subject_id)
    language = translated_language(language)
    summary = found_or_404(service.get_summary(subject, language))
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(gettext("Nothing was changed. Try again."))
        return redirect(team_page_url(subject))
    try:
        service.confirm_still_matches(
            subject, summary, current_user.id, form.lock_version.data or 0
        )
    except EditConflict:
        db.session.rollback()
        flash(gettext("Someone else changed this summary, so nothing was changed. Check it."))
    except NothingToSummarise:
        db.session.rollback()
        _not_published()
    else:
        flash(gettext("The summary is marked as matching the English again."), "success")
    return redirect(team_page_url(subject))


# --- drafts: the study team ----------------------------------------------------------------


@bp.route(DRAFT, methods=["GET", "POST"])
@panel_page(Action.DRAFT_EDIT)
@csrf_checked_by_form
def edit_draft_summary(panel_id: int, draft_id: int, language: str) -> ResponseReturnValue:
    return _edit(SubjectKind.DRAFT, panel_id, draft_id, language)


@bp.route(DRAFT + "/remove", methods=["GET", "POST"])
@panel_page(Action.DRAFT_EDIT)
@csrf_checked_by_form
def remove_draft_summary(panel_id: int, draft_id: int, language: str) -> ResponseReturnValue:
    return _remove(SubjectKind.DRAFT, panel_id, draft_id, language)


@bp.post(DRAFT + "/still-matches")
@panel_page(Action.DRAFT_EDIT)
def confirm_draft_summary(panel_id: int, draft_id: int, language: str) -> ResponseReturnValue:
    return _still_matches(SubjectKind.DRAFT, panel_id, draft_id, language)


# --- questionnaires: the study team and the chair ------------------------------------------


@bp.route(QUESTIONNAIRE, methods=["GET", "POST"])
@panel_page(Action.QUESTIONNAIRE_BUILD)
@csrf_checked_by_form
def edit_questionnaire_summary(
    panel_id: int, questionnaire_id: int, language: str
) -> ResponseReturnValue:
    return _edit(SubjectKind.QUESTIONNAIRE, panel_id, questionnaire_id, language)


@bp.route(QUESTIONNAIRE + "/remove", methods=["GET", "POST"])
@panel_page(Action.QUESTIONNAIRE_BUILD)
@csrf_checked_by_form
def remove_questionnaire_summary(
    panel_id: int, questionnaire_id: int, language: str
) -> ResponseReturnValue:
    return _remove(SubjectKind.QUESTIONNAIRE, panel_id, questionnaire_id, language)


@bp.post(QUESTIONNAIRE + "/still-matches")
@panel_page(Action.QUESTIONNAIRE_BUILD)
def confirm_questionnaire_summary(
    panel_id: int, questionnaire_id: int, language: str
) -> ResponseReturnValue:
    return _still_matches(SubjectKind.QUESTIONNAIRE, panel_id, questionnaire_id, language)


# --- meetings: the chair and the study team ------------------------------------------------


@bp.route(MEETING, methods=["GET", "POST"])
@panel_page(Action.MEETING_MANAGE)
@csrf_checked_by_form
def edit_meeting_summary(panel_id: int, meeting_id: int, language: str) -> ResponseReturnValue:
    return _edit(SubjectKind.MEETING, panel_id, meeting_id, language)


@bp.route(MEETING + "/remove", methods=["GET", "POST"])
@panel_page(Action.MEETING_MANAGE)
@csrf_checked_by_form
def remove_meeting_summary(panel_id: int, meeting_id: int, language: str) -> ResponseReturnValue:
    return _remove(SubjectKind.MEETING, panel_id, meeting_id, language)


@bp.post(MEETING + "/still-matches")
@panel_page(Action.MEETING_MANAGE)
def confirm_meeting_summary(panel_id: int, meeting_id: int, language: str) -> ResponseReturnValue:
    return _still_matches(SubjectKind.MEETING, panel_id, meeting_id, language)


def _meeting_page_summaries(meeting: Meeting) -> dict[str, Any]:
    """The meeting page's summary in the reader's language, and for those who arrange the
    meeting, its translated summaries section."""
    subject = Subject(SubjectKind.MEETING, meeting.id, meeting.panel_id, meeting.title)
    manager = access.can(Action.MEETING_MANAGE, meeting.panel_id)
    return {
        "translated_summary": summary_for_reader(SubjectKind.MEETING, meeting.id),
        "summary_subject": subject,
        "summary_rows": service.team_rows(subject) if manager else None,
    }


MEETING_PAGE_SECTIONS.append(_meeting_page_summaries)
