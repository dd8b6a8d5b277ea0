"""Invitations: how people join a panel.

The study team invites an email address to a panel with a role. The email holds a link with a
random token (256 bits); only its hash is stored. The link works once, for 7 days. Inviting the
same address to the same panel again replaces the older link, and an invitation can be revoked.
Accepting it creates the account (or adds the panel to the account the address already has) and
the membership, with the panel's next pseudonym code.
"""

from __future__ import annotations

import enum
from datetime import timedelta

from flask import current_app
from flask_babel import LazyString, gettext
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from portal.accounts.email_links import hash_token, new_token, public_link
from portal.accounts.models import Invitation, User
from portal.accounts.service import create_user, find_user_by_email, normalise_email
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell_address
from portal.panels.models import Membership, Panel, Role
from portal.panels.service import next_pseudonym_code
from portal.text import plain_later

INVITATION_LIFETIME = timedelta(days=7)


class InvitationProblem(enum.StrEnum):
    """Why an invitation link cannot be used."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REPLACED = "replaced"  # revoked because the same address was invited again
    USED = "used"
    ACCOUNT_CLOSED = "account_closed"  # the address's account has been deactivated


class InvitationUnavailable(RuntimeError):
    """The invitation was accepted or revoked, or ran out, while the person was filling in."""


def _role_name(role: Role) -> str:
    return {
        Role.MEMBER: gettext("member"),
        Role.CHAIR: gettext("chair"),
        Role.RESEARCHER: gettext("researcher"),
    }[role]


def invite(panel_id: int, email: str, role: Role, invited_by_id: int) -> Invitation:
    """Invite ``email`` to the panel in ``role``, and queue the email with the link.

    Any open invitation for the same panel and address is revoked, so its link stops working.
    Records ``INVITATION_SENT``. Commits with the request (the email is only sent once it does).
    """
    address = normalise_email(email)
    now = utcnow()
    replaced = db.session.execute(
        update(Invitation)
        .where(
            Invitation.panel_id == panel_id,
            Invitation.email == address,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount  # type: ignore[attr-defined]
    token, token_hash = new_token()
    invitation = Invitation(
        panel_id=panel_id,
        email=address,
        role=role,
        invited_by_id=invited_by_id,
        token_hash=token_hash,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    panel = db.session.get_one(Panel, panel_id)
    inviter = db.session.get(User, invited_by_id)
    service_name = current_app.config["SERVICE_NAME"]
    # Someone who already has an account is invited in their own language.
    known = find_user_by_email(address)
    tell_address(
        address,
        Kind.INVITATION,
        locale=(known.language or None) if known else None,
        subject=plain_later("You are invited to join %(panel)s", panel=panel.name),
        template="invitation",
        panel_name=panel.name,
        study_name=panel.study_name,
        inviter_name=inviter.display_name if inviter else service_name,
        role_name=LazyString(_role_name, role),  # worded as the email is written
        link=public_link(f"/invitations/{token}"),
        expires_at=invitation.expires_at,
    )
    existing = known
    detail = f"invitation {invitation.id}; role: {role.value}"
    if replaced:
        detail += f"; replaces {replaced} earlier invitation(s)"
    record(
        AuditAction.INVITATION_SENT,
        actor_id=invited_by_id,
        subject_user_id=existing.id if existing else None,
        panel_id=panel_id,
        detail=detail,
    )
    return invitation


def revoke(invitation: Invitation, revoked_by_id: int) -> None:
    """Stop an invitation's link from working. An accepted or already revoked invitation is left
    as it is. Records ``INVITATION_REVOKED``; commits with the request."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return
    invitation.revoked_at = utcnow()
    record(
        AuditAction.INVITATION_REVOKED,
        actor_id=revoked_by_id,
        panel_id=invitation.panel_id,
        detail=f"invitation {invitation.id}",
    )


def open_invitations(panel_id: int) -> list[Invitation]:
    """The panel's invitations that can still be accepted, newest first, each with
    ``invited_by`` loaded."""
    return list(
        db.session.scalars(
            select(Invitation)
            .options(joinedload(Invitation.invited_by))
            .where(
                Invitation.panel_id == panel_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, with its panel and inviter loaded, whatever
    its state."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(Invitation)
        .options(joinedload(Invitation.panel), joinedload(Invitation.invited_by))
        .where(Invitation.token_hash == hash_token(token))
    )


def invitation_problem(invitation: Invitation | None) -> InvitationProblem | None:
    """Why this invitation cannot be accepted, or None if it can."""
    if invitation is None:
        return InvitationProblem.UNKNOWN
    if invitation.accepted_at is not None:
        return InvitationProblem.USED
    if invitation.revoked_at is not None:
        newer = db.session.scalar(
            select(Invitation.id).where(
                Invitation.panel_id == invitation.panel_id,
                Invitation.email == invitation.email,
                Invitation.id > invitation.id,
            )
        )
        return InvitationProblem.REPLACED if newer is not None else InvitationProblem.REVOKED
    if utcnow() >= invitation.expires_at:
        return InvitationProblem.EXPIRED
    account = find_user_by_email(invitation.email)
    if account is not None and not account.is_active_account:
        return InvitationProblem.ACCOUNT_CLOSED
    return None


def accept(invitation: Invitation, display_name: str = "", password: str | None = None) -> User:
    """Accept an open invitation and return the person's account; the caller signs them in.

    With no account for the address yet, one is made with ``display_name``, and ``password``
    (already checked with ``password_problem``), or no password when None: the person then
    signs in with emailed links. An existing account keeps its name and way of signing in.
    Either way the current privacy notice version is recorded as agreed now.

    The person joins the panel in the invited role with the panel's next pseudonym code. If they
    were in the panel before, their membership (and code) comes back; if they are in it now,
    nothing about it changes. Records ``INVITATION_ACCEPTED``; commits with the request.

    Raises ``InvitationUnavailable`` if the invitation was used, revoked or ran out meanwhile.
    """
    now = utcnow()
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if claimed != 1:
        raise InvitationUnavailable(f"invitation {invitation.id} can no longer be accepted")
    invitation.accepted_at = now

    user = find_user_by_email(invitation.email)
    if user is not None and not user.is_active_account:
        raise InvitationUnavailable(f"invitation {invitation.id} is for a deactivated account")
    if user is None:
        user = create_user(invitation.email, display_name, password)
        user.prefers_email_link = password is None
    user.privacy_notice_version = current_app.config["PRIVACY_NOTICE_VERSION"]
    user.privacy_notice_agreed_at = now

    # Lock the panel row so two people accepting at once never get the same pseudonym code.
    panel = db.session.scalars(
        select(Panel)
        .where(Panel.id == invitation.panel_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    membership = db.session.scalar(
        select(Membership).where(Membership.panel_id == panel.id, Membership.user_id == user.id)
    )
    if membership is None:
        db.session.add(
            Membership(
                panel_id=panel.id,
                user_id=user.id,
                role=invitation.role,
                pseudonym_code=next_pseudonym_code(panel),
            )
        )
    elif not membership.active:
        membership.active = True
        membership.role = invitation.role
    record(
        AuditAction.INVITATION_ACCEPTED,
        actor_id=user.id,
        subject_user_id=user.id,
        panel_id=panel.id,
        detail=f"invitation {invitation.id}; role: {invitation.role.value}",
    )
    db.session.flush()
    return user
