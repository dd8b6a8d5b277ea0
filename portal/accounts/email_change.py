"""Changing the email address of an account, confirmed from the new address.

The account page asks for the new address (after the person proves who they are again). A
link goes to the new address; nothing changes until it is opened and confirmed. The old address
is told, so a person whose account was taken over finds out.
"""

from __future__ import annotations

import enum

from flask import current_app

from portal.accounts.email_links import issue_token, public_link, void_tokens_of
from portal.accounts.models import EmailToken, EmailTokenPurpose, User
from portal.accounts.service import find_user_by_email, normalise_email
from portal.audit.service import AuditAction, record
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell, tell_address
from portal.text import plain_later


class EmailChangeRefused(enum.StrEnum):
    """Why a confirmed email change could not be made."""

    ADDRESS_TAKEN = "address_taken"


def request_email_change(user: User, new_email: str) -> None:
    """Ask to move ``user``'s account to ``new_email``; commits with the request.

    Queues a confirmation link to the new address and a notice to the old one. If the new
    address already belongs to another account, the new address is told that instead (and no
    link is sent), so this never reveals to the person asking whether an address has an account.
    Asking for the address the account already has does nothing.
    """
    address = normalise_email(new_email)
    if address == user.email:
        return
    service_name = current_app.config["SERVICE_NAME"]
    holder = find_user_by_email(address)
    if holder is not None:
        tell_address(
            address,
            Kind.ACCOUNT,
            locale=holder.language or None,  # it is theirs: in their language
            subject=plain_later(
                "This email address already has a %(service)s account", service=service_name
            ),
            template="email_change_in_use",
        )
    else:
        token = issue_token(user, EmailTokenPurpose.EMAIL_CHANGE, new_email=address)
        tell_address(
            address,
            Kind.ACCOUNT,
            locale=user.language or None,  # the person's own new address
            subject=plain_later(
                "Confirm your new email address for %(service)s", service=service_name
            ),
            template="email_change_confirm",
            name=user.display_name,
            link=public_link(f"/account/email/confirm/{token}"),
        )
    tell(
        user,
        Kind.ACCOUNT,
        subject=plain_later(
            "Someone asked to change your %(service)s email address", service=service_name
        ),
        template="email_change_notice",
        link=public_link("/account"),
        name=user.display_name,
        reset_link=public_link("/reset-password"),
    )
    record(AuditAction.EMAIL_CHANGE_REQUESTED, subject_user_id=user.id)


def confirm_email_change(email_token: EmailToken) -> EmailChangeRefused | None:
    """Move the token's account to the address it confirms; the caller has marked the token
    used, and commits. Returns why not, if the address was taken meanwhile.

    Links sent to the old address stop working.
    """
    user = email_token.user
    address = normalise_email(email_token.new_email or "")
    other = find_user_by_email(address)
    if not address or (other is not None and other.id != user.id):
        return EmailChangeRefused.ADDRESS_TAKEN
    user.email = address
    void_tokens_of(user.id)
    record(AuditAction.EMAIL_CHANGED, subject_user_id=user.id, actor_id=user.id)
    return None
