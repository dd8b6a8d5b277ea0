"""Agreements in a real browser, with the keyboard alone: a required agreement asked at sign-in,
an optional one agreed to and withdrawn from "What I agreed to"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.agreements import service
from portal.agreements.models import AgreementKind
from portal.panels.models import Role
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, browse_in, reload, tab_to
from tests.factories import PASSWORD, add_to_panel, make_panel, make_user
from tests.language import tr

pytestmark = pytest.mark.browser


def _agreement(panel_id: int, title: str, kind: AgreementKind, required: bool) -> None:
    agreement = service.create_agreement(
        panel_id,
        service.AgreementDetails(
            title=title,
            kind=kind,
            required=required,
            summary="In short: what we ask, in **plain** words.",
            body="The full text of the agreement.",
            withdrawal_note="Quotes already in published reports cannot be recalled.",
        ),
    )
    service.publish(agreement)


def test_a_member_answers_agreements_and_withdraws_one_with_the_keyboard(
    page: Page, live_server: LiveServer, language: Language
) -> None:
    panel = make_panel("Agreements panel")
    member = make_user(name="Kofi", email="kofi@example.org")
    add_to_panel(panel, member, Role.MEMBER)
    _agreement(panel.id, "Role agreement", AgreementKind.ROLE, required=True)
    _agreement(panel.id, "Consent to quote what I say", AgreementKind.QUOTE, required=False)
    language.of(member)

    browse_in(page, live_server, member.language)
    page.goto(live_server.url("/sign-in"))
    page.get_by_label(tr("Email address")).fill(member.email)
    page.get_by_label(tr("Password"), exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/agreements/to-answer" in url)
    expect(page.get_by_role("heading", name=tr("Before you go on"))).to_be_visible()
    assert_accessible(page)
    tab_to(page, "Role agreement")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/agreements/1" in url and "next=" in url)
    assert_accessible(page)
    tab_to(page, tr("I agree"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/"))
    expect(
        page.get_by_text(tr("Thank you. You agreed to %(title)s.", title="Role agreement"))
    ).to_be_visible()

    tab_to(page, tr("What I agreed to"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/agreements")
    expect(page.get_by_text(tr("Not answered yet"))).to_be_visible()
    assert_accessible(page)
    tab_to(page, tr("Read and answer"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/agreements/*")
    assert_accessible(page)
    tab_to(page, tr("Save my answer"))
    page.keyboard.press("Enter")  # nothing chosen: the error summary links to the question
    expect(page.get_by_text(tr("Choose whether you agree")).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name=tr("I agree")).focus()
    page.keyboard.press("Space")
    tab_to(page, tr("Save my answer"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/agreements")
    expect(page.get_by_text(tr("You agreed")).first).to_be_visible()

    tab_to(page, tr("Withdraw my agreement"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/withdraw")
    expect(
        page.get_by_text("Quotes already in published reports cannot be recalled.")
    ).to_be_visible()
    assert_accessible(page)
    tab_to(page, tr("Withdraw my agreement"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/agreements")
    expect(
        page.get_by_text(
            tr(
                "You have withdrawn your agreement to %(title)s.",
                title="Consent to quote what I say",
            )
        )
    ).to_be_visible()
    assert_accessible(page)
    reload()
    assert service.quote_consenting(panel.id, [member.id]) == set()
