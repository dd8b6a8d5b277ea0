"""Who is in a panel: the list the chair, the study team and administrators see."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.extensions import db
from portal.panels.models import Membership, Role

_ROLE_ORDER = case(
    (Membership.role == Role.CHAIR, 0),
    (Membership.role == Role.MEMBER, 1),
    else_=2,
)


def panel_members(panel_id: int) -> list[Membership]:
    """The panel's current members, each with their account: the chair first, then members,
    then the study team, each group by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .options(joinedload(Membership.user))
            .where(Membership.panel_id == panel_id, Membership.active.is_(True))
            .order_by(_ROLE_ORDER, func.lower(User.display_name), Membership.id)
        )
    )
