"""Pages for links sent by email: signing in without a password, and resetting a password.

Opening a link (GET) never changes anything, because mail scanners open links too: the page
shows a button, and the button (POST) uses the link.
"""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.accounts import email_links
from portal.accounts.blueprint import bp
from portal.accounts.email_links import LinkProblem, find_token, token_problem, use_token
from portal.accounts.forms import ConfirmForm, EmailAddressForm, NewPasswordForm
from portal.accounts.limits import (
    LINK_REQUESTS_PER_ACCOUNT,
    LINK_REQUESTS_PER_ADDRESS,
    limited,
    submitted_account,
)
from portal.accounts.models import EmailToken, EmailTokenPurpose
from portal.accounts.passwords import PASSWORD_HINT
from portal.accounts.sessions import end_current_session
from portal.accounts.signin import finish_sign_in, safe_next
from portal.accounts.two_step import is_required_at_sign_in
from portal.extensions import db
from portal.security import csrf_checked_by_form


def _next_path() -> str | None:
    """The ``next`` page asked for, if it is a page on this site."""
    target = request.args.get("next")
    if not target:
        return None
    safe = safe_next(target)
    return safe if safe == target else None


def _link_problem(
    kind: EmailTokenPurpose, problem: LinkProblem, email_token: EmailToken | None
) -> ResponseReturnValue:
    """The page for a link that cannot be used: what happened, and a button for a new one."""
    # The address is offered for a new link only when the link was real: whoever holds it was
    # sent it at that address.
    resend_form = EmailAddressForm(formdata=None)
    known_email = ""
    if email_token is not None and problem in (LinkProblem.USED, LinkProblem.EXPIRED):
        known_email = email_token.user.email
    status = 404 if problem is LinkProblem.UNKNOWN else 410
    return (
        render_template(
            "accounts/link_problem.html",
            kind=kind.value,
            problem=problem,
            resend_form=resend_form,
            known_email=known_email,
        ),
        status,
    )


@bp.route("/sign-in/email-link", methods=["GET", "POST"])
@csrf_checked_by_form
@limited(LINK_REQUESTS_PER_ADDRESS, LINK_REQUESTS_PER_ACCOUNT, submitted_account)
def request_sign_in_link() -> ResponseReturnValue:
    form = EmailAddressForm()
    if form.validate_on_submit():
        email_links.ask_for_link(EmailTokenPurpose.SIGN_IN, form.email.data or "", _next_path())
        db.session.commit()
        return render_template("accounts/link_sent.html", kind="sign_in", email=form.email.data)
    return render_template("accounts/request_sign_in_link.html", form=form)


@bp.route("/sign-in/link/<token>", methods=["GET", "POST"])
@csrf_checked_by_form
def use_sign_in_link(token: str) -> ResponseReturnValue:
    email_token = find_token(token, EmailTokenPurpose.SIGN_IN)
    problem = token_problem(email_token)
    if problem is not None or email_token is None:
        return _link_problem(EmailTokenPurpose.SIGN_IN, problem or LinkProblem.UNKNOWN, email_token)
    form = ConfirmForm()
    if form.validate_on_submit():
        if not use_token(email_token):
            db.session.rollback()
            return _link_problem(EmailTokenPurpose.SIGN_IN, LinkProblem.USED, email_token)
        if current_user.is_authenticated:
            end_current_session()
        return finish_sign_in(email_token.user, "email link", _next_path())
    return render_template("accounts/use_sign_in_link.html", form=form)


@bp.route("/reset-password", methods=["GET", "POST"])
@csrf_checked_by_form
@limited(LINK_REQUESTS_PER_ADDRESS, LINK_REQUESTS_PER_ACCOUNT, submitted_account)
def request_password_reset() -> ResponseReturnValue:
    form = EmailAddressForm()
    if form.validate_on_submit():
        email_links.ask_for_link(EmailTokenPurpose.PASSWORD_RESET, form.email.data or "")
        db.session.commit()
        return render_template(
            "accounts/link_sent.html", kind="password_reset", email=form.email.data
        )
    return render_template("accounts/request_password_reset.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@csrf_checked_by_form
def reset_password(token: str) -> ResponseReturnValue:
    email_token = find_token(token, EmailTokenPurpose.PASSWORD_RESET)
    problem = token_problem(email_token)
    if problem is not None or email_token is None:
        return _link_problem(
            EmailTokenPurpose.PASSWORD_RESET, problem or LinkProblem.UNKNOWN, email_token
        )
    form = NewPasswordForm()
    form.account_email = email_token.user.email
    if form.validate_on_submit():
        if not use_token(email_token):
            db.session.rollback()
            return _link_problem(EmailTokenPurpose.PASSWORD_RESET, LinkProblem.USED, email_token)
        if current_user.is_authenticated:
            end_current_session()
        email_links.reset_password(email_token.user, form.password.data or "")
        user = email_token.user
        response = finish_sign_in(user, "password reset", None)
        if is_required_at_sign_in(user):
            flash(
                gettext(
                    "Your password has been changed. Enter your security code to finish signing in."
                ),
                "success",
            )
        else:
            flash(gettext("Your password has been changed. You are signed in."), "success")
        return response
    return render_template(
        "accounts/reset_password.html",
        form=form,
        password_hint=PASSWORD_HINT,
        sign_in_url=url_for("accounts.sign_in"),
    )
