"""Signed-in sessions: started at sign-in, checked on every request, ended at sign-out.

The browser's cookie holds a random session token. The database keeps only its hash, so ending a
session (sign-out, password change, deactivation) makes a copied or replayed cookie worthless.
Idle and absolute timeouts are read from the signed cookie, so a request never writes to the
database just to say the person is still here.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from functools import cache
from typing import Any

from flask import Flask, current_app, flash, request, session
from flask_babel import ngettext
from flask_login import LoginManager, login_user, logout_user
from sqlalchemy import Select, bindparam, select, update

from portal.accounts.models import User, UserSession
from portal.db import utcnow
from portal.extensions import db

SESSION_TOKEN_KEY = "sid"  # noqa: S105  (the name of a session key, not a secret)
STARTED_KEY = "started"
SEEN_KEY = "seen"
SAVED_SEEN_KEY = "seen_saved"
# How often a session's "last seen" time is written to the database: rarely, so that a page view
# does not turn into a database write.
LAST_SEEN_SAVE_SECONDS = 5 * 60
AGREEMENTS_DUE_KEY = "agreements_due"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> None:
    """Sign ``user`` in on this browser with a fresh session (the old cookie's contents go)."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_hash_token(token),
            user_id=user.id,
            client_address=(request.remote_addr or "")[:64],
            user_agent=(request.user_agent.string or "")[:200],
        )
    )
    now = int(time.time())
    session[SESSION_TOKEN_KEY] = token
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now
    session[SAVED_SEEN_KEY] = now
    # Required agreements are asked once per sign-in: remembered here, so other pages need no
    # query of their own unless something is waiting (portal.agreements.member_views).
    from portal.agreements.service import has_required_to_answer

    if has_required_to_answer(user.id):
        session[AGREEMENTS_DUE_KEY] = True
    # A language chosen on the sign-in page, before the person was known, becomes theirs.
    from portal.language_choice import chosen_in_browser

    if not user.language and chosen_in_browser():
        user.language = chosen_in_browser()
    login_user(user)


def current_session_hash() -> str | None:
    """The stored hash of this browser's session token, if it has one."""
    token = session.get(SESSION_TOKEN_KEY)
    return _hash_token(token) if token else None


def _save_last_seen(token: str, now: int) -> None:
    """Note, every few minutes, that this session is still in use (for the account page).

    This is the one deliberate exception to the request's single commit point
    (``portal.transaction``): it uses its own short transaction, and only before the request's own
    transaction has begun, so it never waits on, or adds to, what the page itself writes. It must
    be saved even when the page answers with an error, and rolling back the page's own changes
    must not lose it; and it is throttled so that most page views do not write at all.
    """
    if now - int(session.get(SAVED_SEEN_KEY, 0)) < LAST_SEEN_SAVE_SECONDS:
        return
    if db.session().in_transaction():
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash_token(token), UserSession.ended_at.is_(None))
            .values(last_seen_at=utcnow())
        )
    session[SAVED_SEEN_KEY] = now


def end_current_session() -> None:
    """Sign out of this browser; the session's cookie can never be used again."""
    token = session.get(SESSION_TOKEN_KEY)
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash_token(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    logout_user()
    session.clear()


def end_sessions_of(user_id: int, keep: str | None = None) -> None:
    """End every session of one person, except the one whose token hash is ``keep`` (the
    browser making the change: ``current_session_hash()``)."""
    statement = (
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    if keep is not None:
        statement = statement.where(UserSession.token_hash != keep)
    db.session.execute(statement)


def seconds_until_idle_sign_out() -> int:
    """How long this browser may stay idle before it is signed out."""
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    return max(0, int(session.get(SEEN_KEY, 0)) + idle - int(time.time()))


def _expiry_message(now: int) -> str | None:
    """Why this browser's session has run out, in words for the person; None while it has not."""
    config = current_app.config
    started = int(session.get(STARTED_KEY, 0))
    seen = int(session.get(SEEN_KEY, 0))
    idle_minutes = config["SESSION_IDLE_MINUTES"]
    max_hours = config["SESSION_MAX_HOURS"]
    if now - started > max_hours * 3600:
        return ngettext(
            "You were signed out because you had been signed in for %(num)d hour. This keeps "
            "your account safe. Sign in again to carry on.",
            "You were signed out because you had been signed in for %(num)d hours. This keeps "
            "your account safe. Sign in again to carry on.",
            max_hours,
        )
    if now - seen > idle_minutes * 60:
        return ngettext(
            "You were signed out because you had not used the portal for %(num)d minute. This "
            "keeps your account safe. Sign in again to carry on.",
            "You were signed out because you had not used the portal for %(num)d minutes. This "
            "keeps your account safe. Sign in again to carry on.",
            idle_minutes,
        )
    return None


# The account behind a live session. Every signed-in request asks this, so the statement is
# built once and only its values are bound when it runs: building a statement costs more than
# running one this small (see "What keeps pages fast" in the README).
@cache
def _signed_in_user() -> Select[Any]:
    return (
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == bindparam("user_id"),
            User.is_active_account.is_(True),
            UserSession.token_hash == bindparam("token_hash"),
            UserSession.ended_at.is_(None),
        )
    )


def _load_user(user_id: str) -> User | None:
    token = session.get(SESSION_TOKEN_KEY)
    if not token or not user_id.isdigit():
        return None
    now = int(time.time())
    expired = _expiry_message(now)
    if expired:
        session.clear()
        # Shown on the next page, usually the sign-in page the person is sent to.
        flash(expired, "info")
        return None
    if request.endpoint not in QUIET_ENDPOINTS:
        _save_last_seen(token, now)
    user = db.session.scalar(
        _signed_in_user(), {"user_id": int(user_id), "token_hash": _hash_token(token)}
    )
    if user is None:
        session.clear()
        return None
    if request.endpoint not in QUIET_ENDPOINTS:
        session[SEEN_KEY] = now
    return user


# Endpoints the browser calls by itself; they must not count as the person being active.
QUIET_ENDPOINTS: frozenset[str] = frozenset({"accounts.session_status"})


def init_sessions(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = None  # type: ignore[assignment]
    login_manager.session_protection = None  # our own session table does this job
