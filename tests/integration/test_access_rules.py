"""Every endpoint has an access rule, and an endpoint without one is refused."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.access import Action, Rule, endpoint_rules, panel_page
from portal.extensions import db


def test_every_endpoint_has_an_access_rule(app: Flask) -> None:
    # Every URL the portal answers, including Flask's static files and the NHS.UK assets.
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    rules = endpoint_rules(app)
    missing = sorted(endpoint for endpoint in endpoints if rules.get(endpoint) is None)
    assert missing == [], f"endpoints with no access rule: {missing}"
    assert {"static", "nhsuk_assets"} <= endpoints


def test_every_panel_page_names_the_action_it_needs(app: Flask) -> None:
    rules = endpoint_rules(app)
    panel_pages = {e: r for e, r in rules.items() if r is not None and r.rule is Rule.PANEL}
    assert panel_pages
    assert sorted(e for e, r in panel_pages.items() if not isinstance(r.action, Action)) == []


def test_a_misspelt_action_fails_before_any_page_is_served() -> None:
    with pytest.raises(ValueError):
        Action("draft.edt")
    with pytest.raises(TypeError):
        panel_page("draft.edit")  # type: ignore[arg-type]


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
