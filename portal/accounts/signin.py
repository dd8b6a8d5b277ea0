"""The end of every way of signing in: password, email link and single sign-on."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import redirect, session, url_for
from flask.typing import ResponseReturnValue

from portal.accounts.models import User
from portal.accounts.sessions import start_session
from portal.accounts.two_step import is_required_at_sign_in
from portal.audit.service import AuditAction, record

PENDING_USER_KEY = "pending_user"
PENDING_METHOD_KEY = "pending_method"
PENDING_NEXT_KEY = "pending_next"
PENDING_STARTED_KEY = "pending_started"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path on this site, never another host."""
    home = url_for("core.home")
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return home
    return target


def finish_sign_in(user: User, method: str, next_url: str | None) -> ResponseReturnValue:
    """Start ``user``'s session (or ask for their second step first).

    ``method`` is recorded in the audit log: "password", "email link" or "single sign-on".
    """
    if is_required_at_sign_in(user):
        session.clear()
        session[PENDING_USER_KEY] = user.id
        session[PENDING_METHOD_KEY] = method
        session[PENDING_NEXT_KEY] = safe_next(next_url)
        session[PENDING_STARTED_KEY] = int(time.time())
        return redirect(url_for("accounts.two_step_check"))
    start_session(user)
    record(AuditAction.SIGN_IN, subject_user_id=user.id, detail=f"method: {method}")
    return redirect(safe_next(next_url))
