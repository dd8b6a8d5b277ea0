"""An id that cannot exist (too big for the database, or negative) is a plain 404 everywhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.routing import IntegerConverter, Rule

from portal.extensions import db
from tests.conftest import csrf_token_from
from tests.roles import Cast

TOO_BIG = ("9223372036854775808", "99999999999999999999999")
NEGATIVE = "-1"


def _int_arguments(rule: Rule) -> list[str]:
    return [
        name
        for name, converter in rule._converters.items()
        if isinstance(converter, IntegerConverter)
    ]


def _paths(app: Flask, cast: Cast) -> list[tuple[str, str, str]]:
    """Each route with an id, with an impossible value in each id position in
    turn (the panel is the person's own everywhere else, other ids 1)."""
    found = []
    for rule in app.url_map.iter_rules():
        ids = _int_arguments(rule)
        for position in ids:
            for value in (TOO_BIG[0], NEGATIVE):

                def put(
                    match: re.Match[str],
                    position: str = position,
                    value: str = value,
                    ids: list[str] = ids,
                ) -> str:
                    name = match.group("name")
                    if name == position:
                        return value
                    if name == "panel_id":
                        return str(cast.panel.id)
                    return "1" if name in ids else "x"

                path = re.sub(r"<(?:[^:<>]+:)?(?P<name>[^<>]+)>", put, rule.rule)
                # One method a route answers is enough: no route is reached at all.
                method = "GET" if "GET" in (rule.methods or set()) else "POST"
                found.append((method, rule.endpoint, path))
    return found


@pytest.mark.parametrize("role", ["member", "admin"])
def test_every_route_answers_an_impossible_id_with_not_found(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient], role: str
) -> None:
    client = client_as(role)
    # A real token, so each POST is judged by its address, not refused as forged.
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    paths = _paths(app, cast)
    assert len({endpoint for _, endpoint, _ in paths}) > 50, "every route with an id is walked"
    wrong = []
    for method, endpoint, path in paths:
        response = client.open(path, method=method, data={"csrf_token": token})
        if response.status_code != 404 or "Page not found" not in response.get_data(as_text=True):
            wrong.append(f"{method} {path} ({endpoint}): {response.status_code}")
    assert wrong == []


def test_an_impossible_id_never_reaches_the_database(
    cast: Cast, client_as: Callable[[str], FlaskClient], app: Flask
) -> None:
    client = client_as("member")
    sent: list[Any] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append(parameters)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        drafts = client.get(f"/panels/{TOO_BIG[1]}/drafts")
        person = client_as("admin").get(f"/admin/people/{TOO_BIG[0]}")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert drafts.status_code == 404 and "Page not found" in drafts.get_data(as_text=True)
    assert person.status_code == 404 and "Page not found" in person.get_data(as_text=True)
    assert not any(value in repr(parameters) for parameters in sent for value in TOO_BIG)
    # The error page still has the person's own header.
    assert "Your account" in drafts.get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ["?from=99999999999999999999999&to=1", "?from=1&to=9223372036854775808"]
)
def test_an_impossible_version_to_compare_is_not_a_server_error(
    cast: Cast, client_as: Callable[[str], FlaskClient], query: str
) -> None:
    from tests.integration.feedback_helpers import published_draft

    draft = published_draft(cast)
    response = client_as("member").get(f"/panels/{cast.panel.id}/drafts/{draft.id}/compare{query}")
    assert response.status_code in (200, 404)


@pytest.mark.parametrize("page", ["99999999999999999999999", "-5", "abc"])
def test_an_impossible_page_number_shows_a_real_page(
    cast: Cast, client_as: Callable[[str], FlaskClient], page: str
) -> None:
    admin = client_as("admin")
    assert admin.get(f"/admin/people?q=a&page={page}").status_code == 200
    assert admin.get(f"/admin/audit?page={page}").status_code == 200
