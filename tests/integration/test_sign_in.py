"""Signing in and out: messages that give nothing away, sessions that cannot be reused."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.models import User, UserSession
from portal.accounts.sessions import SESSION_TOKEN_KEY, end_sessions_of
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.panels.models import Panel
from tests.conftest import submit_form
from tests.factories import PASSWORD, add_to_panel, make_panel, make_user, sign_in

WRONG = "Enter the email address and password that match your account"


@pytest.fixture
def panel() -> Panel:
    return make_panel()


def signed_in_as(client: FlaskClient, user: User) -> bool:
    html = client.get("/").get_data(as_text=True)
    return "Sign out" in html and user.display_name in html


def comparable(html: str, typed_email: str) -> str:
    """The page without what legitimately differs: nonces, tokens and the typed address."""
    html = re.sub(r'nonce="[^"]+"|name="csrf_token"[^>]*|nonce-[^\']+', "", html)
    return html.replace(typed_email, "EMAIL")


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(client: FlaskClient) -> None:
    make_user("kim@example.org")
    wrong_password = submit_form(
        client, "/sign-in", {"email": "kim@example.org", "password": "not my password at all"}
    )
    unknown_email = submit_form(
        client, "/sign-in", {"email": "nobody@example.org", "password": "not my password at all"}
    )
    first = wrong_password.get_data(as_text=True)
    second = unknown_email.get_data(as_text=True)
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert WRONG in first
    assert comparable(first, "kim@example.org") == comparable(second, "nobody@example.org")
    for giveaway in ("password is wrong", "incorrect password", "no account", "not found"):
        assert giveaway not in first.lower()
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [e.action for e in events] == ["sign_in_failed", "sign_in_failed"]
    assert events[0].subject_user_id is not None and events[1].subject_user_id is None


def test_a_deactivated_account_gets_the_same_message(client: FlaskClient) -> None:
    user = make_user("kim@example.org")
    user.is_active_account = False
    db.session.commit()
    response = submit_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert WRONG in response.get_data(as_text=True)


def test_the_session_identifier_changes_at_sign_in(client: FlaskClient, app: Flask) -> None:
    user = make_user()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session[SESSION_TOKEN_KEY] = "chosen-by-an-attacker"
    before = client.get_cookie("portal")
    assert before is not None
    sign_in(client, user)
    with client.session_transaction() as session:
        first = session[SESSION_TOKEN_KEY]
    assert first != "chosen-by-an-attacker"
    after = client.get_cookie("portal")
    assert after is not None and after.value != before.value

    # The cookie from before sign-in is still signed out.
    planted = app.test_client()
    planted.set_cookie("portal", before.value)
    assert not signed_in_as(planted, user)

    # Signing in again on the same browser gives yet another identifier.
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    sign_in(client, user)
    with client.session_transaction() as session:
        assert session[SESSION_TOKEN_KEY] != first


def _csrf(client: FlaskClient) -> str:
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


def test_a_replayed_cookie_after_sign_out_gets_a_signed_out_page(
    client: FlaskClient, app: Flask, panel: Panel
) -> None:
    user = make_user(name="Kim")
    add_to_panel(panel, user)
    sign_in(client, user)
    stolen = client.get_cookie("portal")
    assert stolen is not None
    response = client.post("/sign-out", data={"csrf_token": _csrf(client)})
    assert response.status_code == 302
    assert db.session.scalars(select(UserSession.ended_at)).one() is not None

    attacker = app.test_client()
    attacker.set_cookie("portal", stolen.value)
    home = attacker.get("/").get_data(as_text=True)
    assert "Sign out" not in home and "Kim" not in home and "Sign in" in home
    panel_page = attacker.get(f"/panels/{panel.id}/drafts")
    assert panel_page.status_code == 302 and "/sign-in" in panel_page.headers["Location"]


def test_deactivating_an_account_ends_all_its_sessions(client: FlaskClient, app: Flask) -> None:
    user = make_user()
    phone = app.test_client()
    sign_in(client, user)
    sign_in(phone, user)
    user.is_active_account = False
    with app.test_request_context():
        end_sessions_of(user.id)
    db.session.commit()
    assert not signed_in_as(client, user) and not signed_in_as(phone, user)
    # Switching the account back on does not bring the old sessions back.
    user.is_active_account = True
    db.session.commit()
    assert not signed_in_as(client, user) and not signed_in_as(phone, user)
    sign_in(client, user)
    assert signed_in_as(client, user)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/panels/1",
        "javascript:alert(1)",
        "///evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/\\/evil.example",
        " //evil.example",
        "http:evil.example",
    ],
)
def test_a_next_address_off_the_site_is_ignored(client: FlaskClient, target: str) -> None:
    user = make_user()
    response = submit_form(
        client,
        f"/sign-in?next={quote(target, safe='')}",
        {"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_next_address_on_the_site_is_followed(client: FlaskClient, panel: Panel) -> None:
    user = make_user()
    add_to_panel(panel, user)
    wanted = f"/panels/{panel.id}/drafts"
    bounced = client.get(wanted)
    assert bounced.status_code == 302
    response = submit_form(
        client, bounced.headers["Location"], {"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == wanted


def test_a_forged_sign_in_shows_the_form_again_with_the_email_kept(client: FlaskClient) -> None:
    user = make_user()
    response = client.post(
        "/sign-in", data={"csrf_token": "forged", "email": user.email, "password": PASSWORD}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check your answers and send it again" in html
    assert f'value="{user.email}"' in html
    assert not signed_in_as(client, user)
