"""One of every kind of object in a panel, for tests that walk every route."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.drafts.models import Draft, DraftItem, DraftKind
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from tests.roles import Cast


@dataclass
class World:
    cast: Cast
    values: dict[str, Any]
    # (endpoint, role) pairs whose answer legitimately differs from the plain rule, and why.
    exceptions: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    skip_get: set[str] = field(default_factory=set)
    # The same for POSTs with no CSRF token, where the answer differs from the plain rule.
    forged_exceptions: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def value_for(self, name: str, endpoint: str) -> Any:
        if name not in self.values:
            raise KeyError(
                f"{endpoint} needs a value for <{name}>: add one to tests/world.py build_world"
            )
        return self.values[name]

    def allows(self, endpoint: str, role: str, got: str) -> bool:
        return got in self.exceptions.get((endpoint, role), set())

    def allows_forged(self, endpoint: str, role: str, got: str) -> bool:
        return got in self.forged_exceptions.get((endpoint, role), set())

    def plausible_form(self, endpoint: str) -> dict[str, str]:
        """Fields a real form would send, minus the CSRF token."""
        from tests.worlds import DOMAINS

        extra: dict[str, str] = {}
        for domain in DOMAINS:
            extra.update(domain.FORM)
        return extra | {
            "lock_version": "1",
            "title": "Forged title",
            "direction": "up",
            "email": "forged@example.org",
            "password": "forged password forged password",
            "body": "Forged text",
            "status": "actioned",
        }


def build_world(cast: Cast) -> World:
    researcher = cast.people["researcher"]
    draft: Draft = create_draft(
        cast.panel.id,
        DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title="World draft"),
        researcher.id,
    )
    item: DraftItem = add_item(draft, ItemDetails(title="World item"), draft.lock_version)
    publish(draft, researcher.id, draft.lock_version)
    add_item(draft, ItemDetails(title="Second world item"), draft.lock_version)
    publish(draft, researcher.id, draft.lock_version)
    db.session.commit()
    values: dict[str, Any] = {
        "panel_id": cast.panel.id,
        "draft_id": draft.id,
        "item_id": item.id,
        "number": 1,
        # Emailed links: a token that matches nothing, so every such page says the link does
        # not work (404). Their working paths are tested in test_invitations and test_email_links.
        "token": "no-such-token",
    }
    link_pages = (
        "accounts.accept_invitation",
        "accounts.use_sign_in_link",
        "accounts.reset_password",
        "accounts.confirm_new_email",
    )
    exceptions = {
        (endpoint, role): {"404"}
        for endpoint in link_pages
        for role in ("anonymous", *cast.people.keys())
    }
    world = World(cast=cast, values=values, exceptions=exceptions)
    # Moving an item is a button, not a form to show again: a forged press is a 400.
    world.forged_exceptions[("drafts.move_item", "researcher")] = {"status 400"}
    from tests.worlds import DOMAINS

    for domain in DOMAINS:
        domain.add(world)
    return world
