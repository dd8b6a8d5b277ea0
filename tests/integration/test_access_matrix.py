"""Every route, tried as each of the six people: the access policy holds everywhere.

A "world" holds one of every kind of object in the cast's panel. Each route's URL is built from
it, requested as anonymous, a member, a member of another panel, the chair, a researcher and an
administrator, and the answer is checked against the rule on the endpoint's route. POSTs with a
valid CSRF token to every POST-only endpoint, as everyone the policy refuses, get exactly the
refusal the policy names; forged POSTs (no CSRF token) to every route are refused; and neither
changes a single row.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.access import ACTIONS, PageRule, Rule, endpoint_rules
from portal.extensions import db
from portal.panels.models import Role
from tests.access_helpers import routes
from tests.conftest import csrf_token_from
from tests.roles import ROLES, Cast
from tests.world import World, build_world
from tests.worlds import DOMAINS

EVERYONE = {"member", "chair", "researcher"}
RESEARCHERS = {"researcher"}
MEMBERS_AND_CHAIR = {"member", "chair"}

# The policy, written out by hand as the test's own statement of who may open each panel
# page. It is checked against portal.access, so a change to either must be deliberate.
ALLOWED_PANEL_ROLES: dict[str, set[str]] = {
    "drafts.list_drafts": EVERYONE,
    "drafts.new_draft": RESEARCHERS,
    "drafts.show_draft": EVERYONE,
    "drafts.edit_draft": RESEARCHERS,
    "drafts.new_item": RESEARCHERS,
    "drafts.edit_item": RESEARCHERS,
    "drafts.move_item": RESEARCHERS,
    "drafts.remove_item": RESEARCHERS,
    "drafts.publish_draft": RESEARCHERS,
    "drafts.show_version": EVERYONE,
    "drafts.compare_versions": EVERYONE,
}
for _domain in DOMAINS:
    ALLOWED_PANEL_ROLES.update(_domain.ALLOWED)


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def _rules(app: Flask) -> dict[str, PageRule]:
    return {e: r for e, r in endpoint_rules(app).items() if r is not None}


def expected_outcome(rules: dict[str, PageRule], endpoint: str, role: str) -> str:
    """What the policy says this person gets: "ok", "sign-in", "403" or "404"."""
    rule = rules[endpoint].rule
    if rule is Rule.PUBLIC:
        return "ok"
    if role == "anonymous":
        return "sign-in"
    if rule is Rule.SIGNED_IN:
        return "ok"
    if rule is Rule.ADMIN:
        return "ok" if role == "admin" else "403"
    # Rule.PANEL: people outside the panel (administrators included) learn nothing.
    if role not in EVERYONE:
        return "404"
    return "ok" if role in ALLOWED_PANEL_ROLES[endpoint] else "403"


def _outcome(status: int, location: str) -> str:
    if status in (301, 302, 303) and "/sign-in" in location:
        return "sign-in"
    if status in (403, 404):
        return str(status)
    if status >= 500:
        return f"server error {status}"
    return "ok"


def test_every_panel_endpoint_declares_the_action_it_needs(app: Flask) -> None:
    panel_pages = {e: r for e, r in _rules(app).items() if r.rule is Rule.PANEL}
    assert sorted(e for e, r in panel_pages.items() if r.action not in ACTIONS) == []


def test_the_policy_says_what_this_test_says(app: Flask) -> None:
    roles = {"member": Role.MEMBER, "chair": Role.CHAIR, "researcher": Role.RESEARCHER}
    panel_pages = {e: r for e, r in _rules(app).items() if r.rule is Rule.PANEL}
    assert panel_pages.keys() == ALLOWED_PANEL_ROLES.keys()
    for endpoint, allowed in ALLOWED_PANEL_ROLES.items():
        action = panel_pages[endpoint].action
        assert action is not None, endpoint
        granted = {name for name, role in roles.items() if role in ACTIONS[action]}
        assert granted == allowed, endpoint


def test_every_page_answers_each_role_as_the_policy_says(
    app: Flask, world: World, client_as: Callable[[str], FlaskClient]
) -> None:
    rules = _rules(app)
    failures = []
    for role in ROLES:
        client = client_as(role)
        for route in routes(app, "GET"):
            if route.endpoint in world.skip_get:
                continue
            url = route.url(world)
            response = client.get(url)
            got = _outcome(response.status_code, response.headers.get("Location", ""))
            want = expected_outcome(rules, route.endpoint, role)
            if got != want and not world.allows(route.endpoint, role, got):
                failures.append(f"{role:<20} GET {url} ({route.endpoint}): got {got}, want {want}")
    assert failures == [], "\n".join(failures)


def _table_checksums() -> dict[str, str]:
    """A fingerprint of every row of every table, so any insert, update or delete shows."""
    sums = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        sums[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    db.session.rollback()  # end the test's read, so the requests that follow run alone
    return sums


def _changed_tables(before: dict[str, str]) -> list[str]:
    after = _table_checksums()
    return sorted(name for name, checksum in after.items() if before.get(name) != checksum)


META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _valid_csrf_token(client: FlaskClient) -> str:
    """This client's CSRF token, as its browser holds it: signed in, every page carries it for
    its scripts; signed out, the sign-in form does."""
    match = META_CSRF.search(client.get("/support").get_data(as_text=True))
    if match:
        return match.group(1)
    return csrf_token_from(client.get("/sign-in").get_data(as_text=True))


def _exact_outcome(status: int, location: str) -> str:
    """The answer in the matrix's words; anything it does not name is shown as its status."""
    if status in (301, 302, 303) and "/sign-in" in location:
        return "sign-in"
    if status in (403, 404):
        return str(status)
    return f"status {status}"


def test_valid_posts_to_every_post_only_endpoint_are_refused_and_change_nothing(
    app: Flask, world: World, client_as: Callable[[str], FlaskClient]
) -> None:
    """With a good CSRF token, so only the access policy stands in the way: everyone the policy
    refuses gets exactly its answer, and not one row anywhere changes. (What the people who may
    use these endpoints get is tested in each domain's own tests.)"""
    rules = _rules(app)
    post_only = [
        route
        for route in routes(app, "POST")
        if "GET" not in (route.rule.methods or set())
        and rules[route.endpoint].rule is not Rule.PUBLIC
    ]
    assert len(post_only) >= 10, [route.endpoint for route in post_only]
    clients = {role: client_as(role) for role in ROLES}
    tokens = {role: _valid_csrf_token(client) for role, client in clients.items()}
    before = _table_checksums()
    failures = []
    tried = 0
    for role, client in clients.items():
        for route in post_only:
            want = expected_outcome(rules, route.endpoint, role)
            if want == "ok":
                continue
            url = route.url(world)
            form = world.plausible_form(route.endpoint) | {"csrf_token": tokens[role]}
            response = client.post(url, data=form)
            got = _exact_outcome(response.status_code, response.headers.get("Location", ""))
            tried += 1
            if got != want and not world.allows(route.endpoint, role, got):
                failures.append(f"{role:<20} POST {url} ({route.endpoint}): got {got}, want {want}")
    assert failures == [], "\n".join(failures)
    assert tried >= len(post_only) * 2
    assert _changed_tables(before) == []


def _forged_outcome(app: Flask, rules: dict[str, PageRule], endpoint: str, role: str) -> str:
    """What a POST with no CSRF token gets. Most endpoints refuse it before anything else (400);
    pages whose form checks the token itself first apply the access rule, then show the form
    again with "Check your answers and send it again"."""
    if not getattr(app.view_functions[endpoint], "csrf_checked_by_form", False):
        return "status 400"
    want = expected_outcome(rules, endpoint, role)
    return "form says send it again" if want == "ok" else want


def test_forged_posts_to_every_route_are_refused_and_change_nothing(
    app: Flask, world: World, client_as: Callable[[str], FlaskClient]
) -> None:
    rules = _rules(app)
    clients = {role: client_as(role) for role in ("researcher", "admin", "member")}
    before = _table_checksums()
    failures = []
    for role, client in clients.items():
        for route in routes(app, "POST"):
            url = route.url(world)
            response = client.post(url, data=world.plausible_form(route.endpoint))
            html = response.get_data(as_text=True)
            got = _exact_outcome(response.status_code, response.headers.get("Location", ""))
            if response.status_code == 200 and "Check your answers and send it again" in html:
                got = "form says send it again"
            want = _forged_outcome(app, rules, route.endpoint, role)
            # The world names where an answer differs: emailed links with a token that matches
            # nothing are not there at all (404), and a few buttons answer a forged press 400.
            named = world.allows(route.endpoint, role, got) and want != "status 400"
            if got != want and not (named or world.allows_forged(route.endpoint, role, got)):
                failures.append(f"{role:<20} POST {url} ({route.endpoint}): got {got}, want {want}")
    assert failures == [], "\n".join(failures)
    assert _changed_tables(before) == []
