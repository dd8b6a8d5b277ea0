"""Every endpoint has an access rule, and an endpoint without one is refused."""

from __future__ import annotations

from flask import Flask

from portal.access import ENDPOINT_RULES
from portal.extensions import db


def test_every_endpoint_has_an_access_rule(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - ENDPOINT_RULES.keys())
    assert missing == [], f"endpoints with no access rule: {missing}"


def test_no_rule_is_left_for_an_endpoint_that_is_gone(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(ENDPOINT_RULES.keys() - endpoints) == []


def test_an_endpoint_without_a_rule_is_refused(database: str) -> None:
    from tests.conftest import make_app

    app = make_app(database)

    @app.get("/forgotten")
    def forgotten() -> str:
        return "should never be shown"

    response = app.test_client().get("/forgotten")
    with app.app_context():
        db.engine.dispose()
    assert response.status_code == 403
    assert "should never be shown" not in response.get_data(as_text=True)
