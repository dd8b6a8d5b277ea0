"""Signing in and out, staying signed in, and confirming a new email address.

Invitations are in ``invitation_views`` and emailed links in ``link_views``, on this blueprint.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.accounts import service, single_sign_on
from portal.accounts.blueprint import bp
from portal.accounts.email_change import confirm_email_change
from portal.accounts.email_links import (
    LinkProblem,
    find_token,
    token_problem,
    use_token,
)
from portal.accounts.forms import ConfirmForm, SignInForm
from portal.accounts.limits import (
    SIGN_IN_PER_ACCOUNT,
    SIGN_IN_PER_ADDRESS,
    limited,
    submitted_account,
)
from portal.accounts.models import EmailTokenPurpose
from portal.accounts.sessions import end_current_session, seconds_until_idle_sign_out
from portal.accounts.signin import finish_sign_in
from portal.audit.service import AuditAction, record
from portal.extensions import db
from portal.security import csrf_checked_by_form

# How long before an idle sign-out the page warns the person (static/js/session-timeout.js).
IDLE_WARNING_SECONDS = 120


@bp.route("/sign-in", methods=["GET", "POST"])
@csrf_checked_by_form
@limited(SIGN_IN_PER_ADDRESS, SIGN_IN_PER_ACCOUNT, submitted_account, only_failures=True)
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            return finish_sign_in(user, "password", request.args.get("next"))
        known = service.find_user_by_email(form.email.data or "")
        record(AuditAction.SIGN_IN_FAILED, subject_user_id=known.id if known else None)
        db.session.commit()
        form.password.errors.append(
            gettext("Enter the email address and password that match your account")
        )
    return render_template(
        "accounts/sign_in.html",
        form=form,
        single_sign_on_label=current_app.config["OIDC_BUTTON_LABEL"]
        if single_sign_on.is_configured()
        else "",
    )


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    if current_user.is_authenticated:
        record(AuditAction.SIGN_OUT, subject_user_id=current_user.id)
    end_current_session()
    db.session.commit()
    flash(gettext("You have signed out."), "success")
    return redirect(url_for("accounts.sign_in"))


@bp.get("/session/status")
def session_status() -> ResponseReturnValue:
    """For the page's script: how long until an idle sign-out. Does not count as activity."""
    if not current_user.is_authenticated:
        return {"signed_in": False, "seconds_left": 0, "warn_seconds": IDLE_WARNING_SECONDS}
    return {
        "signed_in": True,
        "seconds_left": seconds_until_idle_sign_out(),
        "warn_seconds": IDLE_WARNING_SECONDS,
    }


@bp.post("/session/stay-signed-in")
def stay_signed_in() -> ResponseReturnValue:
    """The "Stay signed in" button: any request restarts the idle clock, so just answer."""
    if not current_user.is_authenticated:
        return {"signed_in": False, "seconds_left": 0, "warn_seconds": IDLE_WARNING_SECONDS}, 401
    return {
        "signed_in": True,
        "seconds_left": seconds_until_idle_sign_out(),
        "warn_seconds": IDLE_WARNING_SECONDS,
    }


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
@csrf_checked_by_form
def confirm_new_email(token: str) -> ResponseReturnValue:
    """The link sent to a new email address. Opening it changes nothing; the button does."""
    email_token = find_token(token, EmailTokenPurpose.EMAIL_CHANGE)
    problem = token_problem(email_token)
    if problem is not None or email_token is None:
        return _email_change_problem(problem or LinkProblem.UNKNOWN)
    form = ConfirmForm()
    if form.validate_on_submit():
        if not use_token(email_token):
            db.session.rollback()
            return _email_change_problem(LinkProblem.USED)
        if confirm_email_change(email_token) is not None:
            db.session.rollback()
            return render_template("accounts/email_change_taken.html"), 409
        user_id, new_email = email_token.user_id, email_token.user.email
        db.session.commit()
        flash(
            gettext(
                "Your email address is now %(email)s. Use it next time you sign in.",
                email=new_email,
            ),
            "success",
        )
        if current_user.is_authenticated and current_user.id == user_id:
            return redirect(url_for("core.home"))
        return redirect(url_for("accounts.sign_in"))
    return render_template(
        "accounts/confirm_new_email.html", form=form, new_email=email_token.new_email
    )


def _email_change_problem(problem: LinkProblem) -> ResponseReturnValue:
    status = 404 if problem is LinkProblem.UNKNOWN else 410
    page = render_template("accounts/link_problem.html", kind="email_change", problem=problem)
    return page, status
