"""How we contact you, unsubscribe links, Notify's receipts, panel defaults and calls to make:
objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.world import World

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "notifications.panel_defaults": {"researcher"},
    "notifications.calls": {"chair", "researcher"},
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "delivery_minutes": "off",
    "mobile": "07700 900982",
    "weekly_day": "2",
    "choice": "off",
}


def add(world: World) -> None:
    """The world's ``token`` matches nothing, so an unsubscribe link says it does not work (404)
    for everyone; its working paths are in test_notifications. Notify's receipt endpoint is off
    (404) with no callback token set; it is tested with one in test_texts. Neither asks for a
    CSRF token: the signed token or the bearer token is their proof."""
    for role in ("anonymous", *world.cast.people):
        for endpoint in ("notifications.unsubscribe", "notifications.delivery_status"):
            world.exceptions[(endpoint, role)] = {"404"}
            world.forged_exceptions[(endpoint, role)] = {"404"}


def grow(world: World, count: int) -> None:
    """``count`` more members who asked to be phoned instead of written to, so the calls to
    make before the world meeting list more people."""
    from sqlalchemy import update

    from portal.accounts.models import User
    from portal.extensions import db
    from portal.notifications.preferences import PHONE_INSTEAD
    from tests.growth import people_for

    people = people_for(world, "notifications", count)
    db.session.execute(
        update(User)
        .where(User.id.in_(people))
        .values(contact_preference=PHONE_INSTEAD, phone="07700 900 982")
    )
    db.session.commit()
