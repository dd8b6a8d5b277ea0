"""The study team's inbox and triage page, and a member's "My feedback" page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_translations, gettext, ngettext
from flask_login import current_user

from portal.access import Action, found_or_404, panel_page
from portal.extensions import db
from portal.feedback import triage
from portal.feedback.blueprint import bp
from portal.feedback.forms import (
    MEMBER_STATUS_LABELS,
    STATUS_LABELS,
    BulkTriageForm,
    ConfirmForm,
    TriageForm,
)
from portal.feedback.loaders import page
from portal.feedback.models import EntryKind, TriageStatus
from portal.feedback.my_feedback import mark_responses_seen, my_feedback_page
from portal.rights.care import open_contact_request_count
from portal.security import csrf_checked_by_form
from portal.templating import london_time


def kind_labels() -> dict[EntryKind, str]:
    return {
        EntryKind.COMMENT: gettext("Comment"),
        EntryKind.ITEM_ANSWER: gettext("Comment on an item"),
        EntryKind.MISSING_ACTION: gettext("Something missing"),
        EntryKind.REWORDING: gettext("Change of wording"),
        EntryKind.GENERAL: gettext("General comment"),
    }


def _in_words(labels: dict[TriageStatus, Any]) -> dict[TriageStatus, str]:
    """Status labels translated once for the page, so each row's tag reads plain words rather
    than translating a lazy label again (the tag is kept by its words: portal.components)."""
    return {status: str(label) for status, label in labels.items()}


@dataclass(frozen=True)
class InboxLine:
    """An entry as the inbox lists it, every sentence already written in the reader's
    language (``templates/feedback/inbox.html`` only places them)."""

    id: int
    heading: str
    choose: str
    author: str
    when: str
    draft: str
    item: str
    status: TriageStatus
    assigned: str
    answered: bool
    quote: str
    withdrawn: bool
    preview_html: str


def _inbox_lines(rows: list[triage.InboxRow]) -> list[InboxLine]:
    """The page's entries as the inbox lists them. Each sentence is translated once for the
    page and filled in for each entry (the page's template escapes what it shows), rather
    than translated again in the template for each of 25 rows."""
    words = get_translations()
    kinds = kind_labels()
    heading = words.gettext("Entry %(number)d: %(kind)s")
    choose = words.gettext("Choose entry %(number)d")
    author = words.gettext("From %(name)s")
    draft = words.gettext("Draft: %(title)s")
    item = words.gettext("Item: %(title)s")
    assigned = words.gettext("Assigned to %(name)s")
    nobody = words.gettext("Not assigned")
    quote = (words.gettext("Not to be quoted"), words.gettext("May be quoted"))
    lines = []
    for row in rows:
        entry = row.entry
        who = author % {"name": entry.author.display_name}
        lines.append(
            InboxLine(
                id=entry.id,
                heading=heading % {"number": entry.id, "kind": kinds[entry.kind]},
                choose=choose % {"number": entry.id},
                author=f"{who} ({row.pseudonym_code})" if row.pseudonym_code else who,
                when=london_time(entry.created_at, "d MMMM yyyy"),
                draft=draft % {"title": entry.draft.title} if entry.draft else "",
                item=item % {"title": entry.item_title} if entry.item_title else "",
                status=entry.status,
                assigned=assigned % {"name": entry.assignee.display_name}
                if entry.assignee
                else nobody,
                answered=bool(entry.response),
                quote=quote[row.quote_consent],
                withdrawn=entry.withdrawn,
                preview_html=entry.preview_html,
            )
        )
    return lines


def _number(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _filters() -> triage.InboxFilters:
    """The inbox filters from the URL; anything that does not make sense is ignored."""
    status = request.args.get("status", "")
    return triage.InboxFilters(
        draft_id=_number("draft"),
        site_id=_number("site"),
        round_id=_number("round"),
        status=TriageStatus(status) if status in TriageStatus._value2member_map_ else None,
        assignee_id=_number("assignee"),
    )


def _inbox(panel_id: int, form: BulkTriageForm) -> str:
    filters = _filters()
    inbox = triage.inbox_page(panel_id, filters, _number("page") or 1)
    return page(
        "feedback/inbox.html",
        panel_id,
        filters=filters,
        choices=triage.filter_choices(panel_id),
        inbox=inbox,
        lines=_inbox_lines(inbox.rows),
        form=form,
        status_labels=_in_words(STATUS_LABELS),
        contact_requests=open_contact_request_count(panel_id),
    )


@bp.get("/inbox")
@panel_page(Action.TRIAGE_MANAGE)
def inbox(panel_id: int) -> ResponseReturnValue:
    return _inbox(panel_id, BulkTriageForm(formdata=None))


@bp.post("/inbox/change-status")
@panel_page(Action.TRIAGE_MANAGE)
@csrf_checked_by_form
def bulk_triage(panel_id: int) -> ResponseReturnValue:
    form = BulkTriageForm()
    if not form.validate_on_submit():
        return _inbox(panel_id, form)
    status = TriageStatus(form.status.data)
    changed = triage.bulk_set_status(
        panel_id, form.entry_ids.data or [], status, (form.reason.data or "").strip()
    )
    flash(
        ngettext(
            "%(num)d entry changed to %(status)s.",
            "%(num)d entries changed to %(status)s.",
            changed,
            status=STATUS_LABELS[status],
        ),
        "success",
    )
    return redirect(url_for(".inbox", panel_id=panel_id, **_filters().as_query()))


def _load_entry(panel_id: int, entry_id: int) -> triage.InboxRow:
    return found_or_404(triage.get_entry(panel_id, entry_id))


@bp.route("/inbox/<int:entry_id>", methods=["GET", "POST"])
@panel_page(Action.TRIAGE_MANAGE)
@csrf_checked_by_form
def triage_entry(panel_id: int, entry_id: int) -> ResponseReturnValue:
    row = _load_entry(panel_id, entry_id)
    entry = row.entry
    researchers = triage.researchers_of(panel_id)
    form = TriageForm()
    form.set_researchers(researchers)
    if not form.is_submitted():
        form.lock_version.data = entry.lock_version
        form.status.data = entry.status.value
        form.reason.data = entry.reason
        form.duplicate_of.data = entry.duplicate_of_id
        form.assignee_id.data = str(entry.assignee_id or "")
        form.response.data = entry.response
        form.quoted.data = entry.quoted_at is not None
    context = {"status_labels": _in_words(STATUS_LABELS), "kind_labels": kind_labels()}
    if form.validate_on_submit():
        try:
            triage.triage_entry(
                entry, form.decision(), form.lock_version.data or 0, current_user.id
            )
        except triage.TriageConflict:
            db.session.rollback()
            fresh = _load_entry(panel_id, entry_id)
            # Saving from the conflict page is a deliberate choice to replace what is saved now.
            form.lock_version.data = fresh.entry.lock_version
            form.lock_version.raw_data = [str(fresh.entry.lock_version)]
            html = page("feedback/triage_conflict.html", panel_id, row=fresh, form=form, **context)
            return html, 409
        except triage.TriageProblem as problem:
            db.session.rollback()
            form[problem.field].errors = [problem.message]
            row = _load_entry(panel_id, entry_id)
        else:
            flash(gettext("Entry %(number)d saved.", number=entry_id), "success")
            return redirect(url_for(".inbox", panel_id=panel_id))
    return page("feedback/triage_entry.html", panel_id, row=row, form=form, **context)


@bp.get("/my-feedback")
@panel_page(Action.FEEDBACK_OWN)
def my_feedback(panel_id: int) -> ResponseReturnValue:
    return page(
        "feedback/my_feedback.html",
        panel_id,
        feedback=my_feedback_page(panel_id, current_user.id, _number("page") or 1),
        status_labels=_in_words(MEMBER_STATUS_LABELS),
        kind_labels=kind_labels(),
        form=ConfirmForm(),
    )


@bp.post("/my-feedback/read")
@panel_page(Action.RESPONSES_MARK_READ)
@csrf_checked_by_form
def mark_responses_read(panel_id: int) -> ResponseReturnValue:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    mark_responses_seen(panel_id, current_user.id)
    flash(gettext("Answers marked as read."), "success")
    return redirect(url_for(".my_feedback", panel_id=panel_id))
