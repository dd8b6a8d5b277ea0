"""The single sign-on button's two pages: off to the provider, and back again."""

from __future__ import annotations

from flask import abort, render_template, request, session
from flask.typing import ResponseReturnValue

from portal.access import public_page
from portal.accounts import single_sign_on
from portal.accounts.blueprint import bp
from portal.accounts.signin import finish_sign_in, safe_next
from portal.transaction import keep_changes_on_error

NEXT_KEY = "single_sign_on_next"


@bp.get("/sign-in/single-sign-on")
@public_page
def single_sign_on_start() -> ResponseReturnValue:
    if not single_sign_on.is_configured():
        abort(404)
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    try:
        return single_sign_on.client().authorize_redirect(single_sign_on.return_url())
    except single_sign_on.exchange_errors(token_checked=False) as error:
        single_sign_on.refused_exchange(f"provider unreachable ({type(error).__name__})")
        return _problem(single_sign_on.Refusal.FAILED, 502)


@bp.get(single_sign_on.RETURN_PATH)
@public_page
def single_sign_on_return() -> ResponseReturnValue:
    if not single_sign_on.is_configured():
        abort(404)
    next_url = session.pop(NEXT_KEY, None)
    try:
        token = single_sign_on.client().authorize_access_token(
            claims_options=single_sign_on.id_token_checks()
        )
    except single_sign_on.exchange_errors(token_checked=True) as error:
        single_sign_on.refused_exchange(f"{type(error).__name__}: {error}")
        return _problem(single_sign_on.Refusal.FAILED, 400)
    claims = dict(token.get("userinfo") or {})
    if not claims:  # no ID token at all: nothing we can trust
        single_sign_on.refused_exchange("no ID token")
        return _problem(single_sign_on.Refusal.FAILED, 400)
    outcome = single_sign_on.account_for(claims)
    if outcome.user is None:
        return _problem(outcome.refusal or single_sign_on.Refusal.FAILED, 403)
    return finish_sign_in(outcome.user, "single sign-on", next_url)


def _problem(refusal: single_sign_on.Refusal, status: int) -> ResponseReturnValue:
    # The refusal is in the audit log for administrators, although the person sees an error.
    keep_changes_on_error()
    return (
        render_template("accounts/single_sign_on_problem.html", refusal=refusal.value),
        status,
    )
