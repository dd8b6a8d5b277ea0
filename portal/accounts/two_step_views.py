"""Two-step verification pages: setting it up, recovery codes, turning it off, the sign-in step
and the administrator's setting."""

from __future__ import annotations

import time

from flask import flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import admin_page, my_memberships, public_page, signed_in_page
from portal.accounts import two_step
from portal.accounts.account_forms import (
    ReauthenticateForm,
    TwoStepCheckForm,
    TwoStepPolicyForm,
    TwoStepSetUpForm,
)
from portal.accounts.blueprint import bp
from portal.accounts.models import User
from portal.accounts.reauthentication import (
    identity_proved,
    reauthentication_limit,
    signed_in_person,
    signed_in_recently,
)
from portal.accounts.sessions import start_session
from portal.accounts.signin import (
    PENDING_METHOD_KEY,
    PENDING_NEXT_KEY,
    PENDING_STARTED_KEY,
    PENDING_USER_KEY,
)
from portal.audit.service import AuditAction, record
from portal.extensions import client_address, csrf, db, limiter
from portal.panels.models import Role
from portal.security import csrf_checked_by_form

SETUP_SECRET_KEY = "two_step_setup_secret"  # noqa: S105  (the name of a session key)
# How long someone has, after their password, to give their second step.
PENDING_SECONDS = 10 * 60
CODE_PER_ACCOUNT = "5 per 15 minutes"
CODE_PER_ADDRESS = "20 per 15 minutes"


def _pending_account() -> str:
    return f"two-step:{session.get(PENDING_USER_KEY, client_address())}"


def _code_refused(response: object) -> bool:
    return not g.get("two_step_passed", False)


def _away(endpoint: str) -> ResponseReturnValue:
    """Send the person elsewhere, refusing a forged POST first (these views check their own
    CSRF token, but only once they get as far as the form)."""
    if request.method == "POST":
        csrf.protect()
    return redirect(url_for(endpoint))


def _recovery_codes_page(codes: list[str]) -> ResponseReturnValue:
    g.two_step_passed = True
    return render_template("accounts/two_step/recovery_codes.html", codes=codes)


@bp.get("/account/two-step-verification", endpoint="two_step")
@signed_in_page
def two_step_page() -> ResponseReturnValue:
    user = signed_in_person()
    return render_template(
        "accounts/two_step/index.html",
        is_on=two_step.two_step_is_on(user),
        codes_left=two_step.recovery_codes_left(user),
        required=two_step.is_required_for(user),
    )


@bp.route("/account/two-step-verification/set-up", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
@reauthentication_limit
def set_up_two_step() -> ResponseReturnValue:
    user = signed_in_person()
    if two_step.two_step_is_on(user):
        return _away("accounts.two_step")
    if not user.password_hash and not signed_in_recently():
        return render_template("accounts/account/sign_in_again.html", then="two_step")
    secret = session.get(SETUP_SECRET_KEY) or two_step.new_secret()
    session[SETUP_SECRET_KEY] = secret
    form = TwoStepSetUpForm()
    if form.validate_on_submit() and identity_proved(user, form):
        if two_step.code_matches(secret, form.code.data or "", None):
            session.pop(SETUP_SECRET_KEY, None)
            codes = two_step.turn_on(user, secret)
            return _recovery_codes_page(codes)
        form.code.errors.append(
            gettext(
                "That code is not right. Check the time on your phone is correct, and enter "
                "the code your app shows now."
            )
        )
    address = two_step.setup_address(user, secret)
    return render_template(
        "accounts/two_step/set_up.html",
        form=form,
        user=user,
        qr_code=two_step.qr_code_svg(
            address, gettext("QR code to scan with your authenticator app")
        ),
        secret=two_step.spaced_secret(secret),
        required=two_step.must_set_up(user),
    )


@bp.route("/account/two-step-verification/recovery-codes", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
@reauthentication_limit
def new_recovery_codes() -> ResponseReturnValue:
    user = signed_in_person()
    if not two_step.two_step_is_on(user):
        return _away("accounts.two_step")
    if not user.password_hash and not signed_in_recently():
        return render_template("accounts/account/sign_in_again.html", then="two_step")
    form = ReauthenticateForm()
    if form.validate_on_submit() and identity_proved(user, form):
        codes = two_step.new_recovery_codes(user)
        return _recovery_codes_page(codes)
    return render_template("accounts/two_step/new_codes.html", form=form, user=user)


@bp.route("/account/two-step-verification/turn-off", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
@reauthentication_limit
def turn_off_two_step() -> ResponseReturnValue:
    user = signed_in_person()
    if not two_step.two_step_is_on(user):
        return _away("accounts.two_step")
    if two_step.is_required_for(user):
        return render_template("accounts/two_step/required.html"), 403
    if not user.password_hash and not signed_in_recently():
        return render_template("accounts/account/sign_in_again.html", then="two_step")
    form = ReauthenticateForm()
    if form.validate_on_submit() and identity_proved(user, form):
        two_step.turn_off(user)
        flash(gettext("Two-step verification is now off."), "success")
        return redirect(url_for("accounts.two_step"))
    return render_template("accounts/two_step/turn_off.html", form=form, user=user)


@bp.route("/sign-in/two-step", methods=["GET", "POST"])
@public_page
@csrf_checked_by_form
@limiter.limit(
    CODE_PER_ACCOUNT,
    key_func=_pending_account,
    methods=["POST"],
    deduct_when=_code_refused,
    scope="two-step-account",
)
@limiter.limit(
    CODE_PER_ADDRESS,
    key_func=client_address,
    methods=["POST"],
    deduct_when=_code_refused,
    scope="two-step-address",
)
def two_step_check() -> ResponseReturnValue:
    """The second step of signing in: a code from the person's app, or a recovery code."""
    user_id = session.get(PENDING_USER_KEY)
    started = int(session.get(PENDING_STARTED_KEY, 0))
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if (
        user is None
        or not user.is_active_account
        or not two_step.two_step_is_on(user)
        or time.time() - started > PENDING_SECONDS
    ):
        session.pop(PENDING_USER_KEY, None)
        response = _away("accounts.sign_in")
        flash(gettext("Sign in again to carry on."), "info")
        return response
    form = TwoStepCheckForm()
    if form.validate_on_submit():
        code = form.code.data or ""
        used_recovery_code = False
        passed = two_step.check_app_code(user, code)
        if not passed:
            passed = used_recovery_code = two_step.use_recovery_code(user, code)
        if passed:
            g.two_step_passed = True
            method = str(session.get(PENDING_METHOD_KEY, ""))
            next_url = str(session.get(PENDING_NEXT_KEY, "")) or url_for("core.home")
            start_session(user)
            record(
                AuditAction.SIGN_IN,
                subject_user_id=user.id,
                actor_id=user.id,
                detail=f"method: {method}, with two-step verification",
            )
            if used_recovery_code:
                left = two_step.recovery_codes_left(user)
                flash(
                    gettext(
                        "You used a recovery code. You have %(num)d left. You can get new ones "
                        "from your account page.",
                        num=left,
                    ),
                    "info",
                )
            return redirect(next_url)
        record(AuditAction.TWO_STEP_FAILED, subject_user_id=user.id, actor_id=user.id)
        form.code.errors.append(
            gettext("That code is not right. Enter the code your app shows now, or a recovery code")
        )
    return render_template("accounts/two_step/check.html", form=form)


@bp.route("/administration/two-step-verification", methods=["GET", "POST"])
@admin_page
@csrf_checked_by_form
def two_step_policy() -> ResponseReturnValue:
    """The administrator's setting: must researchers and administrators use two-step?"""
    current = two_step.settings().require_two_step_for_staff
    form = TwoStepPolicyForm(require_two_step_for_staff=current)
    if form.validate_on_submit():
        two_step.set_required_for_staff(bool(form.require_two_step_for_staff.data))
        flash(gettext("The two-step verification setting has been saved."), "success")
        return redirect(url_for("accounts.two_step_policy"))
    return render_template("accounts/two_step/policy.html", form=form)


# Pages a person who must set up two-step verification can still reach before they have.
SET_UP_FIRST_EXEMPT = frozenset(
    {
        "static",
        "nhsuk_assets",
        "core.support",
        "core.accessibility",
        "core.privacy",
        "core.contact",
        "core.health",
        "accounts.set_up_two_step",
        "accounts.sign_out",
        "accounts.session_status",
        "accounts.stay_signed_in",
        "accounts.request_sign_in_link",
        "accounts.use_sign_in_link",
    }
)


@bp.before_app_request
def _send_to_set_up_first() -> ResponseReturnValue | None:
    if request.endpoint is None or request.endpoint in SET_UP_FIRST_EXEMPT:
        return None
    if not current_user.is_authenticated or two_step.two_step_is_on(current_user):
        return None
    # Only staff can be required to set it up: a member's page asks nothing more of the database
    # (their memberships are loaded once per request for the header anyway).
    staff = current_user.is_admin or any(m.role is Role.RESEARCHER for m in my_memberships())
    if not staff or not two_step.must_set_up(current_user._get_current_object()):
        return None
    return redirect(url_for("accounts.set_up_two_step"))
