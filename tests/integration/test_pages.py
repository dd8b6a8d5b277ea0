"""The public pages, the layout every page shares, and the error pages."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.core.service import SupportContactDetails, replace_support_contacts
from portal.extensions import db
from tests.factories import make_user, sign_in

PUBLIC_PAGES = ["/", "/support", "/accessibility", "/privacy", "/contact", "/sign-in"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_the_support_link_in_the_header(client: FlaskClient, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    header = html.split("</header>")[0]
    assert 'href="/support"' in header and "Need support?" in header
    assert "Skip to main content" in html


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_footer_links_to_accessibility_privacy_and_contact(client: FlaskClient, path: str) -> None:
    footer = client.get(path).get_data(as_text=True).split("<footer")[1]
    for href in ("/accessibility", "/privacy", "/contact", "/support"):
        assert f'href="{href}"' in footer


def test_no_nhs_logo_unless_one_is_configured(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "nhsuk-header__logo" not in html and "<svg" not in html.split("</header>")[0]


def test_a_configured_logo_is_shown(app: Flask, client: FlaskClient) -> None:
    app.config["LOGO_URL"] = "/static/our-logo.png"
    try:
        html = client.get("/").get_data(as_text=True)
    finally:
        app.config["LOGO_URL"] = ""
    assert 'src="/static/our-logo.png"' in html


def test_support_page_shows_the_contacts_an_administrator_set(client: FlaskClient) -> None:
    replace_support_contacts(
        [SupportContactDetails(name="Evening peer line", phone="0100 000 0000", hours="6pm")]
    )
    db.session.commit()
    html = client.get("/support").get_data(as_text=True)
    assert "Evening peer line" in html and 'href="tel:01000000000"' in html


def test_unknown_address_gets_the_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html and "Need support?" in html


def test_error_log_lines_hold_no_path_query_or_body(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="portal.errors"):
        client.get("/secret-token-abc123?email=someone@example.org")
        client.post("/sign-out", data={"email": "someone@example.org", "password": "hunter2"})
    logged = caplog.text
    assert "status=404" in logged and "status=400" in logged
    for private in ("secret-token-abc123", "someone@example.org", "hunter2"):
        assert private not in logged


def test_an_oversized_request_gets_the_413_page(app: Flask, client: FlaskClient) -> None:
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/sign-in", data=body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "That file is too big" in response.get_data(as_text=True)
    assert "20 MB" in response.get_data(as_text=True)


def test_unexpected_failure_gets_the_friendly_500(app: Flask, client: FlaskClient) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    from portal.core import views

    original = views.service.support_contacts

    def broken() -> list[object]:
        raise RuntimeError("database went away")

    views.service.support_contacts = broken  # type: ignore[assignment]
    try:
        response = client.get("/support")
    finally:
        views.service.support_contacts = original  # type: ignore[assignment]
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)


def test_header_navigation_depends_on_who_is_signed_in(client: FlaskClient) -> None:
    anonymous = client.get("/").get_data(as_text=True).split("</header>")[0]
    assert "Sign in" in anonymous and "Sign out" not in anonymous

    admin = make_user(is_admin=True, name="Ada")
    sign_in(client, admin)
    signed_in = client.get("/").get_data(as_text=True).split("</header>")[0]
    assert "Sign out" in signed_in and "Ada" in signed_in and "Administration" in signed_in


def test_the_page_language_follows_the_locale(client: FlaskClient) -> None:
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en"' in html
