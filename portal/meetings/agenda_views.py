"""Agenda items, papers and the pre-meeting pack.

The chair and the study team build the agenda and add papers; the chair publishes the pack
(agenda, papers and a summary of the previous meeting's results) and the worker emails it to
members when it is due. Members read the pack and download papers once it is published.
"""

from __future__ import annotations

import io

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal import access
from portal.access import Action, found_or_404, panel_page
from portal.extensions import db
from portal.meetings import agenda, packs, paper_files, papers
from portal.meetings.blueprint import bp
from portal.meetings.loaders import MEETING, MEETING_PAGE_SECTIONS, load_meeting, meeting_page_url
from portal.meetings.models import AgendaItem, Meeting, Paper
from portal.meetings.papers import PaperProblem, Upload
from portal.meetings.papers_forms import (
    AgendaItemForm,
    ConfirmForm,
    PaperForm,
    PreviousResultsForm,
)
from portal.panels.service import get_panel
from portal.security import csrf_checked_by_form


def _load_item(meeting: Meeting, agenda_item_id: int) -> AgendaItem:
    return found_or_404(agenda.get_agenda_item(meeting, agenda_item_id))


def _load_paper(meeting: Meeting, paper_id: int) -> Paper:
    return found_or_404(papers.get_paper(meeting, paper_id))


def _page(template: str, panel_id: int, meeting: Meeting, **context: object) -> str:
    return render_template(
        template,
        panel=get_panel(panel_id),
        meeting=meeting,
        meeting_url=meeting_page_url(panel_id, meeting.id),
        **context,
    )


def _agenda_url(meeting: Meeting, anchor: str | None = None) -> str:
    return url_for(
        "meetings.edit_agenda", panel_id=meeting.panel_id, meeting_id=meeting.id, _anchor=anchor
    )


@bp.get(f"{MEETING}/agenda")
@panel_page(Action.AGENDA_MANAGE)
def edit_agenda(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id, with_agenda=True)
    return _page(
        "meetings/agenda_edit.html",
        panel_id,
        meeting,
        papers_by_item=papers.papers_by_item(meeting),
        total_minutes=agenda.total_minutes(meeting.agenda_items),
        confirm=ConfirmForm(),
    )


@bp.route(f"{MEETING}/agenda/items/new", methods=["GET", "POST"])
@panel_page(Action.AGENDA_MANAGE)
@csrf_checked_by_form
def new_agenda_item(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    form = AgendaItemForm(minutes=10)
    if not form.checking_reading_age() and form.validate_on_submit():
        item = agenda.add_agenda_item(meeting, form.details())
        flash(gettext("Agenda item added."), "success")
        return redirect(_agenda_url(meeting, f"agenda-item-{item.id}"))
    return _page("meetings/agenda_item.html", panel_id, meeting, form=form, item=None)


@bp.route(f"{MEETING}/agenda/items/<int:agenda_item_id>/edit", methods=["GET", "POST"])
@panel_page(Action.AGENDA_MANAGE)
@csrf_checked_by_form
def edit_agenda_item(panel_id: int, meeting_id: int, agenda_item_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    item = _load_item(meeting, agenda_item_id)
    form = AgendaItemForm(obj=item if request.method == "GET" else None)
    if not form.checking_reading_age() and form.validate_on_submit():
        agenda.update_agenda_item(item, form.details())
        flash(gettext("Your changes have been saved."), "success")
        return redirect(_agenda_url(meeting, f"agenda-item-{item.id}"))
    return _page("meetings/agenda_item.html", panel_id, meeting, form=form, item=item)


@bp.post(f"{MEETING}/agenda/items/<int:agenda_item_id>/move")
@panel_page(Action.AGENDA_MANAGE)
@csrf_checked_by_form
def move_agenda_item(panel_id: int, meeting_id: int, agenda_item_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    item = _load_item(meeting, agenda_item_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down") or not ConfirmForm().validate_on_submit():
        abort(400)
    agenda.move_agenda_item(meeting, item, direction)
    return redirect(_agenda_url(meeting, f"agenda-item-{item.id}"))


@bp.route(f"{MEETING}/agenda/items/<int:agenda_item_id>/remove", methods=["GET", "POST"])
@panel_page(Action.AGENDA_MANAGE)
@csrf_checked_by_form
def remove_agenda_item(panel_id: int, meeting_id: int, agenda_item_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    item = _load_item(meeting, agenda_item_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        agenda.remove_agenda_item(meeting, item)
        flash(gettext("Agenda item removed."), "success")
        return redirect(_agenda_url(meeting))
    return _page("meetings/agenda_remove_item.html", panel_id, meeting, form=form, item=item)


def _paper_form(meeting: Meeting, paper: Paper | None) -> PaperForm:
    form = PaperForm(obj=paper if paper is not None and request.method == "GET" else None)
    if paper is not None and request.method == "GET":
        form.agenda_item_id.data = str(paper.agenda_item_id or "")
        form.draft_id.data = str(paper.draft_id or "")
        form.source.data = "draft" if paper.draft_id and not paper.files else "file"
    items = [(item.id, item.title) for item in meeting.agenda_items]
    drafts = [(draft.id, draft.title) for draft in papers.linkable_drafts(meeting.panel_id)]
    form.set_choices(items, drafts)
    return form


def _upload_from(form: PaperForm) -> Upload | None:
    storage = form.file.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return Upload(filename=storage.filename, data=storage.read())


@bp.route(f"{MEETING}/papers/new", methods=["GET", "POST"])
@panel_page(Action.AGENDA_MANAGE)
@csrf_checked_by_form
def new_paper(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id, with_agenda=True)
    form = _paper_form(meeting, None)
    if request.method == "GET" and request.args.get("item", "").isdigit():
        form.agenda_item_id.data = request.args["item"]
    if form.validate_on_submit():
        upload = _upload_from(form) if form.source.data == "file" else None
        try:
            if form.source.data == "file" and upload is None:
                raise PaperProblem(gettext("Choose a file to upload"))
            if form.source.data == "draft" and form.chosen_draft is None:
                form.draft_id.errors = [gettext("Choose the draft to use as the paper")]
            else:
                paper = papers.add_paper(
                    meeting,
                    (form.title.data or "").strip(),
                    form.chosen_item,
                    current_user.id,
                    upload=upload,
                    draft_id=form.chosen_draft,
                )
                flash(gettext("Paper added."), "success")
                return redirect(_agenda_url(meeting, f"paper-{paper.id}"))
        except PaperProblem as problem:
            db.session.rollback()
            form.file.errors = [str(problem)]
    return _page("meetings/paper_form.html", panel_id, meeting, form=form, paper=None)


@bp.route(f"{MEETING}/papers/<int:paper_id>/edit", methods=["GET", "POST"])
@panel_page(Action.AGENDA_MANAGE)
@csrf_checked_by_form
def edit_paper(panel_id: int, meeting_id: int, paper_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id, with_agenda=True)
    paper = _load_paper(meeting, paper_id)
    form = _paper_form(meeting, paper)
    valid = form.validate_on_submit()
    if valid and not paper.files and form.chosen_draft is None:
        form.draft_id.errors = [gettext("Choose the draft to use as the paper")]
        valid = False
    if valid:
        upload = _upload_from(form)
        try:
            papers.update_paper(
                paper, (form.title.data or "").strip(), form.chosen_item, form.chosen_draft
            )
            if upload is not None:
                papers.replace_paper_file(paper, upload, current_user.id)
        except PaperProblem as problem:
            db.session.rollback()
            form.file.errors = [str(problem)]
            paper = _load_paper(meeting, paper_id)
        else:
            flash(
                gettext("New version uploaded. The old one is kept.")
                if upload is not None
                else gettext("Your changes have been saved."),
                "success",
            )
            return redirect(_agenda_url(meeting, f"paper-{paper.id}"))
    return _page("meetings/paper_form.html", panel_id, meeting, form=form, paper=paper)


@bp.route(f"{MEETING}/papers/<int:paper_id>/remove", methods=["GET", "POST"])
@panel_page(Action.AGENDA_MANAGE)
@csrf_checked_by_form
def remove_paper(panel_id: int, meeting_id: int, paper_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    paper = _load_paper(meeting, paper_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        stored = papers.remove_paper(paper)
        for name in stored:
            paper_files.discard(name)
        flash(gettext("Paper removed."), "success")
        return redirect(_agenda_url(meeting))
    return _page("meetings/paper_remove.html", panel_id, meeting, form=form, paper=paper)


def _may_read_pack(meeting: Meeting) -> bool:
    """The team always; everyone else in the panel once the chair has published the pack."""
    return access.can(Action.AGENDA_MANAGE, meeting.panel_id) or packs.pack_is_published(meeting)


def _send_paper(paper: Paper, version: int | None) -> ResponseReturnValue:
    record = papers.file_version(paper, version)
    if record is None:
        abort(404)
    try:
        path = paper_files.path_of(record.stored_name)
        if not path.is_file():
            raise FileNotFoundError(record.stored_name)
    except FileNotFoundError:
        current_app.logger.error("paper file %s is missing", record.stored_name)
        abort(404)
    # Read whole (papers are small, capped by PAPERS_MAX_MB) so no open file outlives the request.
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=record.content_type,
        as_attachment=True,
        download_name=record.original_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get(f"{MEETING}/papers/<int:paper_id>/download")
@panel_page(Action.PACK_READ)
def download_paper(panel_id: int, meeting_id: int, paper_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    if not _may_read_pack(meeting):
        abort(404)
    paper = _load_paper(meeting, paper_id)
    return _send_paper(paper, None)


@bp.get(f"{MEETING}/papers/<int:paper_id>/versions/<int:file_version>/download")
@panel_page(Action.AGENDA_MANAGE)
def download_paper_version(
    panel_id: int, meeting_id: int, paper_id: int, file_version: int
) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    paper = _load_paper(meeting, paper_id)
    return _send_paper(paper, file_version)


@bp.get(f"{MEETING}/pack")
@panel_page(Action.PACK_READ)
def show_pack(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id, with_agenda=True)
    return _page(
        "meetings/pack_show.html",
        panel_id,
        meeting,
        readable=_may_read_pack(meeting),
        papers_by_item=papers.papers_by_item(meeting),
        total_minutes=agenda.total_minutes(meeting.agenda_items),
    )


@bp.route(f"{MEETING}/pack/publish", methods=["GET", "POST"])
@panel_page(Action.PACK_PUBLISH)
@csrf_checked_by_form
def publish_pack(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id, with_agenda=True)
    form = PreviousResultsForm(
        summary=meeting.previous_results_summary if request.method == "GET" else None
    )
    if not meeting.agenda_items:
        flash(gettext("Add at least one agenda item before you publish the pack."))
        return redirect(_agenda_url(meeting))
    if not form.checking_reading_age() and form.validate_on_submit():
        first_time = not packs.pack_is_published(meeting)
        packs.publish_pack(meeting, (form.summary.data or "").strip())
        flash(
            gettext("Pack published. Members can read it now and will get it by email.")
            if first_time
            else gettext("Summary updated."),
            "success",
        )
        return redirect(url_for("meetings.show_pack", panel_id=panel_id, meeting_id=meeting.id))
    return _page(
        "meetings/pack_publish.html",
        panel_id,
        meeting,
        form=form,
        total_minutes=agenda.total_minutes(meeting.agenda_items),
        days_before=current_app.config["PACK_DAYS_BEFORE"],
    )


def _meeting_page_agenda_and_papers(meeting: Meeting) -> dict[str, object]:
    return packs.meeting_page_sections(meeting, access.can(Action.AGENDA_MANAGE, meeting.panel_id))


MEETING_PAGE_SECTIONS.append(_meeting_page_agenda_and_papers)
