"""Asking for a sign-in or reset link does the same work whether or not the address has an
account; the worker decides whether to send, and only a real account gets mail."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.accounts.models import LinkRequest
from portal.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.mail_server import MailServer

FORMS = ("/sign-in/email-link", "/reset-password")


def _ask(client: FlaskClient, url: str, email: str, count_queries: Callable[[], Any]) -> Any:
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    with count_queries() as log:
        response = client.post(url, data={"csrf_token": token, "email": email})
    assert response.status_code == 200
    return log, response.get_data(as_text=True)


@pytest.mark.parametrize("url", FORMS)
def test_known_and_unknown_addresses_make_the_same_queries(
    app: Flask, url: str, count_queries: Callable[[], Any]
) -> None:
    make_user("kim@example.org")
    known, known_page = _ask(app.test_client(), url, "Kim@Example.org", count_queries)
    unknown, unknown_page = _ask(app.test_client(), url, "nobody@example.org", count_queries)
    assert known.count == unknown.count
    assert known.statements == unknown.statements
    assert _same_page(known_page, "Kim@Example.org") == _same_page(
        unknown_page, "nobody@example.org"
    )


def _same_page(html: str, email: str) -> str:
    """The page without what differs on purpose: the address typed, each page's nonce, and the
    language menu's form token (each browser has its own)."""
    html = re.sub(r'name="csrf_token" value="[^"]+"', "", html.replace(email, "X"))
    return re.sub(r'nonce="[^"]+"', "", html)


def test_only_the_known_address_gets_a_link_once_the_worker_runs(
    app: Flask, smtp_server: MailServer, count_queries: Callable[[], Any]
) -> None:
    make_user("kim@example.org", name="Kim")
    for email in ("kim@example.org", "nobody@example.org"):
        _ask(app.test_client(), "/sign-in/email-link", email, count_queries)
    _ask(app.test_client(), "/reset-password", "kim@example.org", count_queries)
    _ask(app.test_client(), "/reset-password", "someone@example.org", count_queries)
    assert smtp_server.received == [], "nothing is sent in the request"

    result = app.test_cli_runner().invoke(args=["portal", "worker", "--once"])
    assert result.exit_code == 0, result.output

    assert sorted(mail.rcpt_tos[0] for mail in smtp_server.received) == [
        "kim@example.org",
        "kim@example.org",
    ]
    bodies = [mail.message.get_body(preferencelist=("plain",)) for mail in smtp_server.received]
    texts = " ".join(body.get_content() for body in bodies if body is not None)
    assert "http://localhost/sign-in/link/" in texts and "http://localhost/reset-password/" in texts
    # Nothing about the addresses asked for is kept once handled.
    assert db.session.scalar(select(func.count(LinkRequest.id))) == 0

    app.test_cli_runner().invoke(args=["portal", "worker", "--once"])
    assert len(smtp_server.received) == 2, "a second worker pass sends nothing again"


def test_a_closed_account_gets_no_link(app: Flask, smtp_server: MailServer) -> None:
    user = make_user("kim@example.org")
    user.is_active_account = False
    db.session.commit()
    client = app.test_client()
    token = csrf_token_from(client.get("/sign-in/email-link").get_data(as_text=True))
    client.post("/sign-in/email-link", data={"csrf_token": token, "email": "kim@example.org"})
    app.test_cli_runner().invoke(args=["portal", "worker", "--once"])
    assert smtp_server.received == []
