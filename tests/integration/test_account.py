"""The account page: a person changes their own details, password and preferences, and sees
and ends their signed-in devices."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.models import User, UserSession
from portal.accounts.sessions import LAST_SEEN_SAVE_SECONDS, SAVED_SEEN_KEY, STARTED_KEY
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.conftest import csrf_token_from, submit_form
from tests.factories import PASSWORD, make_user, sign_in
from tests.outbox import last_mail_to, link_in, mail_to

NEW_PASSWORD = "lantern pebble orchard"


@pytest.fixture
def kim() -> User:
    return make_user("kim@example.org", name="Kim")


@pytest.fixture
def kim_client(client: FlaskClient, kim: User) -> FlaskClient:
    sign_in(client, kim)
    return client


def fresh(user: User) -> User:
    db.session.expire_all()
    found = db.session.get(User, user.id)
    assert found is not None
    return found


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_account_page_shows_the_person_s_details_with_change_links(
    kim_client: FlaskClient,
) -> None:
    html = kim_client.get("/account").get_data(as_text=True)
    assert "Your account" in html
    assert "Kim" in html and "kim@example.org" in html
    for path in (
        "/account/name",
        "/account/email",
        "/account/password",
        "/account/contact",
        "/account/accessibility",
        "/account/language",
        "/account/devices",
    ):
        assert f'href="{path}"' in html, path
    # Each "Change" link says what it changes, for screen readers.
    assert '<span class="nhsuk-u-visually-hidden"> your email address</span>' in html


def test_the_header_links_to_the_account_page(kim_client: FlaskClient) -> None:
    html = kim_client.get("/").get_data(as_text=True)
    assert 'href="/account"' in html and "Your account" in html


def test_signed_out_people_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/account/name")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_changing_the_name_we_call_you(kim_client: FlaskClient, kim: User) -> None:
    page = kim_client.get("/account/name").get_data(as_text=True)
    assert 'value="Kim"' in page
    empty = submit_form(kim_client, "/account/name", {"display_name": "  "})
    assert "Enter the name you want us to call you" in empty.get_data(as_text=True)
    response = submit_form(kim_client, "/account/name", {"display_name": "Kimberley"}, True)
    assert "We will call you Kimberley." in response.get_data(as_text=True)
    assert fresh(kim).display_name == "Kimberley"
    assert "account_details_changed" in audit_actions()


def test_changing_email_needs_the_current_password_then_a_link_to_the_new_address(
    kim_client: FlaskClient, kim: User
) -> None:
    missing = submit_form(kim_client, "/account/email", {"email": "kim.new@example.org"})
    assert "Enter your current password" in missing.get_data(as_text=True)
    wrong = submit_form(
        kim_client,
        "/account/email",
        {"email": "kim.new@example.org", "current_password": "not my password at all"},
    )
    wrong_html = wrong.get_data(as_text=True)
    assert "Your current password is not right" in wrong_html
    assert 'value="kim.new@example.org"' in wrong_html  # what they typed is kept
    assert mail_to("kim.new@example.org") == []

    done = submit_form(
        kim_client,
        "/account/email",
        {"email": "Kim.New@example.org", "current_password": PASSWORD},
        follow_redirects=True,
    )
    assert "We have sent a link to Kim.New@example.org" in done.get_data(as_text=True)
    assert fresh(kim).email == "kim@example.org"  # nothing changes until the link is used
    assert "someone asked to change" in last_mail_to("kim@example.org").subject.lower()
    link = link_in(last_mail_to("kim.new@example.org"), "/account/email/confirm/")
    submit_form(kim_client, link, {})
    assert fresh(kim).email == "kim.new@example.org"


def test_people_without_a_password_must_have_signed_in_recently_to_change_email(
    client: FlaskClient,
) -> None:
    lee = make_user("lee@example.org", name="Lee", password=None)
    # Sign in with an emailed link, as people without a password do.
    submit_form(client, "/sign-in/email-link", {"email": "lee@example.org"})
    submit_form(client, link_in(last_mail_to("lee@example.org"), "/sign-in/link/"), {})
    page = client.get("/account/email").get_data(as_text=True)
    assert "current_password" not in page
    done = submit_form(client, "/account/email", {"email": "lee2@example.org"}, True)
    assert "We have sent a link to lee2@example.org" in done.get_data(as_text=True)

    with client.session_transaction() as session:
        session[STARTED_KEY] = int(time.time()) - 20 * 60
    later = client.get("/account/email").get_data(as_text=True)
    assert "Sign in again to make this change" in later
    assert "/sign-in/email-link?next=/account/email" in later.replace("%2F", "/")
    assert fresh(lee).email == "lee@example.org"


def test_changing_the_password_signs_out_other_devices_only(
    app: Flask, kim_client: FlaskClient, kim: User
) -> None:
    phone = app.test_client()
    sign_in(phone, kim)
    short = submit_form(
        kim_client, "/account/password", {"current_password": PASSWORD, "password": "short"}
    )
    assert "at least 15 characters" in short.get_data(as_text=True)
    response = submit_form(
        kim_client,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert "Your password has been changed" in response.get_data(as_text=True)
    assert kim_client.get("/account").status_code == 200
    assert "/sign-in" in phone.get("/account").headers["Location"]
    assert "password_changed" in audit_actions()
    other = app.test_client()
    sign_in(other, fresh(kim), password=NEW_PASSWORD)


def test_contact_preferences_need_a_phone_number_for_calls_and_texts(
    kim_client: FlaskClient, kim: User
) -> None:
    missing = submit_form(kim_client, "/account/contact", {"contact_preference": "text"})
    assert "Enter a phone number, or choose to be contacted by email" in missing.get_data(
        as_text=True
    )
    submit_form(
        kim_client, "/account/contact", {"contact_preference": "text", "phone": "07700 900 982"}
    )
    assert (fresh(kim).contact_preference, fresh(kim).phone) == ("text", "07700 900 982")
    assert "By text message — 07700 900 982" in kim_client.get("/account").get_data(as_text=True)


def test_accessibility_needs_are_saved_and_kept_out_of_the_audit_log(
    kim_client: FlaskClient, kim: User
) -> None:
    too_long = submit_form(
        kim_client, "/account/accessibility", {"accessibility_needs": "x" * 2001}
    )
    assert "Write 2,000 characters or fewer" in too_long.get_data(as_text=True)
    submit_form(kim_client, "/account/accessibility", {"accessibility_needs": "Large print"})
    assert fresh(kim).accessibility_needs == "Large print"
    details = db.session.scalars(select(AuditEvent.detail)).all()
    assert all("Large print" not in detail for detail in details)


def test_choosing_a_language(kim_client: FlaskClient, kim: User) -> None:
    submit_form(kim_client, "/account/language", {"language": "en"})
    assert fresh(kim).language == "en"
    bad = submit_form(kim_client, "/account/language", {"language": "xx"})
    assert "Choose a language" in bad.get_data(as_text=True)
    submit_form(kim_client, "/account/language", {"language": ""})
    assert fresh(kim).language == ""


def test_devices_page_lists_sessions_and_can_sign_one_out(
    app: Flask, kim_client: FlaskClient, kim: User
) -> None:
    phone = app.test_client()
    phone.environ_base = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) Version/17 Safari/604.1"}
    sign_in(phone, kim)
    html = kim_client.get("/account/devices").get_data(as_text=True)
    assert "Safari on iPhone" in html and "(this device)" in html
    phone_session = db.session.scalar(
        select(UserSession).where(UserSession.user_agent.contains("iPhone"))
    )
    assert phone_session is not None
    page = kim_client.get("/account/devices").get_data(as_text=True)
    response = kim_client.post(
        f"/account/devices/{phone_session.id}/sign-out",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "That device has been signed out." in response.get_data(as_text=True)
    assert "/sign-in" in phone.get("/account").headers["Location"]
    assert kim_client.get("/account").status_code == 200
    assert "session_ended" in audit_actions()


def test_another_person_s_session_cannot_be_ended(
    app: Flask, kim_client: FlaskClient, kim: User
) -> None:
    other = make_user(name="Someone else")
    other_client = app.test_client()
    sign_in(other_client, other)
    theirs = db.session.scalar(select(UserSession).where(UserSession.user_id == other.id))
    assert theirs is not None
    token = csrf_token_from(kim_client.get("/account/devices").get_data(as_text=True))
    response = kim_client.post(f"/account/devices/{theirs.id}/sign-out", data={"csrf_token": token})
    assert response.status_code == 404
    assert other_client.get("/account").status_code == 200


def test_signing_out_of_all_other_devices(app: Flask, kim_client: FlaskClient, kim: User) -> None:
    others = [app.test_client() for _ in range(2)]
    for other in others:
        sign_in(other, kim)
    token = csrf_token_from(kim_client.get("/account/devices").get_data(as_text=True))
    kim_client.post("/account/devices/sign-out-others", data={"csrf_token": token})
    for other in others:
        assert "/sign-in" in other.get("/account").headers["Location"]
    assert kim_client.get("/account").status_code == 200


def test_wrong_current_passwords_are_rate_limited(kim_client: FlaskClient) -> None:
    statuses = [
        submit_form(
            kim_client,
            "/account/password",
            {"current_password": "not my password at all", "password": NEW_PASSWORD},
        ).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


def test_the_devices_page_makes_the_same_queries_however_many_sessions(
    app: Flask, kim_client: FlaskClient, kim: User, count_queries: Callable[[], Any]
) -> None:
    kim_client.get("/account/devices")
    with count_queries() as few:
        kim_client.get("/account/devices")
    for _ in range(4):
        sign_in(app.test_client(), kim)
    kim_client.get("/account/devices")
    with count_queries() as many:
        html = kim_client.get("/account/devices").get_data(as_text=True)
    assert html.count("Signed in</dt>") == 5
    assert many.count == few.count


def test_last_used_is_saved_every_few_minutes_not_on_every_request(
    app: Flask, kim_client: FlaskClient, kim: User, count_queries: Callable[[], Any]
) -> None:
    phone = app.test_client()
    sign_in(phone, kim)
    phone_session = db.session.scalar(select(UserSession).order_by(UserSession.id.desc()))
    assert phone_session is not None and phone_session.last_seen_at is None
    with count_queries() as quiet:
        phone.get("/")
    assert not any(statement.startswith("UPDATE") for statement in quiet.statements)

    with phone.session_transaction() as session:
        session[SAVED_SEEN_KEY] = int(time.time()) - LAST_SEEN_SAVE_SECONDS - 1
    phone.get("/")
    db.session.expire_all()
    saved = db.session.get(UserSession, phone_session.id)
    assert saved is not None and saved.last_seen_at is not None
    assert saved.last_seen_at > saved.created_at
    with count_queries() as after:
        phone.get("/")
    assert not any(statement.startswith("UPDATE") for statement in after.statements)
