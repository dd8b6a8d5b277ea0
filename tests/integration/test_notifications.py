"""Every kind of message honours the person's choice, through the real outbox and a real SMTP
server on loopback; transactional messages go whatever the choices; every optional email can be
stopped in one click (RFC 8058), and opening the link changes nothing by itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.meetings import reminders, service
from portal.meetings.models import MeetingStatus, RsvpAnswer
from portal.notifications.kinds import OPTIONAL_KINDS, TRANSACTIONAL_KINDS, Delivery, Kind
from portal.notifications.models import DigestItem, TextMessage
from portal.notifications.preferences import route_for
from portal.notifications.tell import tell
from portal.notifications.unsubscribe import unsubscribe_token
from portal.notifications.worker import deliver_due
from portal.panels.models import Membership
from portal.rounds import reminders as round_reminders
from portal.rounds.models import OmissionCheck
from tests.conftest import csrf_token_from, submit_form
from tests.factories import add_to_panel, make_panel, make_user, sign_in
from tests.integration.notification_helpers import choose, choose_for_all, give_mobile
from tests.integration.round_helpers import open_round, published_draft
from tests.mail_server import MailServer
from tests.outbox import mail_to
from tests.roles import Cast


def _tell_every_kind(person: User, panel_id: int) -> None:
    for kind in (*OPTIONAL_KINDS, *TRANSACTIONAL_KINDS):
        tell(
            person,
            kind,
            subject=f"About {kind.value}",
            template="test_message",
            link=f"http://localhost/panels/{panel_id}/{kind.value}",
            panel_id=panel_id,
        )
    db.session.commit()


def test_every_kind_reaches_each_person_as_they_chose_and_transactional_mail_always_goes(
    app: Flask, smtp_server: MailServer
) -> None:
    panel = make_panel()
    at_once, saving_up, nothing = (
        make_user("now@example.org"),
        make_user("daily@example.org"),
        make_user("off@example.org"),
    )
    for person in (at_once, saving_up, nothing):
        add_to_panel(panel, person)
    choose_for_all(saving_up, OPTIONAL_KINDS, Delivery.DAILY)
    choose_for_all(nothing, OPTIONAL_KINDS, Delivery.OFF)
    # A member who paused their involvement gets none of the optional kinds except answers to
    # what they said or sent.
    paused = make_user("paused@example.org")
    add_to_panel(panel, paused)
    db.session.scalars(
        select(Membership).where(Membership.user_id == paused.id)
    ).one().paused_at = utcnow()
    db.session.commit()
    for person in (at_once, saving_up, nothing, paused):
        _tell_every_kind(person, panel.id)

    deliver_due(app)
    inbox: dict[str, set[str]] = {}
    for mail in smtp_server.received:
        inbox.setdefault(mail.rcpt_tos[0], set()).add(mail.subject)
    every = {f"About {kind.value}" for kind in (*OPTIONAL_KINDS, *TRANSACTIONAL_KINDS)}
    always = {f"About {kind.value}" for kind in TRANSACTIONAL_KINDS}
    assert inbox["now@example.org"] == every
    assert inbox["daily@example.org"] == always
    assert inbox["off@example.org"] == always
    assert inbox["paused@example.org"] == always | {"About feedback_answer", "About receipt"}
    saved = db.session.scalars(
        select(DigestItem.kind).where(DigestItem.user_id == saving_up.id)
    ).all()
    assert sorted(saved) == sorted(kind.value for kind in OPTIONAL_KINDS)
    assert (
        db.session.scalars(select(DigestItem).where(DigestItem.user_id != saving_up.id)).all() == []
    )


def test_optional_mail_carries_one_click_unsubscribe_headers_and_transactional_mail_does_not(
    app: Flask, smtp_server: MailServer
) -> None:
    panel = make_panel()
    person = make_user("kim@example.org")
    add_to_panel(panel, person)
    tell(
        person,
        Kind.MINUTES,
        subject="Read the minutes",
        template="test_message",
        link="http://localhost/x",
        panel_id=panel.id,
    )
    tell(
        person,
        Kind.SIGN_IN,
        subject="Your link to sign in",
        template="test_message",
        link="http://localhost/y",
    )
    db.session.commit()
    deliver_due(app)
    mails = {mail.subject: mail.message for mail in smtp_server.received}
    minutes = mails["Read the minutes"]
    assert str(minutes["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    assert str(minutes["List-Unsubscribe"]).strip().startswith("<http://localhost/unsubscribe/")
    sign_in_mail = mails["Your link to sign in"]
    assert sign_in_mail["List-Unsubscribe"] is None
    # Both parts name the portal, say why the person gets the email and link to the settings.
    for message in (minutes, sign_in_mail):
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "LEAP Portal" in text and "LEAP Portal" in html
        assert "http://localhost/account/notifications" in text
        assert "http://localhost/account/notifications" in html
    assert "have not turned off" in minutes.get_body(("plain",)).get_content()
    assert "We always send this email" in sign_in_mail.get_body(("plain",)).get_content()


def test_meeting_reminders_follow_the_plan_and_each_person_s_choice(app: Flask, cast: Cast) -> None:
    start = utcnow() + timedelta(hours=1, minutes=50)
    meeting = service.create_meeting(
        cast.panel.id,
        service.MeetingDetails(
            title="Panel meeting", starts_at=start, ends_at=start + timedelta(hours=1)
        ),
        None,
    )
    meeting.status = MeetingStatus.PUBLISHED
    db.session.commit()
    member, chair, researcher = (cast.people[r] for r in ("member", "chair", "researcher"))
    choose(chair, Kind.MEETING_REMINDER, Delivery.OFF)
    service.set_rsvp(meeting, researcher.id, RsvpAnswer.NOT_ATTENDING, "")
    db.session.commit()

    reminders.queue_meeting_reminders()
    db.session.commit()
    # Two hours before: the member hears; the chair turned reminders off; the researcher said no.
    [reminder] = [m for m in mail_to(member.email) if m.subject.startswith("Reminder")]
    assert reminder.kind == "meeting_reminder"
    assert not [m for m in mail_to(chair.email) if m.subject.startswith("Reminder")]
    assert not [m for m in mail_to(researcher.email) if m.subject.startswith("Reminder")]


def test_a_member_who_asked_for_a_call_gets_no_reminder_and_is_on_the_chair_s_list(
    app: Flask, cast: Cast, client_as
) -> None:
    member = cast.people["member"]
    member.contact_preference = "phone"
    member.phone = "020 7946 0000"
    start = utcnow() + timedelta(hours=20)
    meeting = service.create_meeting(
        cast.panel.id,
        service.MeetingDetails(
            title="Panel meeting 6", starts_at=start, ends_at=start + timedelta(hours=1)
        ),
        None,
    )
    meeting.status = MeetingStatus.PUBLISHED
    db.session.commit()
    reminders.queue_meeting_reminders()
    db.session.commit()
    assert not [m for m in mail_to(member.email) if m.subject.startswith("Reminder")]
    assert [m for m in mail_to(cast.people["chair"].email) if m.subject.startswith("Reminder")]

    html = client_as("chair").get(f"/panels/{cast.panel.id}/calls-to-make").get_data(as_text=True)
    assert "Meeting: Panel meeting 6" in html
    assert member.display_name in html and "020 7946 0000" in html
    assert cast.people["researcher"].display_name not in html


# --- unsubscribing -------------------------------------------------------------------------


@pytest.fixture
def kim() -> User:
    panel = make_panel()
    person = make_user("kim@example.org", name="Kim")
    add_to_panel(panel, person)
    return person


def _delivery(person: User, kind: Kind) -> Delivery:
    db.session.expire_all()
    return route_for(db.session.get_one(User, person.id), kind, None).delivery


def test_opening_the_link_changes_nothing_and_the_page_offers_stop_and_less_often(
    client: FlaskClient, kim: User
) -> None:
    token = unsubscribe_token(kim.id, Kind.MINUTES)
    page = client.get(f"/unsubscribe/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Stop these emails" in html and "Send them once a week instead" in html
    assert "Minutes to read" in html
    assert _delivery(kim, Kind.MINUTES) is Delivery.NOW


def test_a_mail_program_s_one_click_post_needs_no_session_or_csrf_token(
    client: FlaskClient, kim: User
) -> None:
    token = unsubscribe_token(kim.id, Kind.MINUTES)
    response = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert _delivery(kim, Kind.MINUTES) is Delivery.OFF
    assert _delivery(kim, Kind.MEETING_REMINDER) is Delivery.NOW  # only that kind


def test_less_often_then_undo_puts_back_what_the_person_had(client: FlaskClient, kim: User) -> None:
    token = unsubscribe_token(kim.id, Kind.POLL)
    html = client.post(f"/unsubscribe/{token}", data={"choice": "weekly"}).get_data(as_text=True)
    assert "once a week" in html
    assert _delivery(kim, Kind.POLL) is Delivery.WEEKLY
    assert 'name="previous" value="now"' in html
    html = client.post(
        f"/unsubscribe/{token}", data={"choice": "undo", "previous": "now"}
    ).get_data(as_text=True)
    assert "back as they were" in html
    assert _delivery(kim, Kind.POLL) is Delivery.NOW


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "WzEsICJtaW51dGVzIl0.forged", "x" * 300],
)
def test_a_broken_or_forged_token_gets_a_plain_page_and_changes_nothing(
    client: FlaskClient, kim: User, token: str
) -> None:
    for response in (
        client.get(f"/unsubscribe/{token}"),
        client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}),
    ):
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)
    assert _delivery(kim, Kind.MINUTES) is Delivery.NOW


def test_a_token_altered_to_name_someone_else_changes_nothing(
    client: FlaskClient, kim: User
) -> None:
    other = make_user("other@example.org")
    token = unsubscribe_token(kim.id, Kind.MINUTES)
    payload, _, signature = token.partition(".")
    forged = unsubscribe_token(other.id, Kind.MINUTES).partition(".")[0] + "." + signature
    assert client.post(f"/unsubscribe/{forged}", data={"choice": "off"}).status_code == 404
    assert _delivery(other, Kind.MINUTES) is Delivery.NOW
    # Nor can a token be made for a transactional kind.
    sign_in_token = unsubscribe_token(kim.id, Kind.SIGN_IN)
    assert client.post(f"/unsubscribe/{sign_in_token}", data={"choice": "off"}).status_code == 404


def test_every_other_post_still_needs_its_csrf_token(client: FlaskClient, kim: User) -> None:
    sign_in(client, kim)
    # The settings page without its token: shown again, nothing saved.
    response = client.post(
        "/account/notifications", data={"delivery_minutes": "off", "weekly_day": "0"}
    )
    assert "Check your answers and send it again" in response.get_data(as_text=True)
    assert _delivery(kim, Kind.MINUTES) is Delivery.NOW
    # A plain button elsewhere without one: refused outright.
    assert client.post("/account/devices/sign-out-others").status_code == 400


# --- the settings page ---------------------------------------------------------------------


def test_the_settings_page_saves_choices_and_says_what_cannot_be_turned_off(
    client: FlaskClient, kim: User
) -> None:
    sign_in(client, kim)
    html = client.get("/account/notifications").get_data(as_text=True)
    assert "You cannot turn them off" in html
    assert "Sign-in links and password resets" in html
    assert "Feedback given to you to look at" not in html  # for the study team only
    assert "Payments to you" in html  # always sent
    assert "Someone asking to be contacted" not in html  # always sent, to the study team only
    response = submit_form(
        client,
        "/account/notifications",
        {
            "delivery_minutes": "weekly",
            "delivery_meeting_reminder": "now",
            "text_meeting_reminder": "y",
            "mobile": "07700 900982",
            "weekly_day": "4",
        },
    )
    assert response.status_code == 302
    assert _delivery(kim, Kind.MINUTES) is Delivery.WEEKLY
    db.session.expire_all()
    person = db.session.get_one(User, kim.id)
    assert route_for(person, Kind.MEETING_REMINDER, None).by_text
    account = client.get("/account").get_data(as_text=True)
    assert "Some emails saved up in a summary" in account and "+447700900982" in account


@pytest.mark.parametrize("typed", ["0207 946 0000", "07700 90098", "phone me", "+1 202 555 0100"])
def test_a_number_that_is_not_a_uk_mobile_keeps_what_was_typed_and_says_how_to_write_it(
    client: FlaskClient, kim: User, typed: str
) -> None:
    sign_in(client, kim)
    response = submit_form(
        client, "/account/notifications", {"mobile": typed, "text_meeting_reminder": "y"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#mobile"' in html
    assert "like 07700 900982" in html
    assert f'value="{typed}"' in html


def test_ticking_texts_without_a_number_asks_for_one(client: FlaskClient, kim: User) -> None:
    sign_in(client, kim)
    response = submit_form(client, "/account/notifications", {"text_poll": "y", "mobile": ""})
    assert "There is a problem" in response.get_data(as_text=True)
    assert "untick the boxes for text messages" in response.get_data(as_text=True)


def test_the_panel_default_applies_until_a_person_chooses(
    app: Flask, cast: Cast, client_as
) -> None:
    researcher = client_as("researcher")
    url = f"/panels/{cast.panel.id}/message-defaults"
    assert submit_form(researcher, url, {"delivery_minutes": "daily"}).status_code == 302
    member = cast.people["member"]
    assert route_for(member, Kind.MINUTES, cast.panel.id).delivery is Delivery.DAILY
    choose(member, Kind.MINUTES, Delivery.NOW)
    assert route_for(member, Kind.MINUTES, cast.panel.id).delivery is Delivery.NOW
    assert client_as("chair").get(url).status_code == 403
    assert client_as("other_panel_member").get(url).status_code == 404
    assert csrf_token_from  # the page's own form is tested above through submit_form


def test_the_day_before_a_round_closes_those_who_have_not_answered_are_reminded_once(
    app: Flask, cast: Cast
) -> None:
    draft, version = published_draft(cast)
    closing_soon = open_round(cast, draft, version, closes_in=timedelta(hours=20))
    open_round(cast, draft, version, closes_in=timedelta(days=5))  # not yet
    member, chair = cast.people["member"], cast.people["chair"]
    db.session.add(OmissionCheck(round_id=closing_soon.id, user_id=chair.id, submitted_at=utcnow()))
    choose(member, Kind.DEADLINE_REMINDER, Delivery.NOW, by_text=True)
    give_mobile(member)
    db.session.commit()

    assert round_reminders.remind_before_deadlines(app) == 1
    assert round_reminders.remind_before_deadlines(app) == 0  # the next pass: nobody twice
    [reminder] = [m for m in mail_to(member.email) if m.subject.startswith("Reminder")]
    assert reminder.kind == "deadline_reminder"
    assert not [m for m in mail_to(chair.email) if m.subject.startswith("Reminder")]
    [text] = db.session.scalars(select(TextMessage)).all()
    assert "send your answers" in text.body and version.title not in text.body
