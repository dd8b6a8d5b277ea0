"""The team sees whether our messages reach each member (emails bounced, texts failing, all turned
off) without seeing their choices, and whom to phone; both pages load in a fixed number of
queries however many members there are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal.db import utcnow
from portal.extensions import db
from portal.meetings import service
from portal.meetings.models import MeetingStatus
from portal.notifications.kinds import OPTIONAL_KINDS, Delivery, Kind
from portal.notifications.models import MailStatus, OutboxMessage
from portal.notifications.tell import tell
from portal.notifications.worker import deliver_due
from portal.panels.models import Role
from portal.questionnaires.models import Completion, Questionnaire
from tests.factories import add_to_panel, make_user
from tests.integration.notification_helpers import choose_for_all
from tests.mail_server import MailServer
from tests.roles import Cast

Clients = Callable[[str], FlaskClient]


def _row_of(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_the_members_page_says_whose_messages_do_not_reach_them(
    app: Flask, cast: Cast, client_as: Clients, smtp_server: MailServer
) -> None:
    bouncing = make_user("bounces@example.org", name="Bo Bounce")
    quiet = make_user("quiet@example.org", name="Quinn Quiet")
    for person in (bouncing, quiet):
        add_to_panel(cast.panel, person, Role.MEMBER)
    choose_for_all(quiet, OPTIONAL_KINDS, Delivery.OFF)
    smtp_server.handler.rcpt_reply = "550 5.1.1 No such mailbox"  # only her mail is sent
    tell(bouncing, Kind.SIGN_IN, subject="Sign in", template="test_message", link="http://x/")
    db.session.commit()
    deliver_due(app)
    db.session.expire_all()
    html = client_as("chair").get(f"/panels/{cast.panel.id}/members").get_data(as_text=True)
    assert "Emails are not being delivered" in _row_of(html, "Bo Bounce")
    assert "Has turned off all optional messages" in _row_of(html, "Quinn Quiet")
    assert "Yes" in _row_of(html, cast.people["member"].display_name)
    # Only that: not which kinds anyone chose.
    assert "Minutes to read" not in html and "weekly" not in html.lower()


def _count(client: FlaskClient, url: str, count_queries: Callable[[], Any]) -> int:
    with count_queries() as log:
        assert client.get(url).status_code == 200
    return int(log.queries)


def test_members_and_calls_pages_take_the_same_queries_for_more_members(
    app: Flask, cast: Cast, client_as: Clients, count_queries: Callable[[], Any]
) -> None:
    start = utcnow() + timedelta(days=3)
    meeting = service.create_meeting(
        cast.panel.id,
        service.MeetingDetails(
            title="Meeting", starts_at=start, ends_at=start + timedelta(hours=1)
        ),
        None,
    )
    meeting.status = MeetingStatus.PUBLISHED
    cast.people["member"].contact_preference = "phone"
    db.session.commit()
    chair = client_as("chair")
    members_url = f"/panels/{cast.panel.id}/members"
    calls_url = f"/panels/{cast.panel.id}/calls-to-make"
    before = (_count(chair, members_url, count_queries), _count(chair, calls_url, count_queries))
    for number in range(5):
        person = make_user(f"more{number}@example.org", password=None)
        person.contact_preference = "phone"
        add_to_panel(cast.panel, person)
        choose_for_all(person, OPTIONAL_KINDS[:2], Delivery.DAILY)
    db.session.add(
        OutboxMessage(
            to_address="more1@example.org",
            subject="s",
            text_body="",
            html_body="",
            status=MailStatus.FAILED,
            last_error="SMTPRecipientsRefused",
        )
    )
    db.session.commit()
    after = (_count(chair, members_url, count_queries), _count(chair, calls_url, count_queries))
    assert after == before
    assert "more4@example.org" not in chair.get(calls_url).get_data(
        as_text=True
    )  # names, not emails


def test_the_calls_list_has_questionnaires_closing_soon_for_those_who_have_not_answered(
    app: Flask, cast: Cast, client_as: Clients
) -> None:
    member, chair = cast.people["member"], cast.people["chair"]
    for person in (member, chair):
        person.contact_preference = "phone"
        person.phone = "0121 496 0001" if person is member else "0121 496 0002"
    questionnaire = Questionnaire(
        panel_id=cast.panel.id,
        title="Feedback on the workshops",
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=2),
        created_by_id=cast.people["researcher"].id,
    )
    db.session.add(questionnaire)
    db.session.flush()
    db.session.add(
        Completion(
            id="c" * 32,
            questionnaire_id=questionnaire.id,
            user_id=chair.id,
            completed_on=utcnow().date(),
        )
    )
    db.session.commit()
    html = client_as("chair").get(f"/panels/{cast.panel.id}/calls-to-make").get_data(as_text=True)
    assert "Deadline: Feedback on the workshops" in html
    assert "0121 496 0001" in html and "0121 496 0002" not in html
