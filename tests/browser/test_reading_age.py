"""A researcher checks the reading age of an item's description in a real browser, without
JavaScript, then saves it anyway: the advice never stops saving."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.drafts.models import DraftItem, DraftKind
from portal.drafts.service import DraftDetails, create_draft
from portal.extensions import db
from portal.panels.models import Role
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as
from tests.factories import add_to_panel, make_panel, make_user

pytestmark = pytest.mark.browser

HARD = (
    "The implementation of comprehensive multidisciplinary interventions necessitates "
    "considerable organisational commitment, particularly regarding the establishment of "
    "sustainable collaborative partnerships between statutory organisations and voluntary "
    "community representatives throughout the region."
)


def test_check_reading_age_then_save_without_javascript(
    no_js_page: Page, live_server: LiveServer
) -> None:
    page = no_js_page
    panel = make_panel("Reading age panel")
    researcher = make_user(name="Study researcher")
    add_to_panel(panel, researcher, Role.RESEARCHER)
    draft = create_draft(
        panel.id,
        DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title="Coventry: priority actions"),
        researcher.id,
    )
    db.session.commit()
    sign_in_as(page, live_server, researcher)

    page.goto(live_server.url(f"/panels/{panel.id}/drafts/{draft.id}/items/new"))
    assert_accessible(page)
    page.get_by_label("Action", exact=True).fill("Partnerships across the region")
    page.get_by_label("Description (optional)").fill(HARD)
    page.get_by_role("button", name="Check reading age").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    advice = page.locator("#description-reading-age")
    expect(advice).to_contain_text("Reading age over 18. The NHS aims for 9 to 11.")
    expect(advice).to_contain_text("Words to reconsider: implementation, comprehensive")
    expect(page.get_by_label("Description (optional)")).to_have_value(HARD)
    expect(page.get_by_label("Action", exact=True)).to_have_value("Partnerships across the region")
    reload()
    assert db.session.scalars(select(DraftItem)).first() is None

    page.get_by_role("button", name="Save item").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    expect(page.get_by_text("Item added.")).to_be_visible()
    reload()
    assert db.session.scalars(select(DraftItem.description)).one() == HARD
