"""Stepping back, asking for contact and downloading my data in a real browser: with the
keyboard alone, and without JavaScript."""

from __future__ import annotations

import zipfile

import pytest
from flask import current_app
from playwright.sync_api import Page, expect

from portal.panels.models import Role
from portal.rights import data_copy
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as, tab_to
from tests.factories import add_to_panel, make_panel, make_user
from tests.language import tr
from tests.outbox import last_mail_to, link_in

pytestmark = pytest.mark.browser


def test_a_member_pauses_comes_back_and_asks_to_be_contacted_with_the_keyboard(
    page: Page, live_server: LiveServer, language: Language
) -> None:
    panel = make_panel("Care panel")
    member = make_user(name="Grace", email="grace@example.org")
    add_to_panel(panel, member, Role.MEMBER)
    add_to_panel(panel, make_user(name="Chair"), Role.CHAIR)
    language.of(member)

    sign_in_as(page, live_server, member)
    tab_to(page, tr("Pause or step back"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/pause")
    assert_accessible(page)
    page.get_by_role("radio", name=tr("Until I come back")).focus()
    page.keyboard.press("Space")
    tab_to(page, tr("Pause my involvement"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/pause")
    expect(page.get_by_role("heading", name=tr("Your involvement is paused"))).to_be_visible()
    assert_accessible(page)
    tab_to(page, tr("Come back now"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/"))
    expect(
        page.get_by_text(tr("Welcome back. Your involvement is no longer paused."))
    ).to_be_visible()

    tab_to(page, tr("Ask someone to contact me"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/contact-me")
    assert_accessible(page)
    page.get_by_label(tr("Anything you want to tell us (optional)")).focus()
    page.keyboard.type("A text after 6pm, please.")
    page.get_by_role("radio", name=tr("Text message")).focus()
    page.keyboard.press("Space")
    tab_to(page, tr("Send my request"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/contact-me")
    expect(
        page.get_by_text(tr("Thank you. Someone from the panel will contact you."))
    ).to_be_visible()
    expect(page.get_by_text(tr("New"), exact=False).first).to_be_visible()
    assert_accessible(page)


def test_download_my_data_and_step_back_without_javascript(
    no_js_page: Page, live_server: LiveServer, language: Language
) -> None:
    page = no_js_page
    panel = make_panel("No script panel")
    member = make_user(name="Tariq", email="tariq@example.org")
    add_to_panel(panel, member, Role.MEMBER)
    language.of(member)

    sign_in_as(page, live_server, member)
    page.goto(live_server.url("/account/my-data"))
    expect(
        page.get_by_text(
            tr(
                "Answers you gave to anonymous questionnaires are not included. They are stored "
                "with no link to you, so nobody, not even us, can tell which are yours."
            )
        )
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=tr("Ask for a copy of my data")).click()
    expect(
        page.get_by_text(tr("We are making your copy. We will email you a link when it is ready."))
    ).to_be_visible()
    assert_accessible(page)

    reload()
    data_copy.make_waiting_copies(current_app._get_current_object())  # type: ignore[attr-defined]
    link = link_in(last_mail_to(member.email), "/my-data/")
    # The emailed link, opened in the same signed-in browser, downloads the zip once.
    page.goto(live_server.url(link))
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=tr("Download the zip file")).click()
    archive = zipfile.ZipFile(download_info.value.path())
    assert "my-data.html" in archive.namelist()
    page.goto(live_server.url(link))
    expect(page.get_by_role("heading", name=tr("This link no longer works"))).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url(f"/panels/{panel.id}/pause"))
    page.get_by_role("radio", name=tr("Until a date")).check()
    page.get_by_label(tr("The day you want to come back")).fill("not a date")
    page.get_by_role("button", name=tr("Pause my involvement")).click()
    expect(page.get_by_text(tr("Enter a real date, for example 14 3 2027")).first).to_be_visible()
    expect(page.get_by_label(tr("The day you want to come back"))).to_have_value("not a date")
    assert_accessible(page)

    page.goto(live_server.url(f"/panels/{panel.id}/leave"))
    assert_accessible(page)
    page.get_by_role("button", name=tr("Stop being a member")).click()
    page.wait_for_url(live_server.url("/"))
    expect(
        page.get_by_text(tr("You are no longer a member of this panel. Thank you for all you did."))
    ).to_be_visible()
    assert_accessible(page)
