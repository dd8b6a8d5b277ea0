"""Coming back to an omission check: "Continue where you left off" opens the action where the
member pressed "Save and come back later", even if they chose nothing on it, or else the first
unanswered action after the last one they answered."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from portal.drafts.models import VersionItem
from tests.conftest import submit_form
from tests.integration.round_helpers import (
    items_of,
    open_round,
    published_draft,
    resume_link,
    round_url,
)
from tests.roles import Cast

FIVE_ACTIONS = ("Action 1", "Action 2", "Action 3", "Action 4", "Action 5")


def test_a_member_who_stops_on_an_item_without_choosing_resumes_on_that_item(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, version = published_draft(cast, titles=FIVE_ACTIONS)
    review_round = open_round(cast, draft, version)
    items = items_of(version)
    client = client_as("member")
    for item in items[:3]:
        submit_form(
            client,
            round_url(cast, draft, review_round, f"/check/items/{item.id}"),
            {"resonance": "strongly"},
        )
    submit_form(
        client,
        round_url(cast, draft, review_round, f"/check/items/{items[3].id}"),
        {"later": "1"},
    )
    start = client.get(round_url(cast, draft, review_round, "/check")).get_data(as_text=True)
    assert resume_link(start).endswith(f"/check/items/{items[3].id}")


def test_a_member_who_moved_on_resumes_at_the_first_unanswered_item_after_their_last_answer(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, version = published_draft(cast, titles=FIVE_ACTIONS)
    review_round = open_round(cast, draft, version)
    items = items_of(version)
    client = client_as("member")
    start_url = round_url(cast, draft, review_round, "/check")

    def answer(item: VersionItem, fields: dict[str, str]) -> None:
        submit_form(client, round_url(cast, draft, review_round, f"/check/items/{item.id}"), fields)

    for item in items[:3]:
        answer(item, {"resonance": "partly"})
    # Back to the first action to change it: their place is still after the third.
    answer(items[0], {"resonance": "no"})
    assert resume_link(client.get(start_url).get_data(as_text=True)).endswith(
        f"/check/items/{items[3].id}"
    )
    # Moving on from the fourth without choosing anything leaves it for later.
    answer(items[3], {})
    assert resume_link(client.get(start_url).get_data(as_text=True)).endswith(
        f"/check/items/{items[3].id}"
    )
    # A comment alone is an answer too.
    answer(items[3], {"comment": "Only in some places"})
    answer(items[4], {"resonance": "not_sure"})
    assert resume_link(client.get(start_url).get_data(as_text=True)).endswith("/check/missing")
