"""The study team's expense pages: a claim, its receipt, and approving or querying it."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import Action, found_or_404, panel_page
from portal.involvement import expenses
from portal.involvement.blueprint import bp
from portal.involvement.loaders import page, panel_member
from portal.involvement.models import ExpenseClaim, ExpenseStatus
from portal.involvement.receipts import send_receipt
from portal.involvement.team_forms import ExpenseDecisionForm
from portal.security import csrf_checked_by_form

TEAM = "/panels/<int:panel_id>/payments"


def _claim(panel_id: int, claim_id: int) -> ExpenseClaim:
    claim = found_or_404(expenses.get_claim(panel_id, claim_id))
    panel_member(panel_id, claim.user_id)
    return claim


@bp.route(f"{TEAM}/expenses/<int:claim_id>", methods=["GET", "POST"])
@panel_page(Action.EXPENSE_REVIEW)
@csrf_checked_by_form
def review_expense(panel_id: int, claim_id: int) -> ResponseReturnValue:
    claim = _claim(panel_id, claim_id)
    form = ExpenseDecisionForm()
    if form.is_submitted() and claim.status is ExpenseStatus.APPROVED:
        form.validate()
        form.decision.errors = [gettext("This claim is already approved, so it is left as it is.")]
    elif form.validate_on_submit():
        if form.decision.data == "approve":
            expenses.approve_claim(claim, current_user.id)
            flash(gettext("Approved. It is ready to be paid."), "success")
        else:
            expenses.query_claim(claim, (form.question.data or "").strip())
            flash(gettext("Your question has been sent to the member."), "success")
        return redirect(url_for(".owed_list", panel_id=panel_id, _anchor="expenses"))
    return page("involvement/expense_review.html", panel_id, form=form, claim=claim)


@bp.get(f"{TEAM}/expenses/<int:claim_id>/receipt")
@panel_page(Action.EXPENSE_REVIEW)
def team_receipt(panel_id: int, claim_id: int) -> ResponseReturnValue:
    claim = _claim(panel_id, claim_id)
    if not claim.receipt_stored_name:
        abort(404)
    return send_receipt(claim.receipt_stored_name, claim.receipt_type, claim.receipt_name)
