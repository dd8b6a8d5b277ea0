"""The account page: a summary of the person's details, and one page for each change."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from portal.access import signed_in_page
from portal.accounts import account
from portal.accounts.account_forms import (
    ACCESSIBILITY_MAX_LENGTH,
    AccessibilityForm,
    ChangePasswordForm,
    ContactForm,
    LanguageForm,
    NameForm,
    NewEmailForm,
)
from portal.accounts.blueprint import bp
from portal.accounts.email_change import request_email_change
from portal.accounts.forms import ConfirmForm
from portal.accounts.passwords import PASSWORD_HINT
from portal.accounts.reauthentication import (
    identity_proved,
    reauthentication_limit,
    signed_in_person,
    signed_in_recently,
)
from portal.accounts.sessions import current_session_hash, end_current_session
from portal.accounts.two_step import two_step_is_on
from portal.language_choice import remember_in_browser
from portal.notifications.preferences import summary_for
from portal.security import csrf_checked_by_form


def _saved(message: str) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for("accounts.account"))


@bp.get("/account", endpoint="account")
@signed_in_page
def account_page() -> ResponseReturnValue:
    user = signed_in_person()
    return render_template(
        "accounts/account/index.html",
        user=user,
        two_step_on=two_step_is_on(user),
        two_step_available="accounts.two_step" in current_app.view_functions,
        language_name=account.LANGUAGES.get(user.language, ""),
        contact_summary=summary_for(user),
    )


@bp.route("/account/name", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
def change_name() -> ResponseReturnValue:
    user = signed_in_person()
    form = NameForm(display_name=user.display_name)
    if form.validate_on_submit():
        account.change_name(user, form.display_name.data or "")
        return _saved(gettext("We will call you %(name)s.", name=user.display_name))
    return render_template("accounts/account/name.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
@reauthentication_limit
def change_email() -> ResponseReturnValue:
    user = signed_in_person()
    form = NewEmailForm()
    if not user.password_hash and not signed_in_recently():
        return render_template("accounts/account/sign_in_again.html", then="email")
    if form.validate_on_submit() and identity_proved(user, form):
        request_email_change(user, form.email.data or "")
        return _saved(
            gettext(
                "We have sent a link to %(email)s. Open it to finish changing your email "
                "address. Until then, keep using %(old)s.",
                email=(form.email.data or "").strip(),
                old=user.email,
            )
        )
    return render_template("accounts/account/email.html", form=form, user=user)


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
@reauthentication_limit
def change_password() -> ResponseReturnValue:
    user = signed_in_person()
    form = ChangePasswordForm()
    form.account_email = user.email
    if not user.password_hash and not signed_in_recently():
        return render_template("accounts/account/sign_in_again.html", then="password")
    if form.validate_on_submit() and identity_proved(user, form):
        account.change_password(user, form.password.data or "", current_session_hash())
        return _saved(
            gettext(
                "Your password has been changed. Any other devices you were signed in on "
                "have been signed out."
            )
        )
    return render_template(
        "accounts/account/password.html", form=form, user=user, password_hint=PASSWORD_HINT
    )


@bp.route("/account/contact", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
def change_contact() -> ResponseReturnValue:
    user = signed_in_person()
    form = ContactForm(contact_preference=user.contact_preference, phone=user.phone)
    if form.validate_on_submit():
        account.change_contact(user, form.contact_preference.data or "", form.phone.data or "")
        return _saved(gettext("Your contact preferences have been saved."))
    return render_template("accounts/account/contact.html", form=form)


@bp.route("/account/accessibility", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
def change_accessibility() -> ResponseReturnValue:
    user = signed_in_person()
    form = AccessibilityForm(accessibility_needs=user.accessibility_needs)
    if form.validate_on_submit():
        account.change_accessibility_needs(user, form.accessibility_needs.data or "")
        return _saved(gettext("What helps you take part has been saved."))
    return render_template(
        "accounts/account/accessibility.html", form=form, max_length=ACCESSIBILITY_MAX_LENGTH
    )


@bp.route("/account/language", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
def change_language() -> ResponseReturnValue:
    user = signed_in_person()
    form = LanguageForm(language=user.language)
    if form.validate_on_submit():
        account.change_language(user, form.language.data or "")
        return remember_in_browser(
            _saved(gettext("Your language has been saved.")), form.language.data or ""
        )
    return render_template("accounts/account/language.html", form=form)


@bp.get("/account/devices")
@signed_in_page
def signed_in_devices() -> ResponseReturnValue:
    user = signed_in_person()
    return render_template(
        "accounts/account/devices.html",
        devices=account.signed_in_devices(user, current_session_hash()),
        form=ConfirmForm(),
    )


@bp.post("/account/devices/<int:session_id>/sign-out")
@signed_in_page
def sign_out_device(session_id: int) -> ResponseReturnValue:
    user = signed_in_person()
    user_session = account.find_own_session(user, session_id)
    if user_session is None:
        abort(404)
    if user_session.token_hash == current_session_hash():
        account.end_session(user, user_session)
        end_current_session()
        flash(gettext("You have signed out."), "success")
        return redirect(url_for("accounts.sign_in"))
    account.end_session(user, user_session)
    flash(gettext("That device has been signed out."), "success")
    return redirect(url_for("accounts.signed_in_devices"))


@bp.post("/account/devices/sign-out-others")
@signed_in_page
def sign_out_other_devices() -> ResponseReturnValue:
    account.end_other_sessions(signed_in_person(), current_session_hash())
    flash(gettext("Your other devices have been signed out."), "success")
    return redirect(url_for("accounts.signed_in_devices"))
