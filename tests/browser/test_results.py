"""A researcher reads a round's results, reminds those who have not answered and downloads the
spreadsheet, in a real browser."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.panels.models import Role
from portal.rounds.models import Resonance, ReviewRound
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as, tab_to
from tests.factories import add_to_panel, make_panel, make_user
from tests.outbox import mail_to
from tests.results_data import answer_round, make_round, results_path

pytestmark = pytest.mark.browser


@dataclass
class Scene:
    review_round: ReviewRound
    researcher: User
    answered: User
    waiting: User

    @property
    def results_path(self) -> str:
        return results_path(self.review_round)


def _round_with_answers() -> Scene:
    panel = make_panel("Study panel")
    researcher = make_user(name="Rita Researcher")
    answered = make_user(name="Amina Member")
    waiting = make_user(name="Bola Member")
    add_to_panel(panel, researcher, Role.RESEARCHER)
    add_to_panel(panel, answered, Role.MEMBER)
    add_to_panel(panel, waiting, Role.MEMBER)
    review_round = make_round(panel, researcher)
    answer_round(
        review_round,
        answered,
        [Resonance.STRONGLY, Resonance.NOT_SURE],
        comments=["Peer workers **helped me** most"],
        missing=[("Support for carers", "Carers are left out")],
    )
    return Scene(review_round, researcher, answered, waiting)


def test_a_researcher_reads_results_reminds_and_downloads_the_spreadsheet(
    page: Page, live_server: LiveServer
) -> None:
    scene = _round_with_answers()
    sign_in_as(page, live_server, scene.researcher)
    path = scene.results_path
    # The review round's page leads to its results.
    page.goto(live_server.url(results_path(scene.review_round, "")))
    assert_accessible(page)
    page.get_by_role("link", name="See the results, remind people and download them").click()
    page.wait_for_url(f"**{path}")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    chart = page.get_by_role("img", name="Bar chart of answers about item 1")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Answers about item 1")
    expect(table.get_by_role("row", name="Yes, strongly 1 100%")).to_be_visible()
    expect(page.get_by_text("helped me")).to_be_visible()
    expect(page.get_by_role("row", name="Bola Member Not started")).to_be_visible()

    # By keyboard: reach the reminder button and press Enter.
    tab_to(page, "Remind those who have not answered")
    page.keyboard.press("Enter")
    page.wait_for_url("**/remind")
    assert_accessible(page)
    expect(page.get_by_text("We will email 1 person")).to_be_visible()
    page.get_by_role("button", name="Send the reminders").click()
    page.wait_for_url(f"**{path}")
    assert_accessible(page)
    expect(page.get_by_text("We have emailed a reminder to 1 person.")).to_be_visible()
    reload()
    assert len(mail_to(scene.waiting.email)) == 1
    assert mail_to(scene.answered.email) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download a spreadsheet (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == f"round-{scene.review_round.id}-results.xlsx"
    path = download.path()
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert "data_dictionary" in book.sheetnames
    rows = list(book["responses"].iter_rows(values_only=True))
    assert rows[1][5] == "strongly" and rows[1][0].startswith("LEAP-")
    assert not any("Amina" in str(value) for row in rows for value in row)


def test_the_results_page_reads_well_on_a_phone(phone_page: Page, live_server: LiveServer) -> None:
    scene = _round_with_answers()
    sign_in_as(phone_page, live_server, scene.researcher)
    phone_page.goto(live_server.url(scene.results_path))
    assert_accessible(phone_page)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width} pixels wide)"
