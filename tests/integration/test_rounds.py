"""Review rounds: the study team opens, extends and closes them; the panel is emailed and sees
them on the home page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Role
from portal.rounds.models import ReviewRound
from portal.templating import LONDON
from tests.conftest import submit_form
from tests.factories import add_to_panel, make_user
from tests.harmless_html import XSS_PAYLOADS, assert_harmless
from tests.integration.round_helpers import open_round, published_draft, round_url
from tests.outbox import last_mail_to, link_in, mail_to
from tests.roles import Cast


def next_week_fields(hour: str = "17:00") -> dict[str, str]:
    day = (utcnow() + timedelta(days=7)).astimezone(LONDON)
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year), "time": hour}


def test_a_researcher_opens_a_round_and_the_panel_is_emailed(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, _version = published_draft(cast)
    client = client_as("researcher")
    page = client.get(f"/panels/{cast.panel.id}/drafts/{draft.id}").get_data(as_text=True)
    assert "No review rounds yet." in page and "Open a review round" in page

    response = submit_form(
        client,
        f"/panels/{cast.panel.id}/drafts/{draft.id}/rounds/new",
        {"version": "1", "instructions": "Please read each action.", **next_week_fields()},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Review round opened. The panel has been emailed." in html
    review_round = db.session.scalars(select(ReviewRound)).one()
    # 17:00 in London, kept in UTC: 16:00 or 17:00 UTC depending on summer time.
    local = review_round.closes_at.astimezone(LONDON)
    assert (local.hour, local.minute) == (17, 0)
    assert review_round.closes_at.utcoffset() == timedelta(0)
    assert "5:00pm" in html

    for role in ("member", "chair"):
        message = last_mail_to(cast.people[role].email)
        assert "East London: priority actions" in message.subject
        assert "/check" in link_in(message, f"/panels/{cast.panel.id}/drafts/")
    assert mail_to(cast.people["researcher"].email) == []

    page = client.get(f"/panels/{cast.panel.id}/drafts/{draft.id}").get_data(as_text=True)
    assert "Version 1: open until" in page


def test_bad_deadlines_are_explained_and_what_was_typed_is_kept(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, _version = published_draft(cast)
    client = client_as("researcher")
    url = f"/panels/{cast.panel.id}/drafts/{draft.id}/rounds/new"
    cases = [
        ({"day": "31", "month": "2", "year": "2030", "time": "17:00"}, "Enter a real date"),
        ({"day": "1", "month": "1", "year": "2020", "time": "17:00"}, "must be in the future"),
        ({**next_week_fields("quarter past")}, "Enter a time, like 17:00 or 5pm"),
        ({**next_week_fields(""), "day": ""}, "Enter a real date"),
        ({"day": "", "month": "", "year": "", "time": "17:00"}, "Enter the deadline date"),
    ]
    for fields, message in cases:
        response = submit_form(client, url, {"instructions": "Keep me", "version": "1", **fields})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert message in html and "There is a problem" in html
        assert "Keep me" in html
    assert db.session.scalars(select(ReviewRound)).first() is None
    assert mail_to(cast.people["member"].email) == []


def test_a_round_can_be_extended_and_closed_early(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, version = published_draft(cast)
    review_round = open_round(cast, draft, version, timedelta(days=2))
    client = client_as("researcher")

    response = submit_form(
        client, round_url(cast, draft, review_round, "/deadline"), next_week_fields("9am")
    )
    assert response.status_code == 302
    db.session.expire_all()
    local = db.session.get(ReviewRound, review_round.id).closes_at.astimezone(LONDON)
    assert (local.hour, local.minute) == (9, 0)
    assert "more time" in last_mail_to(cast.people["member"].email).text_body

    earlier = submit_form(
        client,
        round_url(cast, draft, review_round, "/deadline"),
        {**next_week_fields("8am"), "day": str((utcnow() + timedelta(days=3)).day)},
    )
    assert "must be later than the old one" in earlier.get_data(as_text=True)

    response = submit_form(
        client, round_url(cast, draft, review_round, "/close"), {}, follow_redirects=True
    )
    assert "Review round closed." in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(ReviewRound, review_round.id).is_open(utcnow())
    member_page = client_as("member").get(round_url(cast, draft, review_round, "/check"))
    assert "This review round has closed" in member_page.get_data(as_text=True)
    # Both changes are in the audit log, made by the researcher.
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.panel_id == cast.panel.id).order_by(AuditEvent.id)
    ).all()
    researcher_id = cast.people["researcher"].id
    assert [(e.action, e.actor_id) for e in events if e.action.startswith("round_")][-2:] == [
        ("round_deadline_changed", researcher_id),
        ("round_closed", researcher_id),
    ]


def test_the_home_page_shows_open_rounds_and_each_persons_progress(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, version = published_draft(cast)
    review_round = open_round(cast, draft, version)
    closed = open_round(cast, draft, version, timedelta(days=-1))
    member_home = client_as("member").get("/").get_data(as_text=True)
    assert "Review rounds" in member_home and "Not started" in member_home
    assert round_url(cast, draft, review_round, "/check") in member_home
    assert round_url(cast, draft, closed, "/check") not in member_home
    researcher_home = client_as("researcher").get("/").get_data(as_text=True)
    assert round_url(cast, draft, review_round) + '"' in researcher_home
    other_home = client_as("other_panel_member").get("/").get_data(as_text=True)
    assert "Review rounds" not in other_home


def test_the_home_page_makes_the_same_number_of_queries_however_many_rounds(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    client = client_as("member")
    draft, version = published_draft(cast)
    open_round(cast, draft, version)
    client.get("/")
    with count_queries() as few:
        assert client.get("/").status_code == 200
    for _ in range(6):
        other, other_version = published_draft(cast)
        open_round(cast, other, other_version)
    with count_queries() as many:
        html = client.get("/").get_data(as_text=True)
    assert html.count("Not started") == 7
    assert many.count == few.count


def test_only_researchers_manage_rounds_and_other_panels_learn_nothing(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, version = published_draft(cast)
    review_round = open_round(cast, draft, version)
    assert client_as("member").get(round_url(cast, draft, review_round)).status_code == 403
    outsider = client_as("other_panel_member")
    assert outsider.get(round_url(cast, draft, review_round, "/check")).status_code == 404
    # Another panel's round, reached through a URL naming a panel the person is in.
    other_researcher = make_user()
    add_to_panel(cast.other_panel, other_researcher, Role.RESEARCHER)
    wrong_panel = f"/panels/{cast.other_panel.id}/drafts/{draft.id}/rounds/{review_round.id}"
    from tests.factories import sign_in

    client = client_as("anonymous")
    sign_in(client, other_researcher)
    assert client.get(wrong_panel).status_code == 404


def test_script_in_the_instructions_is_rendered_harmless(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, _version = published_draft(cast)
    researcher = client_as("researcher")
    member = client_as("member")
    for payload in XSS_PAYLOADS:
        response = submit_form(
            researcher,
            f"/panels/{cast.panel.id}/drafts/{draft.id}/rounds/new",
            {"version": "1", "instructions": payload, **next_week_fields()},
        )
        assert response.status_code == 302
        round_page = researcher.get(response.location).get_data(as_text=True)
        assert_harmless(round_page, payload)
        start = member.get(response.location + "/check").get_data(as_text=True)
        assert_harmless(start, payload)
