"""Resetting a forgotten password by a link sent by email."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.models import EmailToken, User
from portal.accounts.passwords import verify_password
from portal.audit.models import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from tests.conftest import submit_form
from tests.factories import PASSWORD, make_user, sign_in
from tests.outbox import last_mail_to, link_in, mail_to

NEW_PASSWORD = "marble giraffe teacup orchard"
SAME_MESSAGE = "If that email address has an account, we have sent a link to reset your password"


def reset_link_for(client: FlaskClient, email: str) -> str:
    response = submit_form(client, "/reset-password", {"email": email})
    assert SAME_MESSAGE in response.get_data(as_text=True)
    return link_in(last_mail_to(email.lower()), "/reset-password/")


def test_the_same_message_whether_or_not_the_address_has_an_account(client: FlaskClient) -> None:
    make_user("kim@example.org")
    pages = []
    for email in ("kim@example.org", "nobody@example.org"):
        html = submit_form(client, "/reset-password", {"email": email}).get_data(as_text=True)
        cleaned = re.sub(r'nonce="[^"]+"|name="csrf_token"[^>]*', "", html)
        pages.append(cleaned.replace(email, "X"))
    assert SAME_MESSAGE in pages[0] and pages[0] == pages[1]
    assert len(mail_to("kim@example.org")) == 1 and mail_to("nobody@example.org") == []


def test_a_reset_sets_the_password_ends_every_session_and_signs_in(
    client: FlaskClient, app: Flask
) -> None:
    user = make_user("kim@example.org", name="Kim")
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    link = reset_link_for(client, "kim@example.org")
    assert "works once, for 1 hour." in last_mail_to("kim@example.org").text_body

    page = client.get(link).get_data(as_text=True)
    assert "Choose a new password" in page
    assert "Use at least 15 characters" in page
    assert 'autocomplete="new-password"' in page

    response = submit_form(client, link, {"password": NEW_PASSWORD})
    assert response.status_code == 302
    home = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your password has been changed" in home and "Kim" in home

    db.session.expire_all()
    saved = db.session.get_one(User, user.id)
    assert verify_password(saved.password_hash, NEW_PASSWORD)
    assert not verify_password(saved.password_hash, PASSWORD)
    assert "Sign out" not in elsewhere.get("/").get_data(as_text=True)  # signed out there
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-3:] == ["password_reset_requested", "password_reset", "sign_in"]
    details = " ".join(db.session.scalars(select(AuditEvent.detail)))
    assert NEW_PASSWORD not in details and link.rsplit("/", 1)[-1] not in details

    assert client.get(link).status_code == 410  # the link worked once
    fresh = app.test_client()
    sign_in(fresh, saved, NEW_PASSWORD)


def test_a_weak_new_password_is_refused_and_the_link_still_works(client: FlaskClient) -> None:
    make_user("kim@example.org")
    link = reset_link_for(client, "kim@example.org")
    response = submit_form(client, link, {"password": "passwordpassword"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "too easy to guess" in html and "Use three random words" in html
    assert db.session.scalars(select(EmailToken)).one().used_at is None
    assert submit_form(client, link, {"password": NEW_PASSWORD}).status_code == 302


def test_a_password_over_1000_characters_is_refused_clearly(client: FlaskClient) -> None:
    make_user("kim@example.org")
    link = reset_link_for(client, "kim@example.org")
    response = submit_form(client, link, {"password": "quiet river " * 100})
    assert "must be 1,000 characters or fewer" in response.get_data(as_text=True)


def test_a_long_passphrase_is_used_in_full(client: FlaskClient, app: Flask) -> None:
    user = make_user("kim@example.org")
    link = reset_link_for(client, "kim@example.org")
    long_password = "a walk by the quiet river " * 30  # 780 characters
    assert submit_form(client, link, {"password": long_password}).status_code == 302
    db.session.expire_all()
    saved = db.session.get_one(User, user.id)
    assert verify_password(saved.password_hash, long_password)
    assert not verify_password(saved.password_hash, long_password[:72])


def test_an_expired_reset_link_offers_a_new_one(client: FlaskClient) -> None:
    make_user("kim@example.org")
    link = reset_link_for(client, "kim@example.org")
    db.session.scalars(select(EmailToken)).one().expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(link)
    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "This link has expired" in html and "work for 1 hour" in html
    assert "Send me a new link to reset my password" in html


def test_the_sign_in_page_offers_a_reset_and_an_email_link(client: FlaskClient) -> None:
    html = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/reset-password"' in html
    assert 'href="/sign-in/email-link"' in html
