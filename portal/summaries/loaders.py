"""What the summaries pages and other domains' pages share: loading a summary's subject from the
URL (another panel's is a 404), and the summary a member reads in their own language."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import get_locale

from portal.access import found_or_404
from portal.drafts.service import get_draft
from portal.languages import TRANSLATED, direction
from portal.meetings.service import get_meeting
from portal.panels.service import get_panel
from portal.questionnaires.service import get_questionnaire
from portal.summaries import service
from portal.summaries.models import SubjectKind
from portal.summaries.service import ReaderSummary, Subject

TEAM_PAGES = {
    SubjectKind.DRAFT: "drafts.show_draft",
    SubjectKind.QUESTIONNAIRE: "questionnaires.show_questionnaire",
    SubjectKind.MEETING: "meetings.show_meeting",
}
SECTION = "translated-summaries"


def load_subject(kind: SubjectKind, panel_id: int, subject_id: int) -> Subject:
    """The draft, questionnaire or meeting named by the URL if it is in the URL's panel, or 404."""
    if kind is SubjectKind.DRAFT:
        title = found_or_404(get_draft(panel_id, subject_id)).title
    elif kind is SubjectKind.QUESTIONNAIRE:
        title = found_or_404(get_questionnaire(panel_id, subject_id)).title
    else:
        title = found_or_404(get_meeting(panel_id, subject_id)).title
    return Subject(kind=kind, id=subject_id, panel_id=panel_id, title=title)


def translated_language(language: str) -> str:
    """The language from the URL if the portal has summaries in it, or 404."""
    if language not in TRANSLATED:
        abort(404)
    return language


def team_page_url(subject: Subject) -> str:
    """The subject's team page, at its translated summaries section."""
    return url_for(TEAM_PAGES[subject.kind], _anchor=SECTION, **subject.url_args)


def page(template: str, subject: Subject, **context: object) -> str:
    return render_template(
        template,
        panel=get_panel(subject.panel_id),
        subject=subject,
        team_page=team_page_url(subject),
        direction=direction,
        **context,
    )


def reader_language() -> str:
    """The language the signed-in person reads the portal in now."""
    locale = get_locale()
    return locale.language if locale is not None else ""


def summary_for_reader(kind: SubjectKind, subject_id: int) -> ReaderSummary | None:
    """The summary in the reader's language beside the English, if there is one."""
    return service.reader_summary(kind, subject_id, reader_language())
