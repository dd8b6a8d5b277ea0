"""Review rounds (study team), on the rounds blueprint. Members' omission-check pages are in
``check_views``; both share the loading helpers in ``loaders``."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import Action, panel_page
from portal.drafts.service import get_draft, get_version, version_numbers
from portal.rounds import service
from portal.rounds.blueprint import bp
from portal.rounds.forms import (
    CloseForm,
    ExtendForm,
    RoundForm,
)
from portal.rounds.loaders import ROUND, load_round, render_round_page, round_url
from portal.security import csrf_checked_by_form

# --- the study team -----------------------------------------------------------------------


@bp.route("/<int:draft_id>/rounds/new", methods=["GET", "POST"])
@panel_page(Action.ROUND_MANAGE)
@csrf_checked_by_form
def new_round(panel_id: int, draft_id: int) -> ResponseReturnValue:
    draft = get_draft(panel_id, draft_id)
    if draft is None:
        abort(404)
    numbers = version_numbers(draft)
    if not numbers:
        flash(gettext("Publish the draft before you open a review round."))
        return redirect(url_for("drafts.show_draft", panel_id=panel_id, draft_id=draft.id))
    form = RoundForm(version=str(numbers[-1]))
    form.set_versions(list(reversed(numbers)))
    if not form.checking_reading_age() and form.validate_on_submit() and form.closes_at is not None:
        version = get_version(draft, int(form.version.data or 0))
        if version is None:
            abort(404)
        review_round = service.open_round(
            panel_id,
            draft,
            version,
            (form.instructions.data or "").strip(),
            form.closes_at,
            current_user.id,
        )
        target = round_url("show_round", review_round)
        flash(gettext("Review round opened. The panel has been emailed."), "success")
        return redirect(target)
    return render_round_page("rounds/new.html", panel_id, draft=draft, form=form)


@bp.get(ROUND)
@panel_page(Action.ROUND_MANAGE)
def show_round(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    draft, review_round = load_round(panel_id, draft_id, round_id)
    return render_round_page(
        "rounds/show.html",
        panel_id,
        draft=draft,
        review_round=review_round,
        progress=service.round_progress(review_round),
    )


@bp.route(ROUND + "/deadline", methods=["GET", "POST"])
@panel_page(Action.ROUND_MANAGE)
@csrf_checked_by_form
def extend_round(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    draft, review_round = load_round(panel_id, draft_id, round_id)
    form = ExtendForm()
    if request.method == "GET":
        form.set_deadline(review_round.closes_at)
    if form.validate_on_submit() and form.closes_at is not None:
        if form.closes_at <= review_round.closes_at and review_round.closed_early_at is None:
            form.day.errors = [gettext("The new deadline must be later than the old one")]
        else:
            service.extend_round(review_round, draft, form.closes_at)
            target = round_url("show_round", review_round)
            flash(gettext("Deadline changed. The panel has been emailed."), "success")
            return redirect(target)
    return render_round_page(
        "rounds/extend.html", panel_id, draft=draft, review_round=review_round, form=form
    )


@bp.route(ROUND + "/close", methods=["GET", "POST"])
@panel_page(Action.ROUND_MANAGE)
@csrf_checked_by_form
def close_round(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    draft, review_round = load_round(panel_id, draft_id, round_id)
    form = CloseForm()
    if form.validate_on_submit():
        service.close_round(review_round)
        target = round_url("show_round", review_round)
        flash(gettext("Review round closed. Nobody can change their answers now."), "success")
        return redirect(target)
    return render_round_page(
        "rounds/close.html", panel_id, draft=draft, review_round=review_round, form=form
    )
