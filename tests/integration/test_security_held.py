"""Protections that held when the portal was attacked, kept as tests (off-site ``next=``
addresses are with the other sign-in tests): emails use PORTAL_BASE_URL whatever Host the request
claimed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.outbox import last_mail_to
from tests.roles import Cast


@pytest.mark.parametrize("url", ["/sign-in/email-link", "/reset-password"])
def test_emailed_links_use_the_base_url_whatever_the_host_header(app: Flask, url: str) -> None:
    make_user("kim@example.org")
    client = app.test_client()
    evil = {"headers": {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}}
    page = client.get(url, **evil).get_data(as_text=True)  # type: ignore[arg-type]
    client.post(
        url,
        data={"csrf_token": csrf_token_from(page), "email": "kim@example.org"},
        **evil,  # type: ignore[arg-type]
    )
    message = last_mail_to("kim@example.org")
    assert "evil.example" not in message.text_body + message.html_body
    assert "http://localhost/" in message.text_body


def test_an_invitation_sent_from_a_forged_host_links_to_the_base_url(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    chair = client_as("chair")
    session = chair.get_cookie("portal")
    assert session is not None
    # The same browser session, sent to the forged host name.
    chair.set_cookie("portal", session.value, domain="evil.example")
    url = f"/panels/{cast.panel.id}/members/invite"
    evil = {"headers": {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}}
    page = chair.get(url, **evil).get_data(as_text=True)  # type: ignore[arg-type]
    response = chair.post(
        url,
        data={"csrf_token": csrf_token_from(page), "email": "new@example.org", "role": "member"},
        **evil,  # type: ignore[arg-type]
    )
    assert response.status_code == 302
    message = last_mail_to("new@example.org")
    assert "evil.example" not in message.text_body + message.html_body
    assert "http://localhost/invitations/" in message.text_body
