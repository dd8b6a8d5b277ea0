"""One signed-in client per role, for access tests: the six people every route is tried as."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.accounts.models import User
from portal.panels.models import Panel, Role
from tests.factories import add_to_panel, make_panel, make_user, sign_in

ROLES = ("anonymous", "member", "other_panel_member", "chair", "researcher", "admin")


@dataclass
class Cast:
    """A panel, a second panel, and one person in each role."""

    panel: Panel
    other_panel: Panel
    people: dict[str, User]


@pytest.fixture
def cast() -> Cast:
    panel = make_panel("Study panel")
    other_panel = make_panel("Another study's panel", sites=("Sheffield",))
    people = {
        "member": make_user(name="A member"),
        "other_panel_member": make_user(name="A member of another panel"),
        "chair": make_user(name="The chair"),
        "researcher": make_user(name="A researcher"),
        "admin": make_user(name="An administrator", is_admin=True),
    }
    add_to_panel(panel, people["member"], Role.MEMBER)
    add_to_panel(other_panel, people["other_panel_member"], Role.MEMBER)
    add_to_panel(panel, people["chair"], Role.CHAIR)
    add_to_panel(panel, people["researcher"], Role.RESEARCHER)
    return Cast(panel=panel, other_panel=other_panel, people=people)


@pytest.fixture
def client_as(app: Flask, cast: Cast) -> Callable[[str], FlaskClient]:
    """``client_as("chair")`` is a client signed in as the chair; "anonymous" is signed out."""

    def make(role: str) -> FlaskClient:
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, cast.people[role])
        return client

    return make
