"""Rates and paying settings: the study team enters rates from the guidance with their source
and date; a change is kept beside the old rate; bad figures keep what was typed."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.involvement.models import PanelPaySettings, Rate
from tests.conftest import submit_form
from tests.integration.involvement_helpers import post_from
from tests.roles import Cast

RATE = {
    "kind": "meeting",
    "rule": "per_hour",
    "amount": "£25",
    "extra": "5",
    "extra_label": "Phone data or Wi-Fi",
    "usual_hours": "1.5",
    "source": "NIHR payment guidance for public contributors",
    "source_date": "1 4 2026",
    "effective_from": "1 4 2026",
}


def test_the_team_sets_a_rate_and_changes_it_from_a_date(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("researcher")
    page = f"/panels/{cast.panel.id}/payments/rates"
    action = f"{page}/new"
    for typed, message in (
        ("-25", "The amount cannot be less than £0"),
        ("25000", "The amount must be £5,000 or less"),
    ):
        refused = post_from(client, page, action, {**RATE, "amount": typed})
        html = refused.get_data(as_text=True)
        assert message in html and f'value="{typed}"' in html
        assert 'value="NIHR payment guidance for public contributors"' in html
    assert post_from(client, page, action, RATE).status_code == 302
    later = {**RATE, "amount": "27.50", "effective_from": "1 1 2030", "source_date": "1 4 2026"}
    assert post_from(client, page, action, later).status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "£25.00 per hour" in shown and "£27.50 per hour" in shown
    assert "NIHR payment guidance for public contributors" in shown and "1 April 2026" in shown
    amounts = sorted(db.session.scalars(select(Rate.amount_pence)))
    assert amounts == [2500, 2750]
    assert client_as("chair").get(page).status_code == 403


def test_the_team_sets_the_paying_promise(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    url = f"/panels/{cast.panel.id}/payments/settings"
    client = client_as("researcher")
    refused = submit_form(client, url, {"pay_within_weeks": "0", "other_way": "Cheque"})
    assert "Enter a number of weeks from 1 to 52" in refused.get_data(as_text=True)
    assert (
        submit_form(client, url, {"pay_within_weeks": "2", "other_way": "Cheque"}).status_code
        == 302
    )
    settings = db.session.get(PanelPaySettings, cast.panel.id)
    assert settings is not None and (settings.pay_within_weeks, settings.other_way) == (2, "Cheque")
    choices = client_as("member").get(f"/panels/{cast.panel.id}/involvement/choices")
    assert "Cheque" in choices.get_data(as_text=True)
