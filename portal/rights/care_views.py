"""Stepping back and reaching out: pause and come back, stop being a member, ask someone to
contact me, and the chair's and study team's list of those requests."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import Action, found_or_404, panel_page
from portal.meetings.forms import parse_date
from portal.panels.service import is_paused
from portal.rights import care
from portal.rights.blueprint import bp
from portal.rights.forms import (
    CONTACT_WAY_LABELS,
    SUPPORT_STATUS_LABELS,
    ConfirmForm,
    ContactMeForm,
    ContactRequestStatusForm,
    PauseForm,
)
from portal.rights.loaders import own_membership, page
from portal.rights.models import ContactWay, SupportStatus
from portal.security import csrf_checked_by_form


@bp.route("/panels/<int:panel_id>/pause", methods=["GET", "POST"])
@panel_page(Action.INVOLVEMENT_STEP_BACK)
@csrf_checked_by_form
def pause(panel_id: int) -> ResponseReturnValue:
    membership = own_membership(panel_id)
    form = PauseForm()
    return_form = ConfirmForm(formdata=None)
    if form.validate_on_submit():
        until: date | None = None
        if form.how_long.data == "date":
            until = parse_date(form.until.data or "")
        try:
            care.pause(membership, until)
        except care.CareProblem as problem:
            form.until.errors = [str(problem)]
        else:
            flash(gettext("Your involvement is paused. Come back whenever you like."), "success")
            return redirect(url_for(".pause", panel_id=panel_id))
    return page(
        "rights/pause.html",
        panel_id,
        form=form,
        return_form=return_form,
        membership=membership,
        paused=is_paused(membership),
    )


@bp.post("/panels/<int:panel_id>/pause/end")
@panel_page(Action.INVOLVEMENT_STEP_BACK)
def come_back(panel_id: int) -> ResponseReturnValue:
    membership = own_membership(panel_id)
    care.come_back(membership)
    flash(gettext("Welcome back. Your involvement is no longer paused."), "success")
    return redirect(url_for("core.home"))


@bp.route("/panels/<int:panel_id>/leave", methods=["GET", "POST"])
@panel_page(Action.INVOLVEMENT_STEP_BACK)
@csrf_checked_by_form
def leave_panel(panel_id: int) -> ResponseReturnValue:
    membership = own_membership(panel_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        care.leave(membership)
        flash(
            gettext("You are no longer a member of this panel. Thank you for all you did."),
            "success",
        )
        return redirect(url_for("core.home"))
    return page("rights/leave.html", panel_id, form=form)


@bp.route("/panels/<int:panel_id>/contact-me", methods=["GET", "POST"])
@panel_page(Action.CONTACT_ASK)
@csrf_checked_by_form
def contact_me(panel_id: int) -> ResponseReturnValue:
    membership = own_membership(panel_id)
    form = ContactMeForm()
    if not form.is_submitted():
        form.contact_way.data = ContactWay.ANY.value
    if form.validate_on_submit():
        care.ask_to_be_contacted(
            membership,
            current_user._get_current_object(),
            form.message.data or "",
            ContactWay(form.contact_way.data),
        )
        flash(gettext("Thank you. Someone from the panel will contact you."), "success")
        return redirect(url_for(".contact_me", panel_id=panel_id))
    return page(
        "rights/contact_me.html",
        panel_id,
        form=form,
        mine=care.own_contact_requests(panel_id, current_user.id),
        status_labels=SUPPORT_STATUS_LABELS,
        way_labels=CONTACT_WAY_LABELS,
    )


@bp.get("/panels/<int:panel_id>/contact-requests")
@panel_page(Action.CONTACT_REQUESTS_MANAGE)
def contact_requests(panel_id: int) -> ResponseReturnValue:
    return page(
        "rights/contact_requests.html",
        panel_id,
        requests=care.contact_requests(panel_id),
        status_labels=SUPPORT_STATUS_LABELS,
        way_labels=CONTACT_WAY_LABELS,
    )


@bp.route("/panels/<int:panel_id>/contact-requests/<int:request_id>", methods=["GET", "POST"])
@panel_page(Action.CONTACT_REQUESTS_MANAGE)
@csrf_checked_by_form
def contact_request(panel_id: int, request_id: int) -> ResponseReturnValue:
    found, code = found_or_404(care.get_contact_request(panel_id, request_id))
    form = ContactRequestStatusForm()
    if not form.is_submitted():
        form.status.data = found.status.value
    if form.validate_on_submit():
        care.set_contact_request_status(found, SupportStatus(form.status.data), current_user.id)
        flash(gettext("Request saved."), "success")
        return redirect(url_for(".contact_requests", panel_id=panel_id))
    return page(
        "rights/contact_request.html",
        panel_id,
        found=found,
        code=code,
        form=form,
        way_labels=CONTACT_WAY_LABELS,
    )
