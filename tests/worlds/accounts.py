"""Account page, two-step and single sign-on: objects and rules for the access matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from portal.accounts.models import UserSession
from portal.db import utcnow
from portal.extensions import db
from tests.growth import insert_rows, token

if TYPE_CHECKING:
    from tests.world import World

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "display_name": "Forged name",
    "current_password": "forged password forged password",
    "contact_preference": "phone",
    "phone": "07700 900 982",
    "accessibility_needs": "Forged needs",
    "language": "en",
    "code": "123456",
    "require_two_step_for_staff": "y",
}


def add(world: World) -> None:
    """Add this domain's objects to ``world.values`` (URL arguments) and any exceptions."""
    # A signed-in session of the researcher's: everyone else asking to end it gets a 404.
    researcher = world.cast.people["researcher"]
    user_session = UserSession(token_hash="0" * 64, user_id=researcher.id)
    db.session.add(user_session)
    db.session.commit()
    world.values["session_id"] = user_session.id
    # The sign-in's second step is only for someone who has just given their password; anyone
    # else is sent back to sign in.
    for role in ("anonymous", *world.cast.people):
        world.exceptions[("accounts.two_step_check", role)] = {"sign-in"}
        # No OpenID provider is configured for these tests: single sign-on is not there.
        world.exceptions[("accounts.single_sign_on_start", role)] = {"404"}
        world.exceptions[("accounts.single_sign_on_return", role)] = {"404"}
    # These forms answer a failed CSRF check with the "form expired" page (400), not by showing
    # the form again: there is nothing typed to keep.
    for endpoint in (
        "accounts.new_recovery_codes",
        "accounts.turn_off_two_step",
        "accounts.two_step_check",
    ):
        for role in world.cast.people:
            world.forged_exceptions[(endpoint, role)] = {"status 400"}


BROWSERS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36",
)


def grow(world: World, count: int) -> None:
    """``count`` more signed-in sessions of the researcher's (the query-budget test asks for
    account pages as the researcher first), a few of them ended."""
    researcher = world.cast.people["researcher"]
    now = utcnow()
    insert_rows(
        UserSession,
        [
            {
                "token_hash": token() + token(),
                "user_id": researcher.id,
                "client_address": f"192.0.2.{number % 250 + 1}",
                "user_agent": BROWSERS[number % len(BROWSERS)],
                "created_at": now - timedelta(hours=number % 48 + 1),
                "last_seen_at": now - timedelta(minutes=number % 600),
                "ended_at": now if number % 7 == 0 else None,
            }
            for number in range(count)
        ],
    )
    db.session.commit()
