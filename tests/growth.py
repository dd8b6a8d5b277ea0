"""Many rows at once, for the query-budget test: each domain's ``grow`` in ``tests/worlds/``
adds rows with these, so a thousand of anything take seconds rather than minutes.

Rows go in with bulk ``insert()``, which skips the ORM's events, so the safe HTML that
``keep_html`` would keep beside a person's words is filled here, rendered once per wording
(only a number differs between rows), exactly as the portal itself would have stored it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from portal.accounts.models import User
from portal.extensions import db
from portal.panels.models import Membership, Panel, Role
from portal.text import render_preview, render_user_text

if TYPE_CHECKING:
    from tests.world import World

NUMBER = "NUMBER"


@dataclass(frozen=True)
class Wording:
    """Words a person wrote, with ``NUMBER`` where each row's own number goes."""

    source: str

    def text(self, number: int) -> str:
        return self.source.replace(NUMBER, str(number))

    def html(self, number: int) -> str:
        return _rendered(self.source, False).replace(NUMBER, str(number))

    def preview(self, number: int) -> str:
        return _rendered(self.source, True).replace(NUMBER, str(number))


_RENDERED: dict[tuple[str, bool], str] = {}


def _rendered(source: str, preview: bool) -> str:
    key = (source, preview)
    if key not in _RENDERED:
        _RENDERED[key] = str(render_preview(source) if preview else render_user_text(source))
    return _RENDERED[key]


def insert_rows(model: Any, rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Insert ``rows`` in one statement (batched by SQLAlchemy) and return their ids in order."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, list(rows)))


def token() -> str:
    """A unique value for columns that must be unique (token hashes, calendar uids...)."""
    return secrets.token_hex(16)


def people_for(world: World, domain: str, count: int) -> list[int]:
    """``count`` members of the world's panel that ``domain`` has not hung rows on yet.

    Every domain shares the same extra members (made here the first time they are needed), so
    after growing by 10 and then by 990 the panel has 1,000 more members, not one set per domain.
    """
    start = world.people_used.get(domain, 0)
    wanted = start + count
    if len(world.grown_people) < wanted:
        world.grown_people.extend(_add_members(world, wanted - len(world.grown_people)))
    world.people_used[domain] = wanted
    return world.grown_people[start:wanted]


def _add_members(world: World, count: int) -> list[int]:
    panel = db.session.get(Panel, world.cast.panel.id)
    assert panel is not None
    first = len(world.grown_people) + 1
    numbers = range(first, first + count)
    user_ids = insert_rows(
        User,
        [
            {
                "email": f"grown-member-{number}-{secrets.token_hex(3)}@example.org",
                "display_name": f"Grown member {number}",
                "password_hash": None,
                "accessibility_needs": "Large print, please." if number % 3 == 0 else "",
            }
            for number in numbers
        ],
    )
    start = db.session.scalar(select(Panel.next_pseudonym_number).where(Panel.id == panel.id))
    assert start is not None
    insert_rows(
        Membership,
        [
            {
                "panel_id": panel.id,
                "user_id": user_id,
                "role": Role.MEMBER,
                "pseudonym_code": f"{panel.pseudonym_prefix}-{start + index:02d}",
            }
            for index, user_id in enumerate(user_ids)
        ],
    )
    panel.next_pseudonym_number = start + count
    db.session.flush()
    return user_ids
