"""Two-step verification: setting it up with an app, signing in with a code or a recovery code,
turning it off, and an administrator requiring it for researchers and administrators."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.models import RecoveryCode, User
from portal.accounts.two_step import CLOCK_EXTENSION
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.panels.models import Role
from tests.conftest import submit_form
from tests.factories import PASSWORD, add_to_panel, make_panel, make_user, sign_in
from tests.outbox import last_mail_to, link_in

KEY = re.compile(r'<code id="setup-key">([A-Z2-7 ]+)</code>')


@dataclass
class StoppedClock:
    """A clock that only moves when a test moves it, so no code runs out part-way through."""

    now: float = 1_800_000_000.0  # 15 January 2027, 08:00 UTC: the start of a 30-second step

    def __call__(self) -> float:
        return self.now

    def code(self, secret: str) -> str:
        """The code an authenticator app with this secret shows at this moment."""
        return pyotp.TOTP(secret).at(self.now)


@pytest.fixture(autouse=True)
def clock(app: Flask) -> Iterator[StoppedClock]:
    """Codes on these pages are checked against this clock, not the system clock."""
    stopped = StoppedClock()
    app.extensions[CLOCK_EXTENSION] = stopped
    yield stopped
    del app.extensions[CLOCK_EXTENSION]


@pytest.fixture
def kim() -> User:
    return make_user("kim@example.org", name="Kim")


@pytest.fixture
def kim_client(client: FlaskClient, kim: User) -> FlaskClient:
    sign_in(client, kim)
    return client


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def set_up(client: FlaskClient, clock: StoppedClock) -> tuple[str, list[str]]:
    """Turn two-step verification on through the pages; the secret and the recovery codes."""
    page = client.get("/account/two-step-verification/set-up").get_data(as_text=True)
    match = KEY.search(page)
    assert match, "the set-up page shows no key to type in"
    secret = match.group(1).replace(" ", "")
    response = submit_form(
        client,
        "/account/two-step-verification/set-up",
        {"code": clock.code(secret), "current_password": PASSWORD},
    )
    html = response.get_data(as_text=True)
    assert "Your recovery codes" in html
    codes = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", html)
    return secret, codes


def first_step(client: FlaskClient, user: User) -> None:
    response = submit_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].startswith("/sign-in/two-step")


def is_signed_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


def test_setting_up_shows_a_qr_code_and_a_key_and_gives_ten_recovery_codes(
    kim_client: FlaskClient, kim: User, clock: StoppedClock
) -> None:
    page = kim_client.get("/account/two-step-verification/set-up").get_data(as_text=True)
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in page
    assert KEY.search(page)
    # The same key on a reload, so a person who scanned it is not left with a stale one.
    assert KEY.search(page).group(1) in kim_client.get(  # type: ignore[union-attr]
        "/account/two-step-verification/set-up"
    ).get_data(as_text=True)
    wrong = submit_form(
        kim_client,
        "/account/two-step-verification/set-up",
        {"code": "000000", "current_password": PASSWORD},
    )
    assert "That code is not right" in wrong.get_data(as_text=True)
    _, codes = set_up(kim_client, clock)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert "two_step_enabled" in audit_actions()
    assert "On" in kim_client.get("/account").get_data(as_text=True)


def test_signing_in_asks_for_the_code_after_the_password(
    app: Flask, kim_client: FlaskClient, kim: User, clock: StoppedClock
) -> None:
    secret, _ = set_up(kim_client, clock)
    browser = app.test_client()
    first_step(browser, kim)
    assert not is_signed_in(browser)
    wrong = submit_form(browser, "/sign-in/two-step", {"code": "123456"})
    assert "That code is not right" in wrong.get_data(as_text=True)
    assert not is_signed_in(browser)
    # A code already used to turn it on cannot be used again; the next one works.
    clock.now += 30
    later = clock.code(secret)
    response = submit_form(browser, "/sign-in/two-step", {"code": later})
    assert response.status_code == 302
    assert is_signed_in(browser)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert "two_step_failed" in [event.action for event in events]
    assert "with two-step verification" in events[-1].detail
    # The same code twice is refused, even within its 30 seconds.
    again = app.test_client()
    first_step(again, kim)
    refused = submit_form(again, "/sign-in/two-step", {"code": later})
    assert "That code is not right" in refused.get_data(as_text=True)


def test_a_recovery_code_works_once(
    app: Flask, kim_client: FlaskClient, kim: User, clock: StoppedClock
) -> None:
    _, codes = set_up(kim_client, clock)
    browser = app.test_client()
    first_step(browser, kim)
    response = submit_form(
        browser, "/sign-in/two-step", {"code": codes[0].upper().replace("-", " ")}, True
    )
    assert "You used a recovery code. You have 9 left." in response.get_data(as_text=True)
    other = app.test_client()
    first_step(other, kim)
    refused = submit_form(other, "/sign-in/two-step", {"code": codes[0]})
    assert "That code is not right" in refused.get_data(as_text=True)
    assert "recovery_code_used" in audit_actions()


def test_wrong_codes_are_rate_limited(
    app: Flask, kim_client: FlaskClient, kim: User, clock: StoppedClock
) -> None:
    set_up(kim_client, clock)
    browser = app.test_client()
    first_step(browser, kim)
    responses = [submit_form(browser, "/sign-in/two-step", {"code": "000000"}) for _ in range(6)]
    assert [response.status_code for response in responses] == [200] * 5 + [429]
    assert "Try again in" in responses[5].get_data(as_text=True)


def test_the_second_step_without_a_first_goes_back_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/sign-in/two-step")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_turning_it_off_needs_the_password_and_throws_away_the_codes(
    app: Flask, kim_client: FlaskClient, kim: User, clock: StoppedClock
) -> None:
    set_up(kim_client, clock)
    wrong = submit_form(
        kim_client,
        "/account/two-step-verification/turn-off",
        {"current_password": "not my password at all"},
    )
    assert "Your current password is not right" in wrong.get_data(as_text=True)
    submit_form(
        kim_client, "/account/two-step-verification/turn-off", {"current_password": PASSWORD}
    )
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert "two_step_disabled" in audit_actions()
    sign_in(app.test_client(), kim)  # straight in, no second step


def test_new_recovery_codes_replace_the_old_ones(
    app: Flask, kim_client: FlaskClient, kim: User, clock: StoppedClock
) -> None:
    _, old = set_up(kim_client, clock)
    response = submit_form(
        kim_client,
        "/account/two-step-verification/recovery-codes",
        {"current_password": PASSWORD},
    )
    new = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    browser = app.test_client()
    first_step(browser, kim)
    refused = submit_form(browser, "/sign-in/two-step", {"code": old[0]})
    assert "That code is not right" in refused.get_data(as_text=True)
    submit_form(browser, "/sign-in/two-step", {"code": new[0]})
    assert is_signed_in(browser)


def test_an_administrator_can_require_it_for_researchers_and_administrators(
    app: Flask, client: FlaskClient, clock: StoppedClock
) -> None:
    panel = make_panel()
    admin = make_user("admin@example.org", is_admin=True)
    researcher = make_user("researcher@example.org")
    member = make_user("member@example.org")
    add_to_panel(panel, researcher, Role.RESEARCHER)
    add_to_panel(panel, member, Role.MEMBER)

    member_client = app.test_client()
    sign_in(member_client, member)
    refused = member_client.get("/administration/two-step-verification")
    assert refused.status_code == 403

    sign_in(client, admin)
    submit_form(
        client, "/administration/two-step-verification", {"require_two_step_for_staff": "y"}
    )
    assert "settings_changed" in audit_actions()
    # The administrator is now sent to set it up first, wherever they go.
    response = client.get(f"/panels/{panel.id}/drafts")
    assert response.headers["Location"] == "/account/two-step-verification/set-up"
    assert client.get("/support").status_code == 200  # "Need support?" always works

    researcher_client = app.test_client()
    sign_in(researcher_client, researcher)
    home = researcher_client.get("/")
    assert home.headers["Location"] == "/account/two-step-verification/set-up"
    page = researcher_client.get(home.headers["Location"]).get_data(as_text=True)
    assert "Your organisation asks researchers and administrators" in page
    set_up(researcher_client, clock)
    assert researcher_client.get("/").status_code == 200
    # Once required, it cannot be turned off.
    off = researcher_client.get("/account/two-step-verification/turn-off")
    assert off.status_code == 403

    assert member_client.get("/").status_code == 200  # members are never made to


def test_a_password_reset_still_asks_for_the_code(
    app: Flask, kim_client: FlaskClient, kim: User, clock: StoppedClock
) -> None:
    set_up(kim_client, clock)
    browser = app.test_client()
    submit_form(browser, "/reset-password", {"email": kim.email})
    link = link_in(last_mail_to(kim.email), "/reset-password/")
    response = submit_form(browser, link, {"password": "lantern pebble orchard"})
    assert response.headers["Location"].startswith("/sign-in/two-step")
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Enter your security code to finish signing in." in page
    assert not is_signed_in(browser)
