"""Administration and panel membership: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from portal.accounts.invitations import invite
from portal.extensions import db
from portal.panels.models import Membership, Role, Site

if TYPE_CHECKING:
    from tests.world import World

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
# The administration pages themselves are for administrators (Rule.ADMIN): the matrix expects
# "ok" for the administrator and 403 for everyone else signed in.
ALLOWED: dict[str, set[str]] = {
    "admin.panel_members": {"chair", "researcher"},
    "admin.invite_member": {"chair", "researcher"},
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "name": "Forged panel or site",
    "description": "Forged description",
    "role": "researcher",
}


def add(world: World) -> None:
    """Add this domain's objects to ``world.values`` (URL arguments) and any exceptions."""
    cast = world.cast
    member = cast.people["member"]
    membership = db.session.scalars(
        select(Membership).where(
            Membership.panel_id == cast.panel.id, Membership.user_id == member.id
        )
    ).one()
    site = db.session.scalars(select(Site).where(Site.panel_id == cast.panel.id)).first()
    assert site is not None
    invitation = invite(
        cast.panel.id, "invited@example.org", Role.MEMBER, cast.people["researcher"].id
    )
    db.session.commit()
    world.values.update(
        {
            "user_id": member.id,
            "membership_id": membership.id,
            "site_id": site.id,
            "invitation_id": invitation.id,
        }
    )
