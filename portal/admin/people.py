"""People, as administrators look after them: finding them, their roles, closing accounts.

Every change is recorded in the audit log in the same transaction, which commits with the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from portal.accounts.models import Invitation, User, UserSession
from portal.accounts.sessions import end_sessions_of
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Membership, Panel, Role

PEOPLE_PER_PAGE = 25


class LastAdministrator(RuntimeError):
    """The change would leave nobody able to run the portal."""


class OwnAccount(RuntimeError):
    """Administrators may not close their own account."""


def like_pattern(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, its own ``%`` and ``_`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class PeoplePage:
    people: list[User]
    total: int
    page: int
    pages: int


def search_people(query: str, page: int = 1) -> PeoplePage:
    """People whose name or email contains ``query`` (any case), by name, one page at a time."""
    conditions = []
    text = query.strip()[:200]
    if text:
        pattern = like_pattern(text.lower())
        conditions.append(
            or_(
                func.lower(User.display_name).like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"),
            )
        )
    total = db.session.scalar(select(func.count(User.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PEOPLE_PER_PAGE))
    page = min(max(1, page), pages)
    people = list(
        db.session.scalars(
            select(User)
            .where(*conditions)
            .order_by(func.lower(User.display_name), User.id)
            .limit(PEOPLE_PER_PAGE)
            .offset((page - 1) * PEOPLE_PER_PAGE)
        )
    )
    return PeoplePage(people=people, total=total, page=page, pages=pages)


def memberships_of_person(user_id: int) -> list[Membership]:
    """All of a person's memberships, current and ended, each with its panel, by panel name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.panel)
            .options(joinedload(Membership.panel))
            .where(Membership.user_id == user_id)
            .order_by(Membership.active.desc(), Panel.name)
        )
    )


def open_session_count(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(UserSession.id)).where(
                UserSession.user_id == user_id, UserSession.ended_at.is_(None)
            )
        )
        or 0
    )


def get_membership(user_id: int, membership_id: int) -> Membership | None:
    """The membership, with its panel, if it is this person's."""
    membership = db.session.scalar(
        select(Membership)
        .options(joinedload(Membership.panel))
        .where(Membership.id == membership_id, Membership.user_id == user_id)
    )
    return membership


def change_role(membership: Membership, role: Role) -> bool:
    """Give the person a new role in the panel. False when it is already their role.
    Records ``ROLE_CHANGED``."""
    if membership.role is role:
        return False
    old = membership.role
    membership.role = role
    record(
        AuditAction.ROLE_CHANGED,
        subject_user_id=membership.user_id,
        panel_id=membership.panel_id,
        detail=f"role: {old.value} to {role.value}",
    )
    return True


def end_membership(membership: Membership) -> bool:
    """Take the person out of the panel. Their pseudonym code stays theirs, so what they did
    before still adds up if they are invited back. Records ``MEMBERSHIP_ENDED``."""
    if not membership.active:
        return False
    membership.active = False
    record(
        AuditAction.MEMBERSHIP_ENDED,
        subject_user_id=membership.user_id,
        panel_id=membership.panel_id,
        detail=f"role was: {membership.role.value}",
    )
    return True


def _active_administrator_ids() -> list[int]:
    """Every active administrator, locked (on PostgreSQL) until the transaction ends, so two
    administrators removing each other at once cannot leave nobody."""
    return list(
        db.session.scalars(
            select(User.id)
            .where(User.is_admin.is_(True), User.is_active_account.is_(True))
            .order_by(User.id)
            .with_for_update()
        )
    )


def deactivate(person: User, acting_user_id: int) -> bool:
    """Close the account: the person can no longer sign in, every session of theirs ends now,
    and their open invitations stop working. Raises ``OwnAccount`` for the person acting and
    ``LastAdministrator`` for the only active administrator. Records ``ACCOUNT_DEACTIVATED``."""
    if person.id == acting_user_id:
        raise OwnAccount
    if not person.is_active_account:
        return False
    if person.is_admin and _active_administrator_ids() == [person.id]:
        raise LastAdministrator
    person.is_active_account = False
    end_sessions_of(person.id)
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.email == person.email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    record(AuditAction.ACCOUNT_DEACTIVATED, subject_user_id=person.id)
    return True


def reactivate(person: User) -> bool:
    """Open a closed account again; the person signs in as before. Their panel memberships are
    as they were. Records ``ACCOUNT_REACTIVATED``."""
    if person.is_active_account:
        return False
    person.is_active_account = True
    record(AuditAction.ACCOUNT_REACTIVATED, subject_user_id=person.id)
    return True


def set_administrator(person: User, is_admin: bool) -> bool:
    """Make the person an administrator, or stop them being one. Raises ``LastAdministrator``
    rather than remove the last active administrator. Records ``ADMIN_GRANTED`` or
    ``ADMIN_REMOVED``."""
    if person.is_admin == is_admin:
        return False
    if not is_admin and _active_administrator_ids() == [person.id]:
        raise LastAdministrator
    person.is_admin = is_admin
    record(
        AuditAction.ADMIN_GRANTED if is_admin else AuditAction.ADMIN_REMOVED,
        subject_user_id=person.id,
    )
    return True
