"""Idle and absolute timeouts, the warning before an idle sign-out, and staying signed in.

Time is moved by rewriting the timestamps the signed session cookie holds, never by sleeping.
"""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.accounts.sessions import SEEN_KEY, STARTED_KEY
from portal.accounts.views import IDLE_WARNING_SECONDS
from portal.panels.models import Panel
from tests.factories import add_to_panel, make_panel, make_user, sign_in


@pytest.fixture
def panel() -> Panel:
    return make_panel()


@pytest.fixture
def member_client(client: FlaskClient, panel: Panel) -> FlaskClient:
    user = make_user(name="Kim")
    add_to_panel(panel, user)
    sign_in(client, user)
    return client


def move_clock(client: FlaskClient, *, idle: int = 0, since_sign_in: int = 0) -> None:
    """Make it look as if the person was last active ``idle`` seconds ago and signed in
    ``since_sign_in`` seconds ago."""
    now = int(time.time())
    with client.session_transaction() as session:
        session[SEEN_KEY] = now - idle
        session[STARTED_KEY] = now - max(since_sign_in, idle)


def is_signed_in(client: FlaskClient) -> bool:
    return "Sign out" in client.get("/").get_data(as_text=True)


def test_idle_for_30_minutes_signs_out_and_says_why(
    member_client: FlaskClient, panel: Panel
) -> None:
    move_clock(member_client, idle=30 * 60 + 5)
    response = member_client.get(f"/panels/{panel.id}/drafts")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    page = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out because you had not used the portal for 30 minutes" in page
    assert not is_signed_in(member_client)


def test_idle_for_less_than_the_limit_stays_signed_in(member_client: FlaskClient) -> None:
    move_clock(member_client, idle=29 * 60)
    assert is_signed_in(member_client)


def test_every_page_restarts_the_idle_clock(member_client: FlaskClient, panel: Panel) -> None:
    move_clock(member_client, idle=20 * 60)
    member_client.get(f"/panels/{panel.id}/drafts")
    with member_client.session_transaction() as session:
        assert session[SEEN_KEY] >= int(time.time()) - 2


def test_twelve_hours_after_sign_in_signs_out_however_active(member_client: FlaskClient) -> None:
    move_clock(member_client, idle=0, since_sign_in=12 * 3600 + 5)
    page = member_client.get("/").get_data(as_text=True)
    assert "You were signed out because you had been signed in for 12 hours" in page
    assert "Sign out" not in page


def test_both_timeouts_can_be_configured(
    member_client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS", 1)
    move_clock(member_client, idle=4 * 60, since_sign_in=50 * 60)
    assert is_signed_in(member_client)
    move_clock(member_client, idle=6 * 60)
    assert "not used the portal for 5 minutes" in member_client.get("/").get_data(as_text=True)
    sign_in(member_client, make_user())
    move_clock(member_client, idle=60, since_sign_in=61 * 60)
    assert "signed in for 1 hour." in member_client.get("/").get_data(as_text=True)


def test_the_status_says_how_long_is_left_without_counting_as_activity(
    member_client: FlaskClient,
) -> None:
    move_clock(member_client, idle=10 * 60)
    with member_client.session_transaction() as session:
        seen = session[SEEN_KEY]
    response = member_client.get("/session/status")
    assert response.is_json
    body = response.get_json()
    assert body["signed_in"] is True
    assert 20 * 60 - 3 <= body["seconds_left"] <= 20 * 60
    assert body["warn_seconds"] == IDLE_WARNING_SECONDS == 120
    assert "Set-Cookie" not in response.headers
    with member_client.session_transaction() as session:
        assert session[SEEN_KEY] == seen
    # Asking over and over does not keep the person signed in.
    for _ in range(3):
        member_client.get("/session/status")
    move_clock(member_client, idle=31 * 60)
    assert member_client.get("/session/status").get_json()["signed_in"] is False


def test_the_status_when_signed_out(client: FlaskClient) -> None:
    assert client.get("/session/status").get_json() == {
        "signed_in": False,
        "seconds_left": 0,
        "warn_seconds": 120,
    }


def csrf_meta(client: FlaskClient) -> str:
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', html)
    assert match, "signed-in pages carry the CSRF token for scripts"
    return match.group(1)


def test_staying_signed_in_restarts_the_idle_clock(member_client: FlaskClient) -> None:
    token = csrf_meta(member_client)
    move_clock(member_client, idle=29 * 60)
    response = member_client.post("/session/stay-signed-in", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.get_json()["seconds_left"] >= 30 * 60 - 2
    with member_client.session_transaction() as session:
        assert session[SEEN_KEY] >= int(time.time()) - 2
    assert is_signed_in(member_client)


def test_staying_signed_in_needs_the_csrf_token(member_client: FlaskClient) -> None:
    assert member_client.post("/session/stay-signed-in").status_code == 400


def test_staying_signed_in_after_the_time_is_up_does_not_work(member_client: FlaskClient) -> None:
    token = csrf_meta(member_client)
    move_clock(member_client, idle=31 * 60)
    response = member_client.post("/session/stay-signed-in", headers={"X-CSRFToken": token})
    assert response.status_code in (400, 401)
    assert not is_signed_in(member_client)


def test_signed_in_pages_carry_the_warning_and_the_script(member_client: FlaskClient) -> None:
    html = member_client.get("/").get_data(as_text=True)
    dialog = re.search(r"<dialog[^>]*>.*?</dialog>", html, re.DOTALL)
    assert dialog
    markup = dialog.group(0)
    assert 'role="alertdialog"' in markup and 'aria-labelledby="portal-session-title"' in markup
    assert "we will sign you out in 2 minutes" in markup
    assert "Stay signed in" in markup and "Sign out" in markup
    assert 'data-status-url="/session/status"' in markup
    assert 'data-idle-seconds="1800"' in markup
    with member_client.get("/static/js/portal.js") as script:
        assert 'from "./session-timeout.js"' in script.get_data(as_text=True)
    with member_client.get("/static/js/session-timeout.js") as timeout_script:
        assert timeout_script.status_code == 200
        assert "X-CSRFToken" in timeout_script.get_data(as_text=True)
    assert "<script>" not in html  # no inline script beyond the nonce'd one


def test_signed_out_pages_have_no_warning(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "<dialog" not in html and 'name="csrf-token"' not in html
