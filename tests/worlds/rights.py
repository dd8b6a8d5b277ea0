"""Data rights and care: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from portal.extensions import db
from portal.panels.models import Membership
from portal.rights.care import ask_to_be_contacted
from portal.rights.models import ContactWay
from tests.growth import Wording, insert_rows, people_for

if TYPE_CHECKING:
    from tests.world import World

MEMBERS_AND_CHAIR = {"member", "chair"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "rights.pause": MEMBERS_AND_CHAIR,
    "rights.come_back": MEMBERS_AND_CHAIR,
    "rights.leave_panel": MEMBERS_AND_CHAIR,
    "rights.contact_me": MEMBERS_AND_CHAIR,
    "rights.contact_requests": {"chair", "researcher"},
    "rights.contact_request": {"chair", "researcher"},
    "rights.panel_contacts": {"researcher"},
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "how_long": "return",
    "message": "Forged message",
    "contact_way": "email",
    "words": "keep",
    "research_months": "120",
    "research_action": "pseudonymise",
    "admin_months": "12",
}


def add(world: World) -> None:
    """A member's request to be contacted."""
    cast = world.cast
    member = cast.people["member"]
    membership = db.session.scalars(
        select(Membership).where(
            Membership.panel_id == cast.panel.id, Membership.user_id == member.id
        )
    ).one()
    request = ask_to_be_contacted(membership, member, "World request", ContactWay.EMAIL)
    db.session.commit()
    world.values["request_id"] = request.id
    # A copy-of-data link that matches nothing: every signed-in person is told it no longer
    # works (404). The working link is tested in test_data_rights.
    for role in world.cast.people:
        world.exceptions[("rights.download_copy", role)] = {"404"}
    # Coming back is a button, not a form to show again: a forged press is a 400.
    for role in ("member", "chair"):
        world.forged_exceptions[("rights.come_back", role)] = {"status 400"}


MESSAGE = Wording("Please call me about NUMBER, *after 6pm* if you can.")


def grow(world: World, count: int) -> None:
    """``count`` more members' requests to be contacted, in every state."""
    from portal.rights.models import SupportRequest, SupportStatus

    ways = list(ContactWay)
    statuses = list(SupportStatus)
    insert_rows(
        SupportRequest,
        [
            {
                "panel_id": world.cast.panel.id,
                "user_id": user_id,
                "message": MESSAGE.text(number),
                "message_html": MESSAGE.html(number),
                "contact_way": ways[number % len(ways)],
                "status": statuses[number % len(statuses)],
            }
            for number, user_id in enumerate(people_for(world, "rights", count))
        ],
    )
    db.session.commit()
