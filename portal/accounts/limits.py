"""Rate limits on signing in and on everything that sends a link or accepts an invitation.

Each is counted twice: per client address (someone trying many accounts) and per account
(many addresses trying one account). The account is keyed on a hash of the submitted email
address, so the counters (in Redis, in production) hold no email addresses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, request

from portal.accounts.service import normalise_email
from portal.extensions import client_address, limiter

WINDOW = "15 minutes"
SIGN_IN_PER_ADDRESS = f"10 per {WINDOW}"
SIGN_IN_PER_ACCOUNT = f"5 per {WINDOW}"
LINK_REQUESTS_PER_ADDRESS = f"10 per {WINDOW}"
LINK_REQUESTS_PER_ACCOUNT = f"3 per {WINDOW}"
INVITATION_PER_ADDRESS = f"10 per {WINDOW}"
INVITATION_PER_ACCOUNT = f"10 per {WINDOW}"

View = TypeVar("View", bound=Callable[..., Any])


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def submitted_account() -> str:
    """The account a form is about: the email address it carries, lower-cased and hashed.

    A form without one counts against its client address instead, never a shared bucket.
    """
    email = normalise_email(request.form.get("email", ""))
    if not email:
        return f"address:{client_address()}"
    return f"email:{_digest(email)}"


def invitation_account() -> str:
    """The account an invitation link is for, keyed on the link (one link, one address)."""
    token = (request.view_args or {}).get("token", "")
    return f"invitation:{_digest(str(token))}"


def attempt_failed(response: Response) -> bool:
    """A sign-in or acceptance attempt failed when the form came back instead of a redirect."""
    return response.status_code != 302


def limited(
    per_address: str,
    per_account: str,
    account_key: Callable[[], str],
    only_failures: bool = False,
) -> Callable[[View], View]:
    """Limit a view's POSTs per client address and per account.

    With ``only_failures``, only attempts that fail count, so people who sign in successfully
    many times (or many people behind one office address) are never held up.
    """
    deduct_when = attempt_failed if only_failures else None

    def decorate(view: View) -> View:
        view = limiter.limit(
            per_account,
            key_func=account_key,
            methods=["POST"],
            deduct_when=deduct_when,
            scope="account",
        )(view)
        return limiter.limit(
            per_address,
            key_func=client_address,
            methods=["POST"],
            deduct_when=deduct_when,
            scope="address",
        )(view)

    return decorate
