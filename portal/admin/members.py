"""Who is in a panel: the list the chair, the study team and administrators see."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.accounts.service import find_user_by_email
from portal.admin.forms import InvitationForm
from portal.extensions import db
from portal.panels.models import Membership, Panel, Role
from portal.panels.service import active_in_panel, active_membership

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
            .where(*active_in_panel(panel_id))
            .order_by(_ROLE_ORDER, func.lower(User.display_name), Membership.id)
        )
    )


def invitation_refused(panel: Panel, form: InvitationForm) -> bool:
    """Check an invitation against who is in the panel already; say why on the form."""
    person = find_user_by_email(form.email.data or "")
    if person is None:
        return False
    if not person.is_active_account:
        form.email.errors = [
            gettext(
                "The account for this email address is closed. An administrator can open it again."
            )
        ]
        return True
    if active_membership(panel.id, person.id) is not None:
        form.email.errors = [gettext("This person is already in the panel")]
        return True
    return False
