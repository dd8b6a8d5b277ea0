"""Administration and panel membership: objects and rules for the access matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from portal.accounts.invitations import invite
from portal.accounts.models import Invitation
from portal.audit.models import AuditEvent
from portal.audit.service import AuditAction
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Membership, Panel, Role, Site
from tests.growth import insert_rows, people_for, token

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


def grow(world: World, count: int) -> None:
    """``count`` more of everything the administration pages list: members of the world's
    panel, its sites and invitations, other panels (each with the world's member in it, so the
    member's own page lists more), and audit events."""
    panel_id = world.cast.panel.id
    people = world.cast.people
    member_ids = people_for(world, "admin", count)
    start = db.session.scalar(select(func.count(Panel.id))) or 0
    numbers = range(start + 1, start + 1 + count)
    panel_ids = insert_rows(
        Panel,
        [
            {
                "name": f"Grown panel {number}",
                "study_name": "Grown study",
                "next_pseudonym_number": 2,
            }
            for number in numbers
        ],
    )
    insert_rows(
        Membership,
        [
            {
                "panel_id": grown_panel_id,
                "user_id": people["member"].id,
                "role": Role.MEMBER,
                "pseudonym_code": "LEAP-01",
            }
            for grown_panel_id in panel_ids
        ],
    )
    insert_rows(
        Site, [{"panel_id": panel_id, "name": f"Grown site {number}"} for number in numbers]
    )
    now = utcnow()
    roles = list(Role)
    insert_rows(
        Invitation,
        [
            {
                "panel_id": panel_id,
                "email": f"invited-{number}@example.org",
                "role": roles[number % len(roles)],
                "invited_by_id": people["researcher"].id,
                "token_hash": token() + token(),
                "created_at": now - timedelta(days=number % 20),
                "expires_at": now + timedelta(days=14 - number % 20),
                "revoked_at": now if number % 9 == 0 else None,
            }
            for number in numbers
        ],
    )
    actions = list(AuditAction)
    subjects = [people["member"].id, *member_ids]
    insert_rows(
        AuditEvent,
        [
            {
                "occurred_at": now - timedelta(minutes=number),
                "action": actions[number % len(actions)],
                "actor_id": people["researcher"].id if number % 5 else None,
                "subject_user_id": subjects[number % len(subjects)],
                "panel_id": panel_id if number % 2 else panel_ids[number - start - 1],
                "client_address": "192.0.2.10",
                "detail": f"grown event {number}",
            }
            for number in numbers
        ],
    )
    db.session.commit()
