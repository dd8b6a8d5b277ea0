"""Friendly error pages in the portal's own layout, and log lines that hold no personal data."""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.extensions import db, limiter

log = logging.getLogger("portal.errors")

HANDLED_CODES = (400, 403, 404, 405, 413, 429, 500)


def _pages() -> dict[int, tuple[str, str]]:
    """Title and explanation for each status, in plain English."""
    return {
        400: (
            gettext("Sorry, there is a problem with that request"),
            gettext("Something was missing or did not look right. Go back and try again."),
        ),
        403: (
            gettext("You cannot do that"),
            gettext(
                "Your role does not let you open this page or take this action. If you "
                "think you should be able to, contact the study team."
            ),
        ),
        404: (
            gettext("Page not found"),
            gettext(
                "If you typed the web address, check it is correct. If you pasted the web "
                "address, check you copied the whole address."
            ),
        ),
        405: (
            gettext("Sorry, there is a problem with that request"),
            gettext("This page cannot be used that way. Go back and try again."),
        ),
        413: (
            gettext("That file is too big"),
            gettext("Files can be up to %(size)s MB. Choose a smaller file and try again."),
        ),
        429: (
            gettext("Too many attempts"),
            gettext("To keep accounts safe, we have paused this for a short time."),
        ),
        500: (
            gettext("Sorry, there is a problem with the service"),
            gettext(
                "Try again later. Nothing you sent has been lost if you saw a message "
                "saying it was saved."
            ),
        ),
    }


def _log(status: int, error: BaseException | None = None) -> None:
    # Only the method, the route's name and the status: never the body, query string or path,
    # which can carry personal data and sign-in tokens.
    log.warning(
        "request refused status=%s method=%s endpoint=%s error=%s",
        status,
        request.method,
        request.endpoint or "-",
        type(error).__name__ if error else "-",
    )


def _retry_seconds() -> int:
    current = limiter.current_limit
    if current is None:
        return 60
    # reset_at is rounded up to the next whole second; the wait is never longer than the window,
    # so a "15 minutes" limit never reads as "16 minutes".
    window = current.limit.get_expiry()
    return max(1, min(window, math.ceil(current.reset_at - time.time())))


def _retry_message() -> str:
    minutes = max(1, math.ceil(_retry_seconds() / 60))
    return ngettext("Try again in %(num)d minute.", "Try again in %(num)d minutes.", minutes)


def render_error(status: int, detail: str | None = None) -> ResponseReturnValue:
    title, explanation = _pages()[status]
    if status == 413:
        explanation = explanation % {"size": current_app.config["MAX_UPLOAD_MB"]}
    return (
        render_template(
            "errors/error.html", status=status, title=title, explanation=explanation, detail=detail
        ),
        status,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        _log(400, error)
        return render_error(
            400,
            gettext(
                "The form had expired or was not sent from this site. Go back, "
                "refresh the page and try again."
            ),
        )

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded) -> ResponseReturnValue:
        _log(429, error)
        body, status = render_error(429, _retry_message())  # type: ignore[misc]
        return body, status, {"Retry-After": str(_retry_seconds())}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        if status not in HANDLED_CODES:
            return error
        _log(status, error)
        return render_error(status)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        log.exception("unexpected error method=%s endpoint=%s", request.method, request.endpoint)
        return render_error(500)
