"""Rate limits on signing in, asking for links and accepting invitations: per client address and
per account, in memory and in Redis, with a 429 page that says when to try again."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.accounts.invitations import invite
from portal.extensions import db, limiter
from portal.panels.models import Role
from tests.conftest import PortalTestClient, csrf_token_from, make_app, redis_test_url
from tests.factories import PASSWORD, make_panel, make_user, sign_in
from tests.outbox import last_mail_to, link_in, mail_to

REDIS_URL = redis_test_url()
ROOT = Path(__file__).resolve().parents[2]


def post_form(
    client: FlaskClient, url: str, data: dict[str, str], address: str = "127.0.0.1"
) -> TestResponse:
    """GET the form and POST it with its CSRF token, from ``address``."""
    environ = {"REMOTE_ADDR": address}
    page = client.get(url, environ_base=environ)
    payload = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), **data}
    return client.post(url, data=payload, environ_base=environ)


def assert_told_when_to_try_again(response: TestResponse) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many attempts" in html
    assert "Try again in 15 minutes." in html
    assert 840 < int(response.headers["Retry-After"]) <= 900


def test_sign_in_failures_are_limited_per_client_address(client: FlaskClient) -> None:
    for number in range(10):
        response = post_form(
            client, "/sign-in", {"email": f"guess{number}@example.org", "password": "x" * 20}
        )
        assert response.status_code == 200
    blocked = post_form(client, "/sign-in", {"email": "another@example.org", "password": "x" * 20})
    assert_told_when_to_try_again(blocked)
    # Another address is not held up.
    other = post_form(
        client, "/sign-in", {"email": "x@example.org", "password": "x" * 20}, address="10.0.0.9"
    )
    assert other.status_code == 200


def test_sign_in_failures_are_limited_per_account_across_addresses(client: FlaskClient) -> None:
    make_user("kim@example.org")
    for number in range(5):
        response = post_form(
            client,
            "/sign-in",
            {"email": "Kim@Example.org", "password": "wrong guess number one"},
            address=f"10.0.0.{number}",
        )
        assert response.status_code == 200
    blocked = post_form(
        client, "/sign-in", {"email": "kim@example.org", "password": PASSWORD}, address="10.0.1.1"
    )
    assert_told_when_to_try_again(blocked)
    # Other accounts from the same addresses can still sign in.
    other = make_user("lin@example.org")
    ok = post_form(
        client, "/sign-in", {"email": other.email, "password": PASSWORD}, address="10.0.0.1"
    )
    assert ok.status_code == 302


def test_successful_sign_ins_do_not_count(app: Flask) -> None:
    user = make_user()
    for _ in range(12):
        sign_in(app.test_client(), user)


def test_sign_in_links_are_limited_per_account_and_per_address(client: FlaskClient) -> None:
    make_user("kim@example.org")
    for _ in range(3):
        assert (
            post_form(client, "/sign-in/email-link", {"email": "kim@example.org"}).status_code
            == 200
        )
    assert_told_when_to_try_again(
        post_form(client, "/sign-in/email-link", {"email": "KIM@example.org"}, "10.1.1.1")
    )
    assert len(mail_to("kim@example.org")) == 3
    for number in range(7):
        response = post_form(client, "/sign-in/email-link", {"email": f"p{number}@example.org"})
        assert response.status_code == 200
    assert_told_when_to_try_again(
        post_form(client, "/sign-in/email-link", {"email": "new@example.org"})
    )


def test_password_reset_requests_are_limited(client: FlaskClient) -> None:
    make_user("kim@example.org")
    for _ in range(3):
        assert post_form(client, "/reset-password", {"email": "kim@example.org"}).status_code == 200
    assert_told_when_to_try_again(
        post_form(client, "/reset-password", {"email": "kim@example.org"}, "10.2.2.2")
    )
    assert len(mail_to("kim@example.org")) == 3


def test_invitation_acceptance_is_limited(client: FlaskClient) -> None:
    panel = make_panel()
    researcher = make_user()
    invite(panel.id, "sam@example.org", Role.MEMBER, researcher.id)
    db.session.commit()
    link = link_in(last_mail_to("sam@example.org"), "/invitations/")
    for _ in range(10):
        assert post_form(client, link, {"display_name": ""}).status_code == 200
    assert_told_when_to_try_again(post_form(client, link, {"display_name": "Sam"}))


def test_only_posts_are_limited(client: FlaskClient) -> None:
    for _ in range(30):
        assert client.get("/sign-in").status_code == 200


@pytest.fixture
def redis_app(app: Flask, database: str) -> Iterator[Flask]:
    """An application whose limits are kept in Redis (database 15), as in production."""
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    redis_backed = make_app(database, RATELIMIT_STORAGE_URI=REDIS_URL)
    redis_backed.test_client_class = PortalTestClient
    try:
        yield redis_backed
    finally:
        connection.flushdb()
        connection.close()
        with redis_backed.app_context():
            db.engine.dispose()
        # The limiter is one object: point it back at the suite's own application's storage.
        limiter.init_app(app)


def test_limits_kept_in_redis_apply(redis_app: Flask) -> None:
    make_user("kim@example.org")
    client = redis_app.test_client()
    for _ in range(3):
        assert post_form(client, "/reset-password", {"email": "kim@example.org"}).status_code == 200
    keys = redis.Redis.from_url(REDIS_URL).keys("*")
    assert keys, "the counters are in Redis"
    assert not any(b"kim@example.org" in key for key in keys), "keys hold no email addresses"
    assert_told_when_to_try_again(
        post_form(client, "/reset-password", {"email": "kim@example.org"}, "10.3.3.3")
    )
    # A second application sharing the Redis (another web server) sees the same counters.
    other_server = redis_app.test_client()
    assert_told_when_to_try_again(
        post_form(other_server, "/reset-password", {"email": "kim@example.org"}, "10.4.4.4")
    )


ANOTHER_SERVER = """
import sys
from tests.conftest import make_app
from tests.integration.test_rate_limits import post_form
app = make_app(sys.argv[1], RATELIMIT_STORAGE_URI=sys.argv[2])
client = app.test_client()
for _ in range(3):
    asked = post_form(client, "/reset-password", {"email": "kim@example.org"}, "10.5.5.5")
    print(asked.status_code)
"""


def test_two_servers_sharing_redis_count_one_limit_together(
    redis_app: Flask, database: str
) -> None:
    """A separate process (another gunicorn worker or host) with its own memory uses up the
    account's limit; this process then refuses the next request."""
    make_user("kim@example.org")
    other = subprocess.run(
        [sys.executable, "-c", ANOTHER_SERVER, database, REDIS_URL],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.split() == ["200", "200", "200"]
    assert_told_when_to_try_again(
        post_form(
            redis_app.test_client(), "/reset-password", {"email": "kim@example.org"}, "10.6.6.6"
        )
    )
