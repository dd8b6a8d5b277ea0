"""The study team's payment batches: make one from approved entries, enter each person's
voucher code or transfer reference and the thank-you words, and mark it paid."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import Action, found_or_404, panel_page
from portal.extensions import db
from portal.involvement import batches
from portal.involvement.blueprint import bp
from portal.involvement.entries import london_today
from portal.involvement.loaders import page
from portal.involvement.models import BatchStatus, PaymentBatch, PayMethod
from portal.involvement.team_forms import BatchForm, NewBatchForm, PaidForm
from portal.security import csrf_checked_by_form

TEAM = "/panels/<int:panel_id>/payments"

DEFAULT_THANK_YOU = (
    "Thank you for taking part in our Lived Experience Advisory Panel. What you tell us "
    "changes how the study is done."
)


def _method() -> PayMethod:
    value = request.values.get("method", "")
    return PayMethod(value) if value in PayMethod._value2member_map_ else PayMethod.VOUCHER


@bp.get(f"{TEAM}/batches")
@panel_page(Action.INVOLVEMENT_VIEW_ALL)
def list_batches(panel_id: int) -> ResponseReturnValue:
    return page("involvement/batches.html", panel_id, batches=batches.batches_of(panel_id))


@bp.route(f"{TEAM}/batches/new", methods=["GET", "POST"])
@panel_page(Action.PAYMENT_MANAGE)
@csrf_checked_by_form
def new_batch(panel_id: int) -> ResponseReturnValue:
    method = _method()
    form = NewBatchForm()
    if not form.is_submitted():
        form.method.data = method.value
    ready = batches.approved_for_method(panel_id, method)
    if form.validate_on_submit():
        try:
            batch = batches.create_batch(
                panel_id, method, form.entry_ids.data or [], current_user.id
            )
        except batches.BatchProblem:
            db.session.rollback()
            form.entry_ids.errors = [
                gettext(
                    "Someone has just put some of these entries in another batch, or they are "
                    "no longer approved. Nothing was changed: check the list and try again."
                )
            ]
            ready = batches.approved_for_method(panel_id, method)
        else:
            batch.thank_you = DEFAULT_THANK_YOU
            flash(gettext("Batch made. Now enter each person's code or reference."), "success")
            return redirect(url_for(".show_batch", panel_id=panel_id, batch_id=batch.id))
    return page("involvement/batch_new.html", panel_id, form=form, method=method, ready=ready)


def _load_batch(panel_id: int, batch_id: int) -> PaymentBatch:
    return found_or_404(batches.get_batch(panel_id, batch_id))


def _batch_page(panel_id: int, batch: PaymentBatch, form: BatchForm) -> str:
    return page(
        "involvement/batch.html",
        panel_id,
        batch=batch,
        form=form,
        grouped=batches.batch_entries(batch),
        names={payment.user_id: payment.user.display_name for payment in batch.payments},
    )


@bp.route(f"{TEAM}/batches/<int:batch_id>", methods=["GET", "POST"])
@panel_page(Action.PAYMENT_MANAGE)
@csrf_checked_by_form
def show_batch(panel_id: int, batch_id: int) -> ResponseReturnValue:
    batch = _load_batch(panel_id, batch_id)
    form = BatchForm()
    if not form.is_submitted():
        for payment in batch.payments:
            form.references.append_entry(
                {"user_id": str(payment.user_id), "reference": payment.reference}
            )
        form.thank_you.data = batch.thank_you
    if form.is_submitted() and batch.status is not BatchStatus.OPEN:
        flash(gettext("This batch has been paid, so it cannot be changed."))
        return redirect(url_for(".show_batch", panel_id=panel_id, batch_id=batch.id))
    if form.validate_on_submit():
        references = {
            int(entry.form.user_id.data): entry.form.reference.data or ""
            for entry in form.references
            if (entry.form.user_id.data or "").isdigit()
        }
        batches.save_batch(batch, references, (form.thank_you.data or "").strip())
        flash(gettext("Saved."), "success")
        return redirect(url_for(".show_batch", panel_id=panel_id, batch_id=batch.id))
    return _batch_page(panel_id, batch, form)


@bp.route(f"{TEAM}/batches/<int:batch_id>/paid", methods=["GET", "POST"])
@panel_page(Action.PAYMENT_MANAGE)
@csrf_checked_by_form
def pay_batch(panel_id: int, batch_id: int) -> ResponseReturnValue:
    batch = _load_batch(panel_id, batch_id)
    back = url_for(".show_batch", panel_id=panel_id, batch_id=batch.id)
    if batch.status is not BatchStatus.OPEN:
        flash(gettext("This batch has already been marked paid."))
        return redirect(back)
    form = PaidForm(today=london_today())
    if not form.is_submitted():
        today = london_today()
        form.paid_on.data = f"{today.day} {today.month} {today.year}"
    missing = [payment for payment in batch.payments if not payment.reference]
    if form.validate_on_submit() and not missing:
        try:
            paid = batches.mark_paid(batch, form.paid_on.day)  # type: ignore[arg-type]
        except batches.BatchProblem:
            db.session.rollback()
            flash(gettext("Someone else has just marked this batch paid. Nobody was paid twice."))
            return redirect(back)
        flash(
            gettext("Marked paid. %(num)d thank-you emails are on their way.", num=paid),
            "success",
        )
        return redirect(back)
    return page("involvement/batch_paid.html", panel_id, form=form, batch=batch, missing=missing)
