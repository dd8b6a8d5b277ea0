"""Draft pages: the study team edits and publishes; everyone in the panel reads versions.

Each route carries its access rule. Each view: load (404 when the draft is not in the URL's
panel) → call the service → redirect, or render; the request's commit point commits.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal import access
from portal.access import Action, found_or_404, panel_page
from portal.db import utcnow
from portal.drafts import service
from portal.drafts.blueprint import bp
from portal.drafts.compare import compare_versions
from portal.drafts.forms import FIELD_LABELS, KIND_LABELS, ConfirmForm, DraftForm, ItemForm
from portal.drafts.models import Draft, DraftItem
from portal.drafts.service import EditConflict
from portal.extensions import db
from portal.feedback.comments import comments_on_version
from portal.ids import number_in_range
from portal.panels.service import get_panel, sites_of
from portal.rounds.service import open_round_on, rounds_for_draft
from portal.security import csrf_checked_by_form
from portal.summaries import service as summaries
from portal.summaries.loaders import summary_for_reader
from portal.summaries.models import SubjectKind


def _load_draft(panel_id: int, draft_id: int, with_items: bool = False) -> Draft:
    return found_or_404(service.get_draft(panel_id, draft_id, with_items=with_items))


def _load_item(draft: Draft, item_id: int) -> DraftItem:
    return found_or_404(service.get_item(draft, item_id))


def _page(template: str, panel_id: int, **context: object) -> str:
    return render_template(template, panel=get_panel(panel_id), kind_labels=KIND_LABELS, **context)


@bp.get("")
@panel_page(Action.DRAFT_READ)
def list_drafts(panel_id: int) -> ResponseReturnValue:
    editor = access.can(Action.DRAFT_EDIT, panel_id)
    drafts = service.drafts_in_panel(panel_id, published_only=not editor)
    return _page("drafts/list.html", panel_id, drafts=drafts)


@bp.route("/new", methods=["GET", "POST"])
@panel_page(Action.DRAFT_EDIT)
@csrf_checked_by_form
def new_draft(panel_id: int) -> ResponseReturnValue:
    form = DraftForm(lock_version=0)
    form.set_sites([(site.id, site.name) for site in sites_of(panel_id)])
    if not form.checking_reading_age() and form.validate_on_submit():
        draft = service.create_draft(panel_id, form.details(), current_user.id)
        flash(gettext("Draft created. Now add its items."), "success")
        return redirect(url_for(".show_draft", panel_id=panel_id, draft_id=draft.id))
    return _page("drafts/edit_draft.html", panel_id, form=form, draft=None)


@bp.get("/<int:draft_id>")
@panel_page(Action.DRAFT_READ)
def show_draft(panel_id: int, draft_id: int) -> ResponseReturnValue:
    draft = _load_draft(panel_id, draft_id, with_items=True)
    if not access.can(Action.DRAFT_EDIT, panel_id):
        if draft.latest_version_number == 0:
            abort(404)
        return redirect(
            url_for(
                ".show_version",
                panel_id=panel_id,
                draft_id=draft.id,
                number=draft.latest_version_number,
            )
        )
    subject = summaries.Subject(SubjectKind.DRAFT, draft.id, draft.panel_id, draft.title)
    return _page(
        "drafts/working_copy.html",
        panel_id,
        draft=draft,
        confirm=ConfirmForm(lock_version=draft.lock_version),
        versions=service.version_numbers(draft),
        rounds=rounds_for_draft(draft.id),
        now=utcnow(),
        summary_subject=subject,
        summary_rows=summaries.team_rows(subject),
        summarisable=draft.latest_version_number > 0,
    )


def _conflict(panel_id: int, draft: Draft, form: DraftForm | ItemForm, **context: object) -> str:
    """Someone saved first: show what is saved now beside what this person typed."""
    db.session.rollback()
    fresh = _load_draft(panel_id, draft.id, with_items=True)
    # Saving from the conflict page is a deliberate choice to replace what is saved now.
    form.lock_version.data = fresh.lock_version
    form.lock_version.raw_data = [str(fresh.lock_version)]
    return _page("drafts/conflict.html", panel_id, draft=fresh, form=form, **context)


@bp.route("/<int:draft_id>/edit", methods=["GET", "POST"])
@panel_page(Action.DRAFT_EDIT)
@csrf_checked_by_form
def edit_draft(panel_id: int, draft_id: int) -> ResponseReturnValue:
    draft = _load_draft(panel_id, draft_id)
    form = DraftForm(
        obj=draft if request.method == "GET" else None,
        kind=draft.kind.value,
        site_id=str(draft.site_id or ""),
    )
    form.set_sites([(site.id, site.name) for site in sites_of(panel_id)])
    if not form.checking_reading_age() and form.validate_on_submit():
        try:
            service.update_draft(draft, form.details(), form.lock_version.data or 0)
        except EditConflict:
            return _conflict(panel_id, draft, form, editing="details"), 409
        flash(gettext("Your changes have been saved."), "success")
        return redirect(url_for(".show_draft", panel_id=panel_id, draft_id=draft.id))
    return _page("drafts/edit_draft.html", panel_id, form=form, draft=draft)


@bp.route("/<int:draft_id>/items/new", methods=["GET", "POST"])
@panel_page(Action.DRAFT_EDIT)
@csrf_checked_by_form
def new_item(panel_id: int, draft_id: int) -> ResponseReturnValue:
    draft = _load_draft(panel_id, draft_id)
    form = ItemForm(lock_version=draft.lock_version)
    if not form.checking_reading_age() and form.validate_on_submit():
        try:
            service.add_item(draft, form.details(), form.lock_version.data or 0)
        except EditConflict:
            return _conflict(panel_id, draft, form, editing="new item"), 409
        flash(gettext("Item added."), "success")
        return redirect(url_for(".show_draft", panel_id=panel_id, draft_id=draft.id))
    return _page("drafts/edit_item.html", panel_id, form=form, draft=draft, item=None)


@bp.route("/<int:draft_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@panel_page(Action.DRAFT_EDIT)
@csrf_checked_by_form
def edit_item(panel_id: int, draft_id: int, item_id: int) -> ResponseReturnValue:
    draft = _load_draft(panel_id, draft_id)
    item = _load_item(draft, item_id)
    form = ItemForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.lock_version.data = draft.lock_version
    if not form.checking_reading_age() and form.validate_on_submit():
        try:
            service.update_item(draft, item, form.details(), form.lock_version.data or 0)
        except EditConflict:
            return _conflict(panel_id, draft, form, editing="item", item_id=item_id), 409
        flash(gettext("Your changes have been saved."), "success")
        return redirect(url_for(".show_draft", panel_id=panel_id, draft_id=draft.id))
    return _page("drafts/edit_item.html", panel_id, form=form, draft=draft, item=item)


@bp.post("/<int:draft_id>/items/<int:item_id>/move")
@panel_page(Action.DRAFT_EDIT)
@csrf_checked_by_form
def move_item(panel_id: int, draft_id: int, item_id: int) -> ResponseReturnValue:
    draft = _load_draft(panel_id, draft_id)
    item = _load_item(draft, item_id)
    form = ConfirmForm()
    direction = request.form.get("direction")
    if direction not in ("up", "down") or not form.validate_on_submit():
        abort(400)
    try:
        service.move_item(draft, item, direction, form.lock_version.data or 0)
    except EditConflict:
        db.session.rollback()
        flash(gettext("Someone else changed this draft, so nothing was moved. Try again."))
    return redirect(
        url_for(".show_draft", panel_id=panel_id, draft_id=draft.id, _anchor=f"item-{item.id}")
    )


@bp.route("/<int:draft_id>/items/<int:item_id>/remove", methods=["GET", "POST"])
@panel_page(Action.DRAFT_EDIT)
@csrf_checked_by_form
def remove_item(panel_id: int, draft_id: int, item_id: int) -> ResponseReturnValue:
    draft = _load_draft(panel_id, draft_id)
    item = _load_item(draft, item_id)
    form = ConfirmForm(lock_version=draft.lock_version)
    if form.validate_on_submit():
        try:
            service.remove_item(draft, item, form.lock_version.data or 0)
        except EditConflict:
            db.session.rollback()
            flash(gettext("Someone else changed this draft, so nothing was removed. Check it."))
        else:
            flash(gettext("Item removed."), "success")
        return redirect(url_for(".show_draft", panel_id=panel_id, draft_id=draft.id))
    return _page("drafts/remove_item.html", panel_id, form=form, draft=draft, item=item)


@bp.route("/<int:draft_id>/publish", methods=["GET", "POST"])
@panel_page(Action.DRAFT_EDIT)
@csrf_checked_by_form
def publish_draft(panel_id: int, draft_id: int) -> ResponseReturnValue:
    draft = _load_draft(panel_id, draft_id, with_items=True)
    form = ConfirmForm(lock_version=draft.lock_version)
    if not draft.items:
        flash(gettext("Add at least one item before you publish."))
        return redirect(url_for(".show_draft", panel_id=panel_id, draft_id=draft.id))
    if form.validate_on_submit():
        try:
            version = service.publish(draft, current_user.id, form.lock_version.data or 0)
        except EditConflict:
            db.session.rollback()
            flash(gettext("Someone else changed this draft. Check it before you publish."))
            return redirect(url_for(".show_draft", panel_id=panel_id, draft_id=draft.id))
        flash(gettext("Version %(number)d published.", number=version.number), "success")
        return redirect(
            url_for(".show_version", panel_id=panel_id, draft_id=draft.id, number=version.number)
        )
    return _page("drafts/publish.html", panel_id, form=form, draft=draft)


@bp.get("/<int:draft_id>/versions/<int:number>")
@panel_page(Action.DRAFT_READ)
def show_version(panel_id: int, draft_id: int, number: int) -> ResponseReturnValue:
    draft = _load_draft(panel_id, draft_id)
    version = service.get_version(draft, number)
    if version is None:
        abort(404)
    return _page(
        "drafts/version.html",
        panel_id,
        draft=draft,
        version=version,
        versions=service.version_numbers(draft),
        open_round=open_round_on(version),
        # Summaries are written against the latest published version, shown beside it.
        translated_summary=summary_for_reader(SubjectKind.DRAFT, draft.id)
        if version.number == draft.latest_version_number
        else None,
        comments=comments_on_version(
            version, current_user.id, study_team=access.can(Action.TRIAGE_MANAGE, panel_id)
        ),
    )


@bp.get("/<int:draft_id>/compare", endpoint="compare_versions")
@panel_page(Action.DRAFT_READ)
def compare_versions_page(panel_id: int, draft_id: int) -> ResponseReturnValue:
    draft = _load_draft(panel_id, draft_id)
    numbers = service.version_numbers(draft)
    if len(numbers) < 2:
        abort(404)
    old_number = request.args.get("from", type=number_in_range) or numbers[-2]
    new_number = request.args.get("to", type=number_in_range) or numbers[-1]
    old = service.get_version(draft, old_number)
    new = service.get_version(draft, new_number)
    if old is None or new is None:
        abort(404)
    return _page(
        "drafts/compare.html",
        panel_id,
        draft=draft,
        old=old,
        new=new,
        versions=numbers,
        comparisons=compare_versions(old, new),
        field_labels=FIELD_LABELS,
    )
