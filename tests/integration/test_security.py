"""The security baseline on every response: headers, cookies, CSRF."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from portal.core.service import support_contacts
from tests.conftest import submit_form
from tests.factories import make_user, sign_in


def test_every_response_carries_a_strict_content_security_policy(client: FlaskClient) -> None:
    for path in ("/", "/sign-in", "/no-such-page"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
            assert directive in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_nonce_changes_every_request_and_matches_the_inline_script(
    client: FlaskClient,
) -> None:
    nonces = []
    for _ in range(2):
        response = client.get("/")
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
        assert nonce
        assert f'nonce="{nonce.group(1)}"' in response.get_data(as_text=True)
        nonces.append(nonce.group(1))
    assert nonces[0] != nonces[1]


def test_hsts_only_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_signed_in_pages_are_never_cached(client: FlaskClient) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    sign_in(client, make_user())
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite_lax(client: FlaskClient) -> None:
    sign_in(client, make_user())
    cookie = client.get_cookie("portal")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_a_forged_post_without_a_token_is_refused(client: FlaskClient) -> None:
    admin = make_user(is_admin=True)
    sign_in(client, admin)
    response = client.post("/sign-out")
    assert response.status_code == 400
    assert "was not sent from this site" in response.get_data(as_text=True)
    assert "Sign out" in client.get("/").get_data(as_text=True), "still signed in"


def test_a_forged_form_keeps_what_was_typed_and_changes_nothing(client: FlaskClient) -> None:
    admin = make_user(is_admin=True)
    sign_in(client, admin)
    response = client.post(
        "/support/edit",
        data={"csrf_token": "forged", "contacts-0-name": "A line I typed"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check your answers and send it again" in html
    assert 'value="A line I typed"' in html
    assert support_contacts() == []


def test_the_real_token_is_accepted(client: FlaskClient) -> None:
    sign_in(client, make_user(is_admin=True))
    response = submit_form(client, "/support/edit", {"contacts-0-name": "Peer support line"})
    assert response.status_code == 302
    assert [contact.name for contact in support_contacts()] == ["Peer support line"]
