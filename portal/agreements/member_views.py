"""A member's agreements: reading and answering each, "What I agreed to", withdrawing, and the
page that asks for required agreements at sign-in (with support still reachable)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import Action, panel_page, signed_in_page
from portal.accounts.sessions import AGREEMENTS_DUE_KEY
from portal.accounts.signin import safe_next
from portal.agreements import ledger, service
from portal.agreements.blueprint import bp
from portal.agreements.forms import HOW_LABELS, KIND_LABELS, AnswerForm, ConfirmForm
from portal.agreements.loaders import load_agreement, page
from portal.agreements.models import Decision
from portal.security import csrf_checked_by_form

# Pages that stay open while a required agreement waits: support, signing out, the agreement
# pages themselves, and the ways to step back or ask for help.
ASK_FIRST_EXEMPT = frozenset(
    {
        "static",
        "nhsuk_assets",
        "core.support",
        "core.accessibility",
        "core.privacy",
        "core.contact",
        "core.health",
        "accounts.sign_out",
        "accounts.session_status",
        "accounts.stay_signed_in",
        # Setting up two-step verification comes first when it is required (never a loop).
        "accounts.set_up_two_step",
        "rights.contact_me",
        "rights.leave_panel",
    }
)


@bp.before_app_request
def _ask_required_agreements_first() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if endpoint is None or not session.get(AGREEMENTS_DUE_KEY):
        return None
    if endpoint in ASK_FIRST_EXEMPT or endpoint.startswith("agreements."):
        return None
    if not current_user.is_authenticated:
        return None
    if not service.has_required_to_answer(current_user.id):
        session.pop(AGREEMENTS_DUE_KEY, None)
        return None
    return redirect(url_for("agreements.to_answer", next=request.full_path.rstrip("?")))


@bp.get("/agreements/to-answer")
@signed_in_page
def to_answer() -> ResponseReturnValue:
    waiting = service.required_to_answer(current_user.id)
    if not waiting:
        session.pop(AGREEMENTS_DUE_KEY, None)
        return redirect(safe_next(request.args.get("next")))
    return render_template(
        "agreements/to_answer.html", waiting=waiting, next=safe_next(request.args.get("next"))
    )


@bp.get("/panels/<int:panel_id>/agreements")
@panel_page(Action.AGREEMENTS_OWN)
def my_agreements(panel_id: int) -> ResponseReturnValue:
    return page(
        "agreements/my_agreements.html",
        panel_id,
        mine=service.my_agreements(panel_id, current_user.id),
        how_labels=HOW_LABELS,
    )


@bp.route("/panels/<int:panel_id>/agreements/<int:agreement_id>", methods=["GET", "POST"])
@panel_page(Action.AGREEMENTS_OWN)
@csrf_checked_by_form
def answer_agreement(panel_id: int, agreement_id: int) -> ResponseReturnValue:
    agreement = load_agreement(panel_id, agreement_id)
    version = service.published_version(agreement)
    if version is None:
        abort(404)
    state = ledger.current_state(agreement.id, current_user.id)
    form = AnswerForm()
    if agreement.required:
        # A required agreement has one button, "I agree": no choice to make.
        if request.method == "POST":
            form.decision.data = "agreed"
            form.decision.raw_data = ["agreed"]
    if form.validate_on_submit():
        decision = Decision(form.decision.data)
        try:
            ledger.decide(agreement, version, current_user.id, decision)
        except service.AgreementProblem as problem:
            form.decision.errors = [str(problem)]
        else:
            if decision is Decision.AGREED:
                flash(
                    gettext("Thank you. You agreed to %(title)s.", title=agreement.title), "success"
                )
            else:
                flash(
                    gettext("Saved. You did not agree to %(title)s.", title=agreement.title),
                    "success",
                )
            next_url = request.args.get("next")
            if next_url:
                return redirect(url_for(".to_answer", next=safe_next(next_url)))
            return redirect(url_for(".my_agreements", panel_id=panel_id))
    return page(
        "agreements/answer.html",
        panel_id,
        agreement=agreement,
        version=version,
        state=state,
        form=form,
        kind_label=KIND_LABELS[agreement.kind],
    )


@bp.route("/panels/<int:panel_id>/agreements/<int:agreement_id>/withdraw", methods=["GET", "POST"])
@panel_page(Action.AGREEMENTS_OWN)
@csrf_checked_by_form
def withdraw_agreement(panel_id: int, agreement_id: int) -> ResponseReturnValue:
    agreement = load_agreement(panel_id, agreement_id)
    state = ledger.current_state(agreement.id, current_user.id)
    if agreement.required or state is None or not state.agreed:
        abort(404)
    version = next(v for v in agreement.versions if v.id == state.version_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        ledger.decide(agreement, version, current_user.id, Decision.WITHDRAWN)
        flash(
            gettext("You have withdrawn your agreement to %(title)s.", title=agreement.title),
            "success",
        )
        return redirect(url_for(".my_agreements", panel_id=panel_id))
    return page("agreements/withdraw.html", panel_id, agreement=agreement, form=form)
