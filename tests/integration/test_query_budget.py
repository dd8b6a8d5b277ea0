"""Every page runs the same number of queries however much it lists.

The access-matrix world (one of every kind of object in a panel) is grown by 10 rows of what
each domain's pages list (``grow`` in ``tests/world.py`` and in each ``tests/worlds/`` module),
and every GET route the access matrix requests is asked for as the first of these people who
gets the page. Then every domain grows to 1,000 rows and the same pages are asked for again: a
page whose query count went up loads rows one by one (an "N+1"), and the table in the failure
says which page it is and by how much.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.accounts import sessions
from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from tests.access_helpers import Route, routes
from tests.roles import Cast
from tests.world import World, build_world, grow_world
from tests.worlds import DOMAINS

# Who asks for each page: the first of these who gets it (a 200).
ASKERS = ("researcher", "chair", "member", "admin", "anonymous")

# Pages that answer nobody with the page itself, so there is nothing to count, and why.
NOT_COUNTED: dict[str, str] = {
    "accounts.accept_invitation": "an emailed link: the world's made-up token is not found",
    "accounts.use_sign_in_link": "an emailed link: the world's made-up token is not found",
    "accounts.reset_password": "an emailed link: the world's made-up token is not found",
    "accounts.confirm_new_email": "an emailed link: the world's made-up token is not found",
    "meetings.calendar_feed": "a personal calendar address: the world's made-up one is not found",
    "accounts.two_step_check": "only for someone who has just given their password",
    "meetings.publish_meeting": "the world's meeting is published already: it sends you to it",
    "accounts.single_sign_on_start": "no OpenID provider is configured for the tests",
    "accounts.single_sign_on_return": "no OpenID provider is configured for the tests",
    "notifications.unsubscribe": "an emailed link: the world's made-up token is not found",
    "rights.download_copy": "an emailed link: the world's made-up token is not found",
    "agreements.to_answer": "only while a required agreement waits for an answer, which would "
    "send its people there from every other page",
}

# Pages that list what the world grows: with 1,000 rows each is at least twice as long.
LISTS = (
    "core.support",
    "drafts.list_drafts",
    "drafts.show_draft",
    "drafts.show_version",
    "drafts.compare_versions",
    "rounds.show_results",
    "feedback.inbox",
    "feedback.my_feedback",
    "meetings.list_meetings",
    "meetings.show_meeting",
    "meetings.meeting_replies",
    "meetings.poll_results",
    "meetings.record_attendance",
    "meetings.list_actions",
    "questionnaires.list_questionnaires",
    "questionnaires.questionnaire_results",
    "admin.panel_members",
    "admin.list_panels",
    "admin.show_person",
    "admin.panel_invitations",
    "accounts.signed_in_devices",
    "agreements.manage_agreements",
    "agreements.agreement_records",
    "notifications.calls",
    "rights.contact_requests",
)

SMALL = 10
LARGE = 1_000
# At least this share of the GET routes must be counted, so new pages cannot slip out.
COVERAGE = 0.9


def test_every_domain_of_the_world_can_grow() -> None:
    missing = [domain.__name__ for domain in DOMAINS if not callable(getattr(domain, "grow", None))]
    assert missing == [], (
        f"{', '.join(missing)}: write grow(world, count) next to add() in each, adding count "
        "more rows of what the domain's pages list, hung on the world's own objects (bulk "
        "inserts with tests/growth.py), so the query-budget test can see its pages grow"
    )


def _turn_on_two_step(person: User) -> None:
    """Two-step verification on for someone already signed in, so the pages for people who use
    it (new recovery codes, turning it off, an administrator turning it off) are counted."""
    person.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    person.two_step_enabled_at = utcnow()
    db.session.commit()


Clients = dict[str, FlaskClient]


def _who_gets_each_page(pages: list[Route], world: World, clients: Clients) -> dict[str, str]:
    """Each page's first asker who gets it. A page's first visit also makes whatever a first
    visit makes (an omission check started, say), so the counted visits all find one state."""
    asker: dict[str, str] = {}
    refused: dict[str, list[str]] = {}
    for route in pages:
        url = route.url(world)
        for role in ASKERS:
            status = clients[role].get(url).status_code
            if status == 200:
                asker[route.endpoint] = role
                break
            refused.setdefault(route.endpoint, []).append(f"{role} {status}")
    nobody = {endpoint: got for endpoint, got in refused.items() if endpoint not in asker}
    assert sorted(nobody) == sorted(NOT_COUNTED), "\n".join(
        ["The pages nobody gets are not the ones NOT_COUNTED names. Nobody got these:"]
        + [f"{endpoint}: {', '.join(got)}" for endpoint, got in sorted(nobody.items())]
    )
    return asker


@dataclass(frozen=True)
class Visit:
    status: int
    queries: int  # statements that read or wrote data
    size: int  # bytes of the answer


def _visit_all(
    pages: list[Route],
    asker: dict[str, str],
    world: World,
    clients: Clients,
    count_queries: Callable[[], Any],
) -> dict[str, Visit]:
    visits = {}
    for route in pages:
        with count_queries() as log:
            response = clients[asker[route.endpoint]].get(route.url(world))
        visits[route.endpoint] = Visit(response.status_code, log.queries, len(response.data))
    return visits


def test_no_page_runs_more_queries_when_it_lists_more(
    app: Flask,
    cast: Cast,
    client_as: Callable[[str], FlaskClient],
    count_queries: Callable[[], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A session's "last seen" time is saved every few minutes: never during this test, so a
    # slow run does not count that write against whichever page it happens to fall on.
    monkeypatch.setattr(sessions, "LAST_SEEN_SAVE_SECONDS", 24 * 3600)
    world: World = build_world(cast)
    grow_world(world, SMALL)
    clients = {role: client_as(role) for role in ASKERS}
    _turn_on_two_step(cast.people["member"])
    pages = [route for route in routes(app, "GET") if route.endpoint not in world.skip_get]
    asker = _who_gets_each_page(pages, world, clients)
    counted = [route for route in pages if route.endpoint in asker]

    small = _visit_all(counted, asker, world, clients, count_queries)
    assert {e: v.status for e, v in small.items() if v.status != 200} == {}
    grow_world(world, LARGE - SMALL)
    large = _visit_all(counted, asker, world, clients, count_queries)

    differ = [
        f"{endpoint:<40} {asker[endpoint]:<10} {small[endpoint].queries:>6} {visit.queries:>6}"
        + ("" if visit.status == 200 else f"  (answered {visit.status})")
        for endpoint, visit in large.items()
        if visit.status != 200 or visit.queries != small[endpoint].queries
    ]
    header = f"{'page':<40} {'as':<10} {SMALL:>6} {LARGE:>6}   queries with this many rows"
    assert differ == [], "\n".join([header, *differ])
    assert len(counted) >= COVERAGE * len(pages), (
        f"only {len(counted)} of {len(pages)} GET routes were counted"
    )
    # The grown rows are really on the pages, or the counts above prove nothing about them.
    short = [e for e in LISTS if large[e].size < 2 * small[e].size]
    assert short == [], f"these pages do not show what the world grew: {short}"
