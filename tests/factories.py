"""Make the people, panels and memberships a test needs, committed like real data."""

from __future__ import annotations

import itertools

from flask.testing import FlaskClient

from portal.accounts.models import User
from portal.accounts.service import create_user
from portal.extensions import db
from portal.panels.models import Membership, Panel, Role, Site
from portal.panels.service import next_pseudonym_code
from tests.conftest import submit_form

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(
    email: str | None = None,
    name: str | None = None,
    password: str | None = PASSWORD,
    is_admin: bool = False,
) -> User:
    number = next(_numbers)
    user = create_user(
        email or f"person{number}@example.org",
        name or f"Person {number}",
        password,
        is_admin=is_admin,
    )
    db.session.commit()
    return user


def make_panel(name: str | None = None, sites: tuple[str, ...] = ("East London",)) -> Panel:
    panel = Panel(name=name or f"Panel {next(_numbers)}")
    db.session.add(panel)
    db.session.flush()
    for site in sites:
        db.session.add(Site(panel_id=panel.id, name=site))
    db.session.commit()
    return panel


def add_to_panel(panel: Panel, user: User, role: Role = Role.MEMBER) -> Membership:
    membership = Membership(
        panel_id=panel.id, user_id=user.id, role=role, pseudonym_code=next_pseudonym_code(panel)
    )
    db.session.add(membership)
    db.session.commit()
    return membership


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form."""
    response = submit_form(client, "/sign-in", {"email": user.email, "password": password})
    assert response.status_code == 302, "sign-in did not succeed"
