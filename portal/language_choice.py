"""Which language a request is answered in: the request layer's half of ``portal.languages``."""

from __future__ import annotations

from flask import Response, current_app, has_request_context, request
from flask_login import current_user

from portal.languages import COOKIE, COOKIE_SECONDS, LANGUAGES, supported


def chosen_in_browser() -> str | None:
    """The language this browser chose from the portal's menus, if it is one we speak."""
    if not has_request_context():
        return None
    code = request.cookies.get(COOKIE)
    return code if supported(code) else None


def select_locale() -> str | None:
    """The language of this request: the person's own choice, else this browser's choice from
    our menus, else the best of what the browser asks for; outside a request, the default."""
    if not has_request_context():
        return None  # the worker and commands use the default, or force_locale
    if current_user and current_user.is_authenticated and supported(current_user.language):
        return str(current_user.language)
    return chosen_in_browser() or request.accept_languages.best_match(list(LANGUAGES))


def remember_in_browser(response: Response, code: str) -> Response:
    """Keep ``code`` as this browser's language (for the sign-in page and after signing out);
    "" forgets it, so the browser's own preference is followed again."""
    if not code:
        response.delete_cookie(COOKIE, samesite="Lax")
        return response
    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_SECONDS,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
