"""One of every kind of object in a panel, for tests that walk every route."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from portal.core.models import SupportContact
from portal.drafts.models import Draft, DraftItem, DraftKind, DraftVersion, VersionItem
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from portal.panels.models import Site
from tests.growth import insert_rows
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
    # Panel members added by ``grow`` (user ids, oldest first), shared by every domain's rows,
    # and how many of them each domain has hung rows on so far (``tests.growth.people_for``).
    grown_people: list[int] = field(default_factory=list)
    people_used: dict[str, int] = field(default_factory=dict)

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


def grow(world: World, count: int) -> None:
    """``count`` more drafts in the panel, items in the world draft's working copy and in both
    its published versions, and places to find support."""
    panel_id = world.cast.panel.id
    draft_id = world.values["draft_id"]
    site_id = db.session.scalar(select(Site.id).where(Site.panel_id == panel_id).limit(1))
    kinds = list(DraftKind)
    insert_rows(
        Draft,
        [
            {
                "panel_id": panel_id,
                "site_id": site_id if number % 2 else None,
                "kind": kinds[number % len(kinds)],
                "title": f"Grown draft {number}",
                "created_by_id": world.cast.people["researcher"].id,
            }
            for number in range(count)
        ],
    )
    last = db.session.scalar(
        select(func.max(DraftItem.position)).where(DraftItem.draft_id == draft_id)
    )
    items = [
        {
            "key": f"grown{position}",
            "position": position,
            "title": f"Grown item {position}",
            "description": f"What people said about *item {position}*.",
            "theme": f"Theme {position % 7}",
        }
        for position in range((last or 0) + 1, (last or 0) + 1 + count)
    ]
    insert_rows(DraftItem, [{"draft_id": draft_id, **item} for item in items])
    version_ids = db.session.scalars(
        select(DraftVersion.id).where(DraftVersion.draft_id == draft_id)
    ).all()
    insert_rows(
        VersionItem,
        [{"version_id": version_id, **item} for version_id in version_ids for item in items],
    )
    first = db.session.scalar(select(func.count(SupportContact.id))) or 0
    insert_rows(
        SupportContact,
        [
            {
                "name": f"Support line {number}",
                "description": "Free, confidential support, day or night.",
                "phone": "0800 000 0000",
                "website": "https://support.example.org",
                "hours": "Every day, 8am to midnight",
                "position": number,
            }
            for number in range(first + 1, first + 1 + count)
        ],
    )
    db.session.commit()


def grow_world(world: World, count: int) -> None:
    """Add ``count`` more rows of what every page lists, hung on the world's own objects so the
    same addresses show more: the drafts here, then each domain's ``grow``."""
    from tests.worlds import DOMAINS

    grow(world, count)
    for domain in DOMAINS:
        grow_domain = getattr(domain, "grow", None)
        if grow_domain is None:
            raise NotImplementedError(
                f"{domain.__name__} has no grow(world, count): write one next to its add() that "
                "adds count more rows of what the domain's pages list (see tests/growth.py)"
            )
        grow_domain(world, count)
