"""Each item's answer counts in a round are kept as answers are sent, changed and removed: the
results page reads them, so they must always equal the answers counted afresh."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from portal.extensions import db
from portal.panels.models import Role
from portal.rights.models import ResearchAction
from portal.rights.retention import end_research_record
from portal.rounds import counts
from portal.rounds.models import ItemAnswer, Resonance, ReviewRound
from tests.conftest import submit_form
from tests.factories import add_to_panel, make_user
from tests.integration.round_helpers import items_of, open_round, published_draft, round_url
from tests.results_data import answer_round, make_round, results_path
from tests.roles import Cast

S, N = Resonance.STRONGLY, Resonance.NO


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_kept_counts_are_true(review_round: ReviewRound) -> dict[int, dict[str, int]]:
    db.session.expire_all()
    kept = counts.kept(review_round.id)
    assert kept == counts.counted_now(review_round.id)
    return kept


def test_the_results_follow_answers_sent_changed_after_sending_and_erased(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, version = published_draft(cast)
    review_round = open_round(cast, draft, version)
    first, second = items_of(version)
    results = round_url(cast, draft, review_round, "/results")
    researcher = client_as("researcher")

    def answer(role: str, item_id: int, fields: dict[str, str], change: bool = False) -> None:
        rest = f"/check/items/{item_id}" + ("?change=1" if change else "")
        submit_form(client_as(role), round_url(cast, draft, review_round, rest), fields)

    def send(role: str) -> None:
        submit_form(client_as(role), round_url(cast, draft, review_round, "/check/answers"), {})

    answer("member", first.id, {"resonance": "strongly", "comment": "So true"})
    answer("member", second.id, {"resonance": "no", "comment": "  "})
    # Saved but not sent: nothing counts yet.
    assert assert_kept_counts_are_true(review_round) == {}
    assert "Yes, strongly 0 0%" in text_of(researcher.get(results).get_data(as_text=True))

    send("member")
    kept = assert_kept_counts_are_true(review_round)
    assert kept[first.id] == {**dict.fromkeys(counts.NUMBERS, 0), "strongly": 1, "comments": 1}
    assert kept[second.id]["no_match"] == 1 and kept[second.id]["comments"] == 0
    page = text_of(researcher.get(results).get_data(as_text=True))
    assert "Yes, strongly 1 100%" in page and "So true" in page

    answer("chair", first.id, {"resonance": "strongly", "comment": "Me too"})
    send("chair")
    send("chair")  # sending again counts nothing twice
    assert assert_kept_counts_are_true(review_round)[first.id]["strongly"] == 2

    # Changed after sending: the old answer and comment leave the counts, the new ones join.
    answer("member", first.id, {"resonance": "no", "comment": ""}, change=True)
    answer("member", second.id, {"resonance": "", "comment": "Schools matter"}, change=True)
    kept = assert_kept_counts_are_true(review_round)
    assert (kept[first.id]["strongly"], kept[first.id]["no_match"]) == (1, 1)
    assert kept[first.id]["comments"] == 1 and kept[second.id]["comments"] == 1
    page = text_of(researcher.get(results).get_data(as_text=True))
    assert "Yes, strongly 1 50%" in page and "So true" not in page and "Schools matter" in page

    # The chair is erased with their words: what they said leaves the results.
    submit_form(
        client_as("admin"), f"/admin/people/{cast.people['chair'].id}/erase", {"words": "delete"}
    )
    kept = assert_kept_counts_are_true(review_round)
    assert kept[first.id]["strongly"] == 0 and kept[first.id]["no_match"] == 1
    page = text_of(researcher.get(results).get_data(as_text=True))
    assert "No 1 100%" in page and "Me too" not in page

    # The end of the research record, words deleted: nothing is left to count.
    end_research_record(cast.panel.id, ResearchAction.DELETE)
    db.session.commit()
    assert assert_kept_counts_are_true(review_round) == {}


def test_comments_on_items_come_twenty_a_page_in_item_order_across_items(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    # 8 comments on the first item, none on the second, 25 on the third: the first page ends
    # part way through the third item's, and the second starts where it ended.
    review_round = make_round(cast.panel, cast.people["researcher"], titles=("One", "Two", "Three"))
    for number in range(25):
        person = make_user(name=f"Member {number}")
        add_to_panel(cast.panel, person, Role.MEMBER)
        said = [f"Item one from {number:02d}" if number < 8 else "", "", f"Item three {number:02d}"]
        answer_round(review_round, person, [S, N, S], comments=said)
    expected = [f"Item one from {n:02d}" for n in range(8)] + [
        f"Item three {n:02d}" for n in range(25)
    ]
    researcher = client_as("researcher")

    def comments_on(page: str) -> list[str]:
        html = researcher.get(results_path(review_round, "/results") + page).get_data(True)
        return re.findall(r"Item (?:one from|three) \d\d", html)

    first, second = comments_on(""), comments_on("?said=2")
    assert first == expected[:20] and second == expected[20:]
    assert "Showing 21 to 33 of 33" in text_of(
        researcher.get(results_path(review_round, "/results") + "?said=2").get_data(True)
    )
    assert comments_on("?said=9") == expected[20:]  # past the end: the last page
    assert_kept_counts_are_true(review_round)


def test_an_operator_can_count_every_round_again_after_changing_answers_by_hand(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    answer_round(review_round, cast.people["member"], [S, S], comments=["Yes", ""])
    # An answer changed straight in the database, as after restoring part of a backup.
    db.session.execute(update(ItemAnswer).values(resonance=Resonance.NO))
    db.session.commit()
    assert counts.kept(review_round.id) != counts.counted_now(review_round.id)

    output = app.test_cli_runner().invoke(args=["portal", "recount-rounds"]).output
    assert "1 rounds checked; counts made again for 1." in output
    assert_kept_counts_are_true(review_round)
    page = text_of(client_as("researcher").get(results_path(review_round)).get_data(True))
    assert "No 1 100%" in page
    again = app.test_cli_runner().invoke(args=["portal", "recount-rounds"]).output
    assert "counts made again for 0." in again
