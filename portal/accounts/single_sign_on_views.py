"""The single sign-on button's two pages: off to the provider, and back again."""

from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from flask import abort, render_template, request, session
from flask.typing import ResponseReturnValue
from joserfc.errors import JoseError
from requests import RequestException

from portal.accounts import single_sign_on
from portal.accounts.blueprint import bp
from portal.accounts.signin import finish_sign_in, safe_next
from portal.extensions import db

NEXT_KEY = "single_sign_on_next"


@bp.get("/sign-in/single-sign-on")
def single_sign_on_start() -> ResponseReturnValue:
    if not single_sign_on.is_configured():
        abort(404)
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    try:
        return single_sign_on.client().authorize_redirect(single_sign_on.return_url())
    except (RequestException, ValueError, AuthlibBaseError) as error:
        single_sign_on.refused_exchange(f"provider unreachable ({type(error).__name__})")
        db.session.commit()
        return _problem(single_sign_on.Refusal.FAILED, 502)


@bp.get(single_sign_on.RETURN_PATH)
def single_sign_on_return() -> ResponseReturnValue:
    if not single_sign_on.is_configured():
        abort(404)
    next_url = session.pop(NEXT_KEY, None)
    try:
        token = single_sign_on.client().authorize_access_token(
            claims_options=single_sign_on.id_token_checks()
        )
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError) as error:
        single_sign_on.refused_exchange(f"{type(error).__name__}: {error}")
        db.session.commit()
        return _problem(single_sign_on.Refusal.FAILED, 400)
    claims = dict(token.get("userinfo") or {})
    if not claims:  # no ID token at all: nothing we can trust
        single_sign_on.refused_exchange("no ID token")
        db.session.commit()
        return _problem(single_sign_on.Refusal.FAILED, 400)
    outcome = single_sign_on.account_for(claims)
    if outcome.user is None:
        db.session.commit()
        return _problem(outcome.refusal or single_sign_on.Refusal.FAILED, 403)
    return finish_sign_in(outcome.user, "single sign-on", next_url)


def _problem(refusal: single_sign_on.Refusal, status: int) -> ResponseReturnValue:
    return (
        render_template("accounts/single_sign_on_problem.html", refusal=refusal.value),
        status,
    )
