"""A member's own involvement pages: My involvement, payment choices and why people choose
each, declining one payment, claiming an expense, and statements and the adviser's letter.

Each page shows only the signed-in person's own record: another member's entry or claim is a
404, like another panel's."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import Action, panel_page
from portal.extensions import db
from portal.involvement import choices, entries, expenses, rates
from portal.involvement.blueprint import bp
from portal.involvement.entries import london_today
from portal.involvement.forms import ChoiceForm, ConfirmForm, ExpenseForm
from portal.involvement.loaders import page, panel_member, statement_page
from portal.involvement.models import Choice, EntryStatus, PayMethod
from portal.involvement.money import format_pence, plain_pounds
from portal.involvement.receipts import send_receipt
from portal.involvement.statements import hours
from portal.meetings import paper_files
from portal.security import csrf_checked_by_form

MINE = "/panels/<int:panel_id>/involvement"

bp.add_app_template_filter(format_pence, "pounds")
bp.add_app_template_filter(plain_pounds, "plain_pounds")
bp.add_app_template_filter(hours, "hours")


@bp.get(MINE)
@panel_page(Action.INVOLVEMENT_OWN)
def my_involvement(panel_id: int) -> ResponseReturnValue:
    mine = entries.entries_of(panel_id, current_user.id)
    owed = [
        entry
        for entry in mine
        if entry.status in (EntryStatus.WAITING, EntryStatus.APPROVED, EntryStatus.IN_BATCH)
    ]
    paid = [entry for entry in mine if entry.status is EntryStatus.PAID]
    return page(
        "involvement/my_involvement.html",
        panel_id,
        entries=mine,
        owed_pence=sum(entry.total_pence for entry in owed),
        paid_pence=sum(entry.total_pence for entry in paid),
        choice=choices.choice_of(panel_id, current_user.id),
        claims=expenses.claims_of(panel_id, current_user.id),
        settings=rates.pay_settings(panel_id),
        declinable=(EntryStatus.WAITING, EntryStatus.APPROVED),
    )


@bp.route(f"{MINE}/choices", methods=["GET", "POST"])
@panel_page(Action.INVOLVEMENT_CHOOSE)
@csrf_checked_by_form
def payment_choices(panel_id: int) -> ResponseReturnValue:
    settings = rates.pay_settings(panel_id)
    found = choices.choice_of(panel_id, current_user.id)
    form = ChoiceForm()
    form.set_methods(settings.other_way)
    if not form.is_submitted() and found is not None:
        form.choice.data = found.choice.value if found.choice else None
        form.reduced_percent.data = str(found.reduced_percent or "")
        form.method.data = found.method.value if found.method else None
        form.monthly_limit.data = (
            format_pence(found.monthly_limit_pence) if found.monthly_limit_pence else ""
        )
        form.assessment_day.data = str(found.assessment_day or "")
    if form.validate_on_submit():
        choice = Choice(form.choice.data)
        day = (form.assessment_day.data or "").strip()
        choices.save_choice(
            panel_id,
            current_user.id,
            choices.ChoiceDetails(
                choice=choice,
                reduced_percent=int(form.reduced_percent.data)
                if choice is Choice.REDUCED
                else None,
                method=PayMethod(form.method.data) if form.method.data else None,
                monthly_limit_pence=form.monthly_limit.pence,
                assessment_day=int(day) if day else None,
            ),
        )
        flash(gettext("Your choice has been saved. You can change it at any time."), "success")
        return redirect(url_for(".my_involvement", panel_id=panel_id))
    return page("involvement/choices.html", panel_id, form=form, choice=found)


@bp.get(f"{MINE}/why-people-choose")
@panel_page(Action.INVOLVEMENT_OWN)
def choices_explained(panel_id: int) -> ResponseReturnValue:
    return page("involvement/choices_explained.html", panel_id)


@bp.route(f"{MINE}/entries/<int:activity_id>/decline", methods=["GET", "POST"])
@panel_page(Action.INVOLVEMENT_CHOOSE)
@csrf_checked_by_form
def decline_payment(panel_id: int, activity_id: int) -> ResponseReturnValue:
    entry = entries.get_entry(panel_id, activity_id)
    if entry is None or entry.user_id != current_user.id:
        abort(404)
    back = url_for(".my_involvement", panel_id=panel_id)
    if entry.status not in (EntryStatus.WAITING, EntryStatus.APPROVED) or not entry.total_pence:
        flash(gettext("This payment can no longer be declined: it is already being paid."))
        return redirect(back)
    form = ConfirmForm()
    if form.validate_on_submit():
        entries.decline_payment(entry)
        flash(gettext("You will not be paid for this. It stays on your record."), "success")
        return redirect(back)
    return page("involvement/decline.html", panel_id, form=form, entry=entry)


@bp.route(f"{MINE}/expenses/new", methods=["GET", "POST"])
@panel_page(Action.EXPENSE_CLAIM)
@csrf_checked_by_form
def claim_expense(panel_id: int) -> ResponseReturnValue:
    form = ExpenseForm(today=london_today())
    if form.validate_on_submit():
        upload = request.files.get(form.receipt.name)
        receipt = None
        if upload is not None and upload.filename:
            receipt = expenses.Receipt(upload.filename, upload.read())
        try:
            _claim, stored = expenses.claim_expense(
                panel_id,
                current_user.id,
                expenses.ClaimDetails(
                    kind=expenses.ExpenseKind(form.kind.data),
                    amount_pence=form.amount.pence or 0,
                    spent_on=form.spent_on.day,  # type: ignore[arg-type]
                    note=(form.note.data or "").strip(),
                ),
                receipt,
            )
        except expenses.ReceiptProblem as problem:
            db.session.rollback()
            form.receipt.errors = [str(problem)]
        else:
            try:
                db.session.flush()
            except Exception:
                if stored:
                    paper_files.discard(stored)
                raise
            flash(gettext("Your claim has been sent to the study team."), "success")
            return redirect(url_for(".my_involvement", panel_id=panel_id, _anchor="expenses"))
    return page("involvement/expense_form.html", panel_id, form=form)


@bp.get(f"{MINE}/expenses/<int:claim_id>/receipt")
@panel_page(Action.EXPENSE_CLAIM)
def my_receipt(panel_id: int, claim_id: int) -> ResponseReturnValue:
    claim = expenses.get_claim(panel_id, claim_id)
    if claim is None or claim.user_id != current_user.id:
        abort(404)
    return send_receipt(claim.receipt_stored_name, claim.receipt_type, claim.receipt_name)


@bp.get(f"{MINE}/statement")
@panel_page(Action.INVOLVEMENT_OWN)
def my_statement(panel_id: int) -> ResponseReturnValue:
    return statement_page(panel_id, panel_member(panel_id, current_user.id), own=True)
