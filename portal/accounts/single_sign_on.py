"""Single sign-on for study-team staff with OpenID Connect (authorization code flow).

authlib does the protocol: state, nonce and PKCE (S256) are kept in the signed session cookie
between the two requests, and the ID token's signature, issuer, audience, expiry and nonce are
checked when the person comes back. This module decides who that person is in the portal: an
account already linked to the provider's subject, or else an existing account with the same,
verified, email address. It never creates an account.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from portal.accounts.models import SingleSignOnIdentity, User
from portal.accounts.service import find_user_by_email
from portal.audit.service import AuditAction, record
from portal.extensions import db

CLIENT_NAME = "organisation"
RETURN_PATH = "/sign-in/single-sign-on/return"
HTTP_TIMEOUT_SECONDS = 10
_EXTENSION_KEY = "portal.single_sign_on"
_lock = threading.Lock()


def is_configured(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return bool(config["OIDC_ISSUER"] and config["OIDC_CLIENT_ID"])


def issuer() -> str:
    return str(current_app.config["OIDC_ISSUER"]).rstrip("/")


def client() -> Any:
    """This application's OpenID Connect client, made on first use from its configuration."""
    from authlib.integrations.flask_client import OAuth  # loaded only where single sign-on is used

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _lock:
        if _EXTENSION_KEY not in app.extensions:
            registry = OAuth()
            registry.init_app(app)
            registry.register(
                CLIENT_NAME,
                client_id=app.config["OIDC_CLIENT_ID"],
                client_secret=app.config["OIDC_CLIENT_SECRET"] or None,
                server_metadata_url=issuer() + "/.well-known/openid-configuration",
                client_kwargs={
                    "scope": "openid email profile",
                    "code_challenge_method": "S256",
                    "default_timeout": HTTP_TIMEOUT_SECONDS,
                },
            )
            app.extensions[_EXTENSION_KEY] = registry.create_client(CLIENT_NAME)
    return app.extensions[_EXTENSION_KEY]


def exchange_errors(*, token_checked: bool) -> tuple[type[Exception], ...]:
    """What a failed exchange with the provider raises: the provider out of reach, or (once its
    ID token is checked) a token that fails a check. Looked up only when an exchange fails, so
    authlib, joserfc and requests stay unloaded in a portal that does not use single sign-on
    (they are most of a web worker's memory otherwise)."""
    from authlib.common.errors import AuthlibBaseError
    from requests import RequestException

    reachable: tuple[type[Exception], ...] = (RequestException, ValueError, AuthlibBaseError)
    if not token_checked:
        return reachable
    from joserfc.errors import JoseError

    return (*reachable, JoseError, KeyError)


def return_url() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/") + RETURN_PATH


def id_token_checks() -> dict[str, Any]:
    """What the ID token must say, on top of authlib's own checks (signature, audience, nonce,
    expiry): the issuer we were configured with, not only the one the provider announces."""
    return {
        "iss": {"essential": True, "values": [issuer()]},
        "sub": {"essential": True},
    }


class Refusal(enum.StrEnum):
    """Why someone who came back from the provider was not signed in."""

    FAILED = "failed"  # the exchange or a check of the ID token failed (state, nonce, signature…)
    UNVERIFIED_EMAIL = "unverified_email"
    NO_ACCOUNT = "no_account"
    LINKED_ELSEWHERE = "linked_elsewhere"


@dataclass(frozen=True)
class Outcome:
    user: User | None
    refusal: Refusal | None = None


def account_for(claims: dict[str, Any]) -> Outcome:
    """The portal account for the person the provider vouched for; commits with the request.

    Links the account to the provider's subject the first time (by verified email address).
    """
    token_issuer, subject = str(claims.get("iss", "")), str(claims.get("sub", ""))
    linked = db.session.scalar(
        select(SingleSignOnIdentity).where(
            SingleSignOnIdentity.issuer == token_issuer,
            SingleSignOnIdentity.subject == subject,
        )
    )
    if linked is not None:
        user = db.session.get(User, linked.user_id)
        if user is None or not user.is_active_account:
            return _refuse(Refusal.NO_ACCOUNT, None)
        return Outcome(user)
    email = str(claims.get("email") or "")
    if not email or claims.get("email_verified") is not True:
        return _refuse(Refusal.UNVERIFIED_EMAIL, None)
    user = find_user_by_email(email)
    if user is None or not user.is_active_account:
        return _refuse(Refusal.NO_ACCOUNT, None)
    other_link = db.session.scalar(
        select(SingleSignOnIdentity).where(
            SingleSignOnIdentity.issuer == token_issuer,
            SingleSignOnIdentity.user_id == user.id,
        )
    )
    if other_link is not None:
        # Another identity at this provider already signs in to this account.
        return _refuse(Refusal.LINKED_ELSEWHERE, user.id)
    db.session.add(SingleSignOnIdentity(user_id=user.id, issuer=token_issuer, subject=subject))
    record(AuditAction.SINGLE_SIGN_ON_LINKED, subject_user_id=user.id, actor_id=user.id)
    return Outcome(user)


def _refuse(refusal: Refusal, user_id: int | None) -> Outcome:
    record(AuditAction.SINGLE_SIGN_ON_REFUSED, subject_user_id=user_id, detail=refusal.value)
    return Outcome(None, refusal)


def refused_exchange(reason: str) -> None:
    """Record that a return from the provider failed a check; commits with the request."""
    record(
        AuditAction.SINGLE_SIGN_ON_REFUSED,
        detail=f"{Refusal.FAILED.value}: {reason}"[:300],
    )
