"""A member completes an omission check in a real browser: with the keyboard alone on a phone-sized
screen, and again with JavaScript turned off. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.accounts.models import User
from portal.db import utcnow
from portal.drafts.models import DraftKind, DraftVersion
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from portal.feedback.models import EntryKind, FeedbackEntry
from portal.panels.models import Role
from portal.rounds.models import OmissionCheck, ReviewRound
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as, tab_to
from tests.factories import add_to_panel, make_panel, make_user
from tests.language import tr

pytestmark = pytest.mark.browser


def _round_for(member_name: str) -> tuple[User, str]:
    panel = make_panel("Codesign panel")
    member = make_user(name=member_name)
    researcher = make_user(name="Study researcher")
    add_to_panel(panel, member, Role.MEMBER)
    add_to_panel(panel, researcher, Role.RESEARCHER)
    draft = create_draft(
        panel.id,
        DraftDetails(
            kind=DraftKind.PRIORITY_ACTIONS,
            title="Sheffield: priority actions",
            content_note="Some actions talk about discrimination.",
        ),
        researcher.id,
    )
    for title in ("Peer support workers in every team", "Work with schools on mental health"):
        add_item(draft, ItemDetails(title=title), draft.lock_version)
    version = publish(draft, researcher.id, draft.lock_version)
    db.session.add(
        ReviewRound(
            panel_id=panel.id,
            version_id=version.id,
            instructions="Please tell us what you think.",
            closes_at=utcnow() + timedelta(days=7),
        )
    )
    db.session.commit()
    return member, draft.title


def tab_to_field(page: Page, field_id: str, max_presses: int = 60) -> None:
    """Press Tab until the field with this id has focus, as a keyboard user would."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == field_id:
            return
    raise AssertionError(f"could not reach #{field_id} with the Tab key on {page.url}")


def press_and_wait(page: Page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)
    assert_accessible(page)


def complete_check_by_keyboard(
    page: Page, live_server: LiveServer, name: str, language: Language
) -> None:
    member, title = _round_for(name)
    language.of(member)
    sign_in_as(page, live_server, member)

    tab_to(page, tr("Check: %(title)s", title=title))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Some actions talk about discrimination.")).to_be_visible()
    tab_to(page, tr("Continue"))
    press_and_wait(page)

    # Action 1: "Yes, strongly" is the first choice; Space selects it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer support workers in every team")
    tab_to_field(page, "resonance")
    page.keyboard.press("Space")
    tab_to_field(page, "comment")
    page.keyboard.type("Peer workers helped me most.")
    tab_to(page, tr("Save and continue"))
    press_and_wait(page)

    # Action 2: stop without choosing anything; coming back opens the same action.
    expect(page.get_by_role("heading", level=1)).to_have_text("Work with schools on mental health")
    tab_to(page, tr("Save and come back later"))
    press_and_wait(page)
    expect(
        page.get_by_text(
            tr("Your answers are saved. You can come back and finish before the deadline.")
        )
    ).to_be_visible()
    tab_to(page, tr("Check: %(title)s", title=title))
    press_and_wait(page)
    tab_to(page, tr("Continue where you left off"))
    press_and_wait(page)

    # Action 2 again: arrow keys move the choice within the group.
    expect(page.get_by_role("heading", level=1)).to_have_text("Work with schools on mental health")
    tab_to_field(page, "resonance")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    tab_to(page, tr("Save and continue"))
    press_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Is anything important missing?"))
    tab_to_field(page, "actions-0-description")
    page.keyboard.type("Interpreters at appointments")
    tab_to_field(page, "actions-0-why_it_matters")
    page.keyboard.type("Not everyone speaks English well.")
    tab_to(page, tr("Add another missing action"))
    press_and_wait(page)
    tab_to_field(page, "actions-1-description")
    page.keyboard.type("Longer appointments")
    tab_to(page, tr("Save and continue"))
    press_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Should anything be worded differently?")
    )
    tab_to_field(page, "text")
    page.keyboard.type("Say 'peer worker' not 'PSW'.")
    tab_to(page, tr("Save and continue"))
    press_and_wait(page)

    tab_to_field(page, "text")
    page.keyboard.type("Thank you for asking us.")
    tab_to(page, tr("Save and continue"))
    press_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Check your answers"))
    main = page.locator("main")
    for text in (tr("Yes, strongly"), tr("Yes, partly"), "Interpreters at appointments"):
        expect(main).to_contain_text(text)
    tab_to(page, tr("Send my answers"))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Answers sent"))

    reload()
    check = db.session.scalars(select(OmissionCheck)).one()
    assert check.submitted_at is not None
    kinds = [entry.kind for entry in db.session.scalars(select(FeedbackEntry))]
    assert kinds.count(EntryKind.MISSING_ACTION) == 2
    assert {EntryKind.ITEM_ANSWER, EntryKind.REWORDING, EntryKind.GENERAL} <= set(kinds)


def test_a_member_completes_an_omission_check_by_keyboard_on_a_phone(
    phone_page: Page, live_server: LiveServer, language: Language
) -> None:
    assert phone_page.viewport_size == {"width": 375, "height": 740}
    complete_check_by_keyboard(phone_page, live_server, "Phone member", language)
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, "the page scrolls sideways on a phone"


def test_the_same_check_works_without_javascript(
    no_js_page: Page, live_server: LiveServer, language: Language
) -> None:
    complete_check_by_keyboard(no_js_page, live_server, "No script member", language)


def test_a_researcher_opens_extends_and_closes_a_round(page: Page, live_server: LiveServer) -> None:
    _round_for("Panel member")
    reload()
    review_round = db.session.scalars(select(ReviewRound)).one()
    draft_id = db.session.scalar(
        select(DraftVersion.draft_id).where(DraftVersion.id == review_round.version_id)
    )
    researcher = db.session.scalars(
        select(User).where(User.display_name == "Study researcher")
    ).one()
    sign_in_as(page, live_server, researcher)
    page.goto(live_server.url(f"/panels/{review_round.panel_id}/drafts/{draft_id}"))
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Review rounds")).to_be_visible()

    page.get_by_role("link", name="Open a review round").click()
    assert_accessible(page)
    page.get_by_role("button", name="Open the review round").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter instructions for the panel")
    assert_accessible(page)
    page.get_by_label("Instructions for the panel").fill("A second look, please.")
    next_week = utcnow() + timedelta(days=9)
    page.get_by_label("Day").fill(str(next_week.day))
    page.get_by_label("Month").fill(str(next_week.month))
    page.get_by_label("Year").fill(str(next_week.year))
    page.get_by_label("Time").fill("5pm")
    page.get_by_role("button", name="Open the review round").click()
    expect(page.get_by_text("Review round opened.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change the deadline").click()
    assert_accessible(page)
    page.get_by_label("Day").fill(str((next_week + timedelta(days=2)).day))
    page.get_by_label("Month").fill(str((next_week + timedelta(days=2)).month))
    page.get_by_label("Year").fill(str((next_week + timedelta(days=2)).year))
    page.get_by_role("button", name="Save the new deadline").click()
    expect(page.get_by_text("Deadline changed.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Close the round now").click()
    assert_accessible(page)
    page.get_by_role("button", name="Close the review round").click()
    expect(page.get_by_text("Review round closed.")).to_be_visible()
    assert_accessible(page)
    reload()
    assert len(list(db.session.scalars(select(ReviewRound)))) == 2
