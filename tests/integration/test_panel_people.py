"""Who is in a panel: the one place every domain asks for the panel's people."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.panels.models import Membership, Role
from portal.panels.service import (
    MEMBERS_AND_CHAIR,
    active_in_panel,
    active_membership,
    active_memberships,
    active_people,
)
from tests.factories import add_to_panel, make_panel, make_user


def test_active_people_are_the_panel_s_current_people_with_open_accounts() -> None:
    panel, other_panel = make_panel(), make_panel()
    chair = make_user(name="Bea")
    member = make_user(name="Ann")
    researcher = make_user(name="Cal")
    left = make_user(name="Dev")
    closed = make_user(name="Eve")
    elsewhere = make_user(name="Fay")
    add_to_panel(panel, chair, Role.CHAIR)
    add_to_panel(panel, member, Role.MEMBER)
    add_to_panel(panel, researcher, Role.RESEARCHER)
    add_to_panel(panel, left).active = False
    add_to_panel(panel, closed)
    closed.is_active_account = False
    add_to_panel(other_panel, elsewhere)
    db.session.commit()

    assert active_people(panel.id) == [chair, member, researcher]
    assert active_people(panel.id, by_name=True) == [member, chair, researcher]
    assert active_people(panel.id, MEMBERS_AND_CHAIR) == [chair, member]
    assert active_people(panel.id, (Role.RESEARCHER,)) == [researcher]
    already = select(Membership.user_id).where(Membership.user_id == chair.id)
    assert active_people(panel.id, excluding=(already,)) == [member, researcher]
    # A closed account is still in the panel (its results and counts), only not written to.
    assert [m.user for m in active_memberships(panel.id)] == [chair, member, researcher, closed]
    counted = db.session.scalars(
        select(Membership.user_id).where(*active_in_panel(panel.id, MEMBERS_AND_CHAIR))
    )
    assert set(counted) == {chair.id, member.id, closed.id}


def test_active_membership_is_none_after_leaving_or_in_another_panel() -> None:
    panel, other_panel = make_panel(), make_panel()
    person = make_user()
    membership = add_to_panel(panel, person, Role.CHAIR)

    found = active_membership(panel.id, person.id)
    assert found is not None and found.role is Role.CHAIR
    assert active_membership(other_panel.id, person.id) is None

    membership.active = False
    db.session.commit()
    assert active_membership(panel.id, person.id) is None
