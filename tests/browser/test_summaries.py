"""Translated summaries in a real browser: a researcher adds an Urdu summary of a draft, and a
member who reads the portal in Urdu sees it above the English, right to left, and sees that it
is out of date once the English changes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.drafts.models import Draft, DraftKind
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from portal.panels.models import Role
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as
from tests.factories import add_to_panel, make_panel, make_user

pytestmark = pytest.mark.browser

URDU = "ہر کلینک میں ساتھیوں کی مدد"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_a_researcher_adds_an_urdu_summary_and_a_member_reads_it_right_to_left(
    page: Page, live_server: LiveServer
) -> None:
    panel = make_panel("Summaries panel")
    researcher = make_user(name="Researcher Rao", email="rao@example.org")
    member = make_user(name="Member Malik", email="malik@example.org")
    add_to_panel(panel, researcher, Role.RESEARCHER)
    add_to_panel(panel, member, Role.MEMBER)
    member.language = "ur"
    draft = create_draft(
        panel.id,
        DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title="Priority actions"),
        researcher.id,
    )
    add_item(draft, ItemDetails(title="Peer support in every clinic"), draft.lock_version)
    publish(draft, researcher.id, draft.lock_version)
    db.session.commit()
    draft_id = draft.id

    sign_in_as(page, live_server, researcher)
    page.goto(live_server.url(f"/panels/{panel.id}/drafts/{draft_id}"))
    assert_accessible(page)
    expect(page.locator("#summary-missing-ur")).to_be_visible()
    page.locator("#translated-summaries").get_by_role("link", name="Add").first.click()
    page.wait_for_url(f"**/drafts/{draft_id}/summaries/ur")
    assert_accessible(page)
    box = page.locator("textarea#text")
    expect(box).to_have_attribute("lang", "ur")
    expect(box).to_have_attribute("dir", "rtl")
    box.fill(URDU)
    page.get_by_role("button", name="Save the summary").click()
    page.wait_for_url(f"**/drafts/{draft_id}#translated-summaries")
    expect(page.locator("#summary-written-ur")).to_be_visible()
    assert_accessible(page)
    _sign_out(page)

    sign_in_as(page, live_server, member)
    page.goto(live_server.url(f"/panels/{panel.id}/drafts/{draft_id}/versions/1"))
    assert_accessible(page)
    card = page.locator("#translated-summary")
    expect(card).to_have_attribute("dir", "rtl")
    expect(card).to_have_attribute("lang", "ur")
    expect(page.locator("#translated-summary-text")).to_have_text(URDU)
    expect(page.locator("#version-of-record")).to_be_visible()
    expect(page.locator("#translated-summary-out-of-date")).to_have_count(0)
    # Written right to left: the summary's text starts at the card's right-hand edge.
    direction = page.locator("#translated-summary-text").evaluate(
        "element => getComputedStyle(element).direction"
    )
    assert direction == "rtl"

    # The English is edited and published again: the summary is marked out of date.
    reload()
    fresh = db.session.get(Draft, draft_id)
    assert fresh is not None
    add_item(fresh, ItemDetails(title="Interpreters on request"), fresh.lock_version)
    publish(fresh, researcher.id, fresh.lock_version)
    db.session.commit()
    page.goto(live_server.url(f"/panels/{panel.id}/drafts/{draft_id}/versions/2"))
    assert_accessible(page)
    expect(page.locator("#translated-summary-out-of-date")).to_be_visible()
    expect(page.locator("#translated-summary-text")).to_have_text(URDU)
