"""One-time links sent by email: signing in without a password, and resetting a password.

A link carries a random token (256 bits). Only its SHA-256 hash is stored, so a copy of the
database cannot be used to sign in. A link works once and only for a short time. Asking for a
link always looks the same from outside, whether or not the address has an account: the
request only records it, and the worker decides whether to send anything.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlencode

from flask import Flask, current_app
from flask_babel import ngettext
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from portal.accounts.models import EmailToken, EmailTokenPurpose, LinkRequest, User
from portal.accounts.passwords import hash_password
from portal.accounts.service import find_user_by_email, normalise_email
from portal.accounts.sessions import end_sessions_of
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.text import plain_later

LIFETIMES: dict[EmailTokenPurpose, timedelta] = {
    EmailTokenPurpose.SIGN_IN: timedelta(minutes=15),
    EmailTokenPurpose.PASSWORD_RESET: timedelta(hours=1),
    EmailTokenPurpose.EMAIL_CHANGE: timedelta(hours=24),
}
MAX_NEXT_PATH = 500  # LinkRequest.next_path; a longer one is dropped and the link goes home


class LinkProblem(enum.StrEnum):
    """Why an emailed link cannot be used."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    ACCOUNT_CLOSED = "account_closed"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token for a link, and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def public_link(path: str, **query: str) -> str:
    """The address of ``path`` on the public site, for an email."""
    base = current_app.config["BASE_URL"].rstrip("/")
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{base}{path}{suffix}"


def issue_token(user: User, purpose: EmailTokenPurpose, new_email: str | None = None) -> str:
    """Store a new one-time token for ``user`` and return it (the only time it is readable)."""
    token, token_hash = new_token()
    now = utcnow()
    db.session.add(
        EmailToken(
            purpose=purpose,
            user_id=user.id,
            token_hash=token_hash,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
            new_email=new_email,
        )
    )
    return token


def find_token(token: str, purpose: EmailTokenPurpose) -> EmailToken | None:
    """The stored token for ``token``, with its user, used or not; None if there is none."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(EmailToken)
        .options(joinedload(EmailToken.user))
        .where(EmailToken.token_hash == hash_token(token), EmailToken.purpose == purpose)
    )


def token_problem(
    email_token: EmailToken | None, now: datetime | None = None
) -> LinkProblem | None:
    """Why this link cannot be used, or None if it can."""
    if email_token is None:
        return LinkProblem.UNKNOWN
    if email_token.used_at is not None:
        return LinkProblem.USED
    if (now or utcnow()) >= email_token.expires_at:
        return LinkProblem.EXPIRED
    if not email_token.user.is_active_account:
        return LinkProblem.ACCOUNT_CLOSED
    return None


def use_token(email_token: EmailToken) -> bool:
    """Mark the token used. False if it was used (or ran out) meanwhile, so it works only once,
    even when the same link is opened twice at the same moment."""
    now = utcnow()
    result = db.session.execute(
        update(EmailToken)
        .where(
            EmailToken.id == email_token.id,
            EmailToken.used_at.is_(None),
            EmailToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    email_token.used_at = now
    return True


def void_tokens_of(user_id: int, purposes: Iterable[EmailTokenPurpose] = EmailTokenPurpose) -> None:
    """Make every unused link of these kinds sent to this person stop working."""
    db.session.execute(
        update(EmailToken)
        .where(
            EmailToken.user_id == user_id,
            EmailToken.used_at.is_(None),
            EmailToken.purpose.in_(list(purposes)),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def lifetime_in_words(purpose: EmailTokenPurpose) -> str:
    """How long a link works, as the email says it: "15 minutes", "1 hour", "24 hours"."""
    minutes = int(LIFETIMES[purpose].total_seconds() // 60)
    if minutes % 60 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", minutes // 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def ask_for_link(purpose: EmailTokenPurpose, email: str, next_url: str | None = None) -> None:
    """Record that someone asked for a sign-in or password reset link for ``email``.

    This does the same work whatever the address: it never looks the address up, so neither
    the answer nor the time it takes says whether there is an account. The worker sends the
    link (``send_asked_for_links``). ``next_url`` (a path on this site) is where a sign-in link
    leads afterwards. Commits with the request.
    """
    next_path = next_url if next_url and len(next_url) <= MAX_NEXT_PATH else None
    db.session.add(LinkRequest(purpose=purpose, email=normalise_email(email), next_path=next_path))


def send_asked_for_links(app: Flask) -> int:
    """Worker job: email a link for each request whose address has an active account, and
    forget every request (known or not). Returns how many links were queued.

    Each request is taken by deleting its row, so two workers never send the same link twice.
    """
    sent = 0
    with app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]):
        ids = list(db.session.scalars(select(LinkRequest.id).order_by(LinkRequest.id)))
        for request_id in ids:
            asked = db.session.get(LinkRequest, request_id)
            if asked is None:
                continue
            purpose, email, next_path = asked.purpose, asked.email, asked.next_path
            taken = db.session.execute(
                delete(LinkRequest)
                .where(LinkRequest.id == request_id)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                user = find_user_by_email(email)
                if user is not None and user.is_active_account:
                    _send_link(user, purpose, next_path)
                    sent += 1
            db.session.commit()
    return sent


def _send_link(user: User, purpose: EmailTokenPurpose, next_path: str | None) -> None:
    token = issue_token(user, purpose)
    service_name = current_app.config["SERVICE_NAME"]
    if purpose is EmailTokenPurpose.SIGN_IN:
        query = {"next": next_path} if next_path else {}
        tell(
            user,
            Kind.SIGN_IN,
            subject=plain_later("Your link to sign in to %(service)s", service=service_name),
            template="sign_in_link",
            link=public_link(f"/sign-in/link/{token}", **query),
            name=user.display_name,
            lifetime=lifetime_in_words(EmailTokenPurpose.SIGN_IN),
        )
        record(AuditAction.SIGN_IN_LINK_SENT, subject_user_id=user.id, actor_id=user.id)
    else:
        tell(
            user,
            Kind.SIGN_IN,
            subject=plain_later("Reset your %(service)s password", service=service_name),
            template="password_reset",
            link=public_link(f"/reset-password/{token}"),
            name=user.display_name,
            lifetime=lifetime_in_words(EmailTokenPurpose.PASSWORD_RESET),
        )
        record(AuditAction.PASSWORD_RESET_REQUESTED, subject_user_id=user.id, actor_id=user.id)


def reset_password(user: User, new_password: str) -> None:
    """Give ``user`` a new password after they proved they read their email.

    Every session of theirs ends and every other emailed link of theirs stops working, in case
    someone else had got in. The caller has checked the password with ``password_problem``,
    marked the link used, and commits.
    """
    user.password_hash = hash_password(new_password)
    user.prefers_email_link = False
    end_sessions_of(user.id)
    void_tokens_of(user.id, (EmailTokenPurpose.SIGN_IN, EmailTokenPurpose.PASSWORD_RESET))
    record(AuditAction.PASSWORD_RESET, subject_user_id=user.id, actor_id=user.id)
