"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.accounts import service
from portal.accounts.forms import SignInForm
from portal.accounts.sessions import end_current_session
from portal.accounts.signin import finish_sign_in
from portal.audit.service import AuditAction, record
from portal.extensions import db
from portal.security import csrf_checked_by_form

bp = Blueprint("accounts", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@csrf_checked_by_form
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
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    if current_user.is_authenticated:
        record(AuditAction.SIGN_OUT, subject_user_id=current_user.id)
    end_current_session()
    db.session.commit()
    flash(gettext("You have signed out."), "success")
    return redirect(url_for("accounts.sign_in"))
