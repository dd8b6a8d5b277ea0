"""Protections applied to every request and response: CSRF, security headers and caching."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from portal.extensions import csrf

View = TypeVar("View", bound=Callable[..., object])

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_checked_by_form(view: View) -> View:
    """Mark a view whose Flask-WTF form checks the CSRF token itself.

    Such a view shows a failed check next to the form, keeping what the person typed, instead of
    the generic "form expired" page. It must call ``form.validate_on_submit()`` before acting.
    """
    view.csrf_checked_by_form = True  # type: ignore[attr-defined]
    return view


def authorised_without_session(view: View) -> View:
    """Mark one of the few POST endpoints that no browser session calls, so a CSRF token
    cannot be asked of it: the view proves the request itself, by a signed token in its URL
    (one-click unsubscribe, RFC 8058) or a bearer token (Notify's delivery receipts)."""
    view.authorised_without_session = True  # type: ignore[attr-defined]
    return view


def csp_nonce() -> str:
    """This request's Content-Security-Policy nonce, for the few inline scripts we allow."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return str(g.csp_nonce)


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'none'",
        )
    )


def _protect_unsafe_requests() -> None:
    if request.method not in UNSAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "csrf_checked_by_form", False):
        return
    if view is not None and getattr(view, "authorised_without_session", False):
        return
    csrf.protect()  # raises CSRFError, answered with the friendly 400 page


def _add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def init_security(app: Flask) -> None:
    """Install the CSRF check and the response headers on ``app``."""
    app.before_request(_protect_unsafe_requests)
    app.after_request(_add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
