"""Single sign-on against a real OpenID Connect provider running on loopback.

The provider is the ``oidc-provider-mock`` package, served in a thread of this process. It signs
real ID tokens with its own key; the portal fetches its metadata and keys over HTTP.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask, Response, g, request
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import func, select
from werkzeug.serving import BaseWSGIServer, make_server

from portal.accounts.models import SingleSignOnIdentity, User
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.conftest import PortalTestClient, make_app
from tests.factories import make_user

with warnings.catch_warnings():
    # The provider package imports parts of authlib that authlib itself calls deprecated.
    warnings.simplefilter("ignore")
    import oidc_provider_mock

# The provider runs in a thread of this process, where pytest's warning filters apply too. The
# provider package (not the portal) uses an authlib hook that authlib calls deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")

TIMEOUT = 10
CLIENT_ID = "leap-portal"


# Set by a test to make the provider's next ID tokens lie: claims to overwrite, and whether to
# sign with a key the provider never published.
TAMPER: dict[str, Any] = {}


def _tamper_with_id_token(response: Response) -> Response:
    """Runs inside the provider: re-sign its ID token with the claims a test asked for."""
    if not TAMPER or request.path != "/oauth2/token" or response.status_code != 200:
        return response
    body = response.get_json()
    original = jwt.decode(body["id_token"], RSAKey.import_key(_provider_key().as_dict()))
    claims = {**original.claims, **TAMPER.get("claims", {})}
    key = RSAKey.generate_key(2048) if TAMPER.get("foreign_key") else _provider_key_private()
    body["id_token"] = jwt.encode(dict(original.header), claims, key)
    response.set_data(json.dumps(body))
    return response


def _provider_key() -> Any:
    return g.oidc_provider_mock_storage.jwk


def _provider_key_private() -> RSAKey:
    return RSAKey.import_key(_provider_key().as_dict(is_private=True))


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """An OpenID provider on a free loopback port; its issuer address."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        application = oidc_provider_mock.app(require_nonce=True)
    application.after_request(_tamper_with_id_token)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def sso_app(database: str, provider: str) -> Iterator[Flask]:
    application = make_app(
        database,
        OIDC_ISSUER=provider,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET="a client secret for the tests",
        OIDC_BUTTON_LABEL="Sign in with your NHS account",
    )
    application.test_client_class = PortalTestClient
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def browser(sso_app: Flask) -> FlaskClient:
    return sso_app.test_client()


def provider_user(provider: str, subject: str, **claims: object) -> None:
    response = requests.put(f"{provider}/users/{subject}", json=claims, timeout=TIMEOUT)
    assert response.status_code == 204


def go_to_provider(browser: FlaskClient) -> str:
    """Press the button; the provider's authorization address the portal sent the browser to."""
    response = browser.get("/sign-in/single-sign-on?next=/account")
    assert response.status_code == 302
    return response.headers["Location"]


def approve(authorize_url: str, subject: str) -> str:
    """The person signs in at the provider; the path the provider sends them back to."""
    response = requests.post(
        authorize_url, data={"sub": subject}, allow_redirects=False, timeout=TIMEOUT
    )
    assert response.status_code == 302, response.text
    back = urlsplit(response.headers["Location"])
    assert back.path == "/sign-in/single-sign-on/return"
    return f"{back.path}?{back.query}"


def sign_in_with_provider(browser: FlaskClient, provider: str, subject: str) -> FlaskClient:
    return browser.get(approve(go_to_provider(browser), subject))  # type: ignore[return-value]


def is_signed_in(browser: FlaskClient) -> bool:
    return browser.get("/account").status_code == 200


def refusals() -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "single_sign_on_refused")
        )
    )


def test_the_button_shows_only_when_a_provider_is_configured(
    client: FlaskClient, browser: FlaskClient
) -> None:
    assert "Sign in with your NHS account" not in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/sign-in/single-sign-on").status_code == 404
    page = browser.get("/sign-in").get_data(as_text=True)
    assert "Sign in with your NHS account" in page
    assert 'href="/sign-in/single-sign-on"' in page


def test_the_request_carries_state_nonce_and_a_pkce_challenge(browser: FlaskClient) -> None:
    query = parse_qs(urlsplit(go_to_provider(browser)).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://localhost/sign-in/single-sign-on/return"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20
    assert "openid" in query["scope"][0].split()


def test_an_invited_account_is_linked_by_verified_email_then_by_subject(
    browser: FlaskClient, sso_app: Flask, provider: str
) -> None:
    user = make_user("sam.researcher@example.org", name="Sam")
    provider_user(provider, "sam-123", email="Sam.Researcher@example.org", email_verified=True)
    response = sign_in_with_provider(browser, provider, "sam-123")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert is_signed_in(browser)
    identity = db.session.scalar(select(SingleSignOnIdentity))
    assert identity is not None
    assert (identity.user_id, identity.issuer, identity.subject) == (user.id, provider, "sam-123")
    db.session.expire_all()
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "single_sign_on_linked" in actions and "sign_in" in actions

    # Later the provider's email changes; the link by issuer and subject still finds Sam.
    provider_user(provider, "sam-123", email="sam@elsewhere.example", email_verified=False)
    again = sso_app.test_client()
    assert sign_in_with_provider(again, provider, "sam-123").status_code == 302
    assert is_signed_in(again)


def test_a_wrong_state_is_refused(browser: FlaskClient, provider: str) -> None:
    make_user("sam.researcher@example.org")
    provider_user(provider, "sam-123", email="sam.researcher@example.org", email_verified=True)
    back = approve(go_to_provider(browser), "sam-123")
    forged = back.replace("state=", "state=forged")
    response = browser.get(forged)
    assert response.status_code == 400
    assert "Something went wrong while we checked who you are" in response.get_data(as_text=True)
    assert not is_signed_in(browser)
    (refusal,) = refusals()
    assert refusal.startswith("failed: MismatchingStateError")


def test_a_wrong_nonce_is_refused(browser: FlaskClient, provider: str) -> None:
    make_user("sam.researcher@example.org")
    provider_user(provider, "sam-123", email="sam.researcher@example.org", email_verified=True)
    back = approve(go_to_provider(browser), "sam-123")
    # The ID token now carries a nonce other than the one this browser's sign-in expects.
    with browser.session_transaction() as session:
        key = next(name for name in session if name.startswith("_state_organisation_"))
        saved = session[key]
        saved["data"]["nonce"] = "a-different-nonce-altogether"
        session[key] = saved
    response = browser.get(back)
    assert response.status_code == 400
    assert not is_signed_in(browser)
    (refusal,) = refusals()
    assert refusal.startswith("failed: InvalidClaimError") and "nonce" in refusal


def test_an_unverified_email_is_refused(browser: FlaskClient, provider: str) -> None:
    make_user("sam.researcher@example.org")
    provider_user(provider, "sam-123", email="sam.researcher@example.org", email_verified=False)
    response = sign_in_with_provider(browser, provider, "sam-123")
    assert response.status_code == 403
    assert "did not confirm your email address" in response.get_data(as_text=True)
    assert not is_signed_in(browser)
    assert db.session.scalar(select(func.count()).select_from(SingleSignOnIdentity)) == 0
    assert refusals() == ["unverified_email"]


def test_no_matching_account_is_refused_and_none_is_made(
    browser: FlaskClient, provider: str
) -> None:
    provider_user(provider, "new-person", email="new.person@example.org", email_verified=True)
    response = sign_in_with_provider(browser, provider, "new-person")
    assert response.status_code == 403
    assert "You need an invitation from the study team first" in response.get_data(as_text=True)
    assert not is_signed_in(browser)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert refusals() == ["no_account"]


def test_a_deactivated_account_cannot_sign_in(browser: FlaskClient, provider: str) -> None:
    user = make_user("sam.researcher@example.org")
    user.is_active_account = False
    db.session.commit()
    provider_user(provider, "sam-123", email="sam.researcher@example.org", email_verified=True)
    assert sign_in_with_provider(browser, provider, "sam-123").status_code == 403
    assert not is_signed_in(browser)


@pytest.mark.parametrize(
    ("lie", "tamper", "error"),
    [
        (
            "expired",
            {"claims": {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}},
            "ExpiredTokenError",
        ),
        # Another client's token: its audience is not us, so authlib wants an azp naming us.
        ("for another client", {"claims": {"aud": "someone-else"}}, "'azp'"),
        ("from another issuer", {"claims": {"iss": "http://127.0.0.1:1"}}, "'iss'"),
        ("signed with an unpublished key", {"foreign_key": True}, "BadSignatureError"),
    ],
)
def test_an_id_token_that_fails_a_check_is_refused(
    browser: FlaskClient, provider: str, lie: str, tamper: dict[str, Any], error: str
) -> None:
    make_user("sam.researcher@example.org")
    provider_user(provider, "sam-123", email="sam.researcher@example.org", email_verified=True)
    TAMPER.update(tamper)
    try:
        response = sign_in_with_provider(browser, provider, "sam-123")
    finally:
        TAMPER.clear()
    assert response.status_code == 400, lie
    assert not is_signed_in(browser)
    (refusal,) = refusals()
    assert refusal.startswith("failed: ") and error in refusal, refusal


def test_a_provider_that_cannot_be_reached_gets_a_page_not_an_error(database: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    application = make_app(
        database, OIDC_ISSUER=f"http://127.0.0.1:{closed_port}", OIDC_CLIENT_ID=CLIENT_ID
    )
    application.test_client_class = PortalTestClient
    response = application.test_client().get("/sign-in/single-sign-on")
    assert response.status_code == 502
    assert "Something went wrong while we checked who you are" in response.get_data(as_text=True)
    with application.app_context():
        db.engine.dispose()
