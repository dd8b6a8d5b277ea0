"""Signing in with a one-time link by email, and confirming a new email address by link."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.email_change import request_email_change
from portal.accounts.models import EmailToken, User
from portal.audit.models import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.conftest import csrf_token_from, submit_form
from tests.factories import PASSWORD, make_user, sign_in
from tests.outbox import last_mail_to, link_in, mail_to

SAME_MESSAGE = "If that email address has an account, we have sent a link to sign in"


def ask_for_link(client: FlaskClient, email: str, url: str = "/sign-in/email-link") -> str:
    response = submit_form(client, url, {"email": email})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def sign_in_link_for(client: FlaskClient, user: User) -> str:
    ask_for_link(client, user.email)
    return link_in(last_mail_to(user.email), "/sign-in/link/")


def is_signed_in_as(client: FlaskClient, user: User) -> bool:
    html = client.get("/").get_data(as_text=True)
    return "Sign out" in html and user.display_name in html


def test_the_same_message_whether_or_not_the_address_has_an_account(client: FlaskClient) -> None:
    make_user("kim@example.org")
    known = ask_for_link(client, "Kim@Example.org")
    unknown = ask_for_link(client, "nobody@example.org")
    assert SAME_MESSAGE in known and SAME_MESSAGE in unknown
    nonce = re.compile(r'nonce="[^"]+"|name="csrf_token"[^>]*')
    assert nonce.sub("", known).replace("Kim@Example.org", "X") == nonce.sub("", unknown).replace(
        "nobody@example.org", "X"
    )
    assert len(mail_to("kim@example.org")) == 1
    assert mail_to("nobody@example.org") == []


def test_an_account_at_a_name_kept_for_tests_can_ask_for_a_link_outside_production(
    client: FlaskClient,
) -> None:
    make_user("member1@demo.invalid")
    assert SAME_MESSAGE in ask_for_link(client, "member1@demo.invalid")
    link_in(last_mail_to("member1@demo.invalid"), "/sign-in/link/")


def test_the_link_signs_in_once_and_only_from_the_button(client: FlaskClient, app: Flask) -> None:
    user = make_user(name="Kim")
    link = sign_in_link_for(client, user)
    token = link.removeprefix("/sign-in/link/")
    stored = db.session.scalars(select(EmailToken)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.expires_at - stored.created_at == timedelta(minutes=15)
    assert "works once, for 15 minutes" in last_mail_to(user.email).text_body

    # A mail scanner opening the link changes nothing.
    browser = app.test_client()
    page = browser.get(link)
    assert page.status_code == 200 and 'type="submit"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get_one(EmailToken, stored.id).used_at is None
    assert not is_signed_in_as(browser, user)

    response = browser.post(link, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert is_signed_in_as(browser, user)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.action == "sign_in" and event.detail == "method: email link"
    assert token not in event.detail

    again = app.test_client().get(link)
    assert again.status_code == 410
    html = again.get_data(as_text=True)
    assert "This link has already been used" in html
    assert "Send me a new link to sign in" in html


def test_a_used_link_offers_a_button_that_sends_a_new_one(client: FlaskClient, app: Flask) -> None:
    user = make_user()
    link = sign_in_link_for(client, user)
    submit_form(app.test_client(), link, {})
    other = app.test_client()
    page = other.get(link).get_data(as_text=True)
    response = other.post(
        "/sign-in/email-link", data={"csrf_token": csrf_token_from(page), "email": user.email}
    )
    assert SAME_MESSAGE in response.get_data(as_text=True)
    new_link = link_in(last_mail_to(user.email), "/sign-in/link/")
    assert new_link != link
    assert submit_form(other, new_link, {}).status_code == 302


def test_an_expired_link_says_so(client: FlaskClient) -> None:
    user = make_user()
    link = sign_in_link_for(client, user)
    stored = db.session.scalars(select(EmailToken)).one()
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "This link has expired" in html and "work for 15 minutes" in html
    assert "Send me a new link to sign in" in html


def test_a_page_opened_in_time_cannot_be_used_after_the_link_expires(client: FlaskClient) -> None:
    user = make_user()
    link = sign_in_link_for(client, user)
    page = client.get(link).get_data(as_text=True)
    db.session.scalars(select(EmailToken)).one().expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(link, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 410
    assert not is_signed_in_as(client, user)


def test_a_made_up_link_is_not_found(client: FlaskClient) -> None:
    response = client.get("/sign-in/link/not-a-real-token")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)


def test_a_deactivated_account_gets_no_link_and_old_links_stop(client: FlaskClient) -> None:
    user = make_user()
    link = sign_in_link_for(client, user)
    user.is_active_account = False
    db.session.commit()
    assert client.get(link).status_code == 410
    ask_for_link(client, user.email)
    assert len(mail_to(user.email)) == 1


def test_the_link_takes_the_person_to_the_page_they_asked_for(
    client: FlaskClient, app: Flask
) -> None:
    user = make_user()
    ask_for_link(client, user.email, "/sign-in/email-link?next=/support")
    link = link_in(last_mail_to(user.email), "/sign-in/link/")
    assert link.endswith("?next=%2Fsupport")
    response = submit_form(app.test_client(), link, {})
    assert response.headers["Location"] == "/support"


def test_the_request_form_says_what_is_wrong(client: FlaskClient) -> None:
    response = submit_form(client, "/sign-in/email-link", {"email": "not an address"})
    html = response.get_data(as_text=True)
    assert "Enter an email address in the right format" in html
    assert 'value="not an address"' in html
    assert 'href="#email"' in html


# --- changing the email address ---------------------------------------------------------------


def change_link(user: User, new_email: str) -> str:
    request_email_change(user, new_email)
    db.session.commit()
    return link_in(last_mail_to(new_email.lower()), "/account/email/confirm/")


def test_an_email_change_is_confirmed_from_the_new_address(client: FlaskClient, app: Flask) -> None:
    user = make_user("old@example.org", name="Kim")
    link = change_link(user, "New@Example.org")
    notice = last_mail_to("old@example.org")
    assert "Someone asked to change" in notice.subject
    assert "/account/email/confirm/" not in notice.text_body
    assert "http://localhost/reset-password" in notice.text_body

    page = client.get(link)
    assert "new@example.org" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get_one(User, user.id).email == "old@example.org"

    response = submit_form(client, link, {})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get_one(User, user.id).email == "new@example.org"
    assert "Your email address is now new@example.org" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions == ["email_change_requested", "email_changed"]

    fresh = app.test_client()
    sign_in(fresh, db.session.get_one(User, user.id))
    assert client.get(link).status_code == 410


def test_an_email_change_to_an_address_in_use_sends_no_link(client: FlaskClient) -> None:
    user = make_user("old@example.org")
    make_user("taken@example.org")
    request_email_change(user, "taken@example.org")
    db.session.commit()
    warning = last_mail_to("taken@example.org")
    assert "already has" in warning.subject
    assert "/account/email/confirm/" not in warning.text_body
    assert db.session.scalars(select(EmailToken)).all() == []


def test_an_email_change_link_for_an_address_taken_meanwhile_changes_nothing(
    client: FlaskClient,
) -> None:
    user = make_user("old@example.org")
    link = change_link(user, "new@example.org")
    make_user("new@example.org")
    response = submit_form(client, link, {})
    assert response.status_code == 409
    assert "Another account now uses that email address" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get_one(User, user.id).email == "old@example.org"


def test_links_sent_to_the_old_address_stop_working_after_the_change(client: FlaskClient) -> None:
    user = make_user("old@example.org")
    old_link = sign_in_link_for(client, user)
    link = change_link(user, "new@example.org")
    submit_form(client, link, {})
    assert client.get(old_link).status_code == 410
    queued = db.session.scalars(select(OutboxMessage.to_address)).all()
    assert sorted(set(queued)) == ["new@example.org", "old@example.org"]
    assert PASSWORD  # the password is unchanged by an email change
