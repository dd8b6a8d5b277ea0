"""The portal's own pages in a real browser: accessible, usable by keyboard, and working
without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.core.service import SupportContactDetails, replace_support_contacts
from portal.extensions import db
from portal.panels.models import Role
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import (
    assert_accessible,
    browse_in,
    focused_text,
    sign_in_as,
    tab_to,
)
from tests.factories import add_to_panel, make_panel, make_user
from tests.language import tr

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {
    "/": "LEAP Portal",
    "/support": "Need support?",
    "/accessibility": "Accessibility statement",
    "/privacy": "Privacy notice",
    "/contact": "Contact us",
    "/sign-in": "Sign in",
}


def test_public_pages_are_accessible(page: Page, live_server: LiveServer) -> None:
    for path, heading in PUBLIC_PAGES.items():
        page.goto(live_server.url(path))
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)


def test_need_support_is_in_the_same_place_on_every_page(
    page: Page, live_server: LiveServer
) -> None:
    positions = set()
    for path in PUBLIC_PAGES:
        page.goto(live_server.url(path))
        assert_accessible(page)
        link = page.get_by_role("navigation", name="Support and account").get_by_role(
            "link", name="Need support?"
        )
        box = link.bounding_box()
        assert box is not None
        positions.add((round(box["x"]), round(box["y"])))
    assert len(positions) == 1, f"the support link moved between pages: {positions}"


def test_support_page_shows_the_contacts_an_administrator_set(
    page: Page, live_server: LiveServer
) -> None:
    replace_support_contacts(
        [SupportContactDetails(name="Local listening line", phone="0800 000 0000")]
    )
    db.session.commit()
    page.goto(live_server.url("/support"))
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Local listening line")).to_be_visible()
    expect(page.get_by_text("0800 000 0000")).to_be_visible()


def test_error_pages_are_friendly_and_accessible(page: Page, live_server: LiveServer) -> None:
    response = page.goto(live_server.url("/no-such-page"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_skip_link_and_header_work_with_the_keyboard_alone(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url("/"))
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert focused_text(page) == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "maincontent"

    tab_to(page, "Need support?")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/support"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Need support?")
    assert_accessible(page)


def test_a_signed_in_member_moves_around_by_keyboard(
    page: Page, live_server: LiveServer, language: Language
) -> None:
    member = make_user(name="Keyboard member")
    add_to_panel(make_panel("Keyboard panel"), member, Role.MEMBER)
    language.of(member)
    sign_in_as(page, live_server, member)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Hello, %(name)s", name="Keyboard member")
    )

    tab_to(page, tr("Drafts"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/drafts")
    expect(page.get_by_role("heading", level=1)).to_contain_text(tr("Drafts"))
    assert_accessible(page)

    tab_to(page, tr("Sign out"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/sign-in"))
    expect(page.get_by_text(tr("You have signed out."))).to_be_visible()
    assert_accessible(page)


def test_signing_in_and_out_works_without_javascript(
    no_js_page: Page, live_server: LiveServer, language: Language
) -> None:
    member = make_user(name="No script member")
    add_to_panel(make_panel(), member, Role.MEMBER)
    language.of(member)
    sign_in_as(no_js_page, live_server, member)
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text(
        tr("Hello, %(name)s", name="No script member")
    )
    no_js_page.get_by_role("button", name=tr("Sign out")).click()
    no_js_page.wait_for_url(live_server.url("/sign-in"))
    expect(no_js_page.get_by_text(tr("You have signed out."))).to_be_visible()
    assert_accessible(no_js_page)


def test_a_wrong_password_shows_an_error_summary_that_links_to_the_field(
    page: Page, live_server: LiveServer, language: Language
) -> None:
    member = make_user()
    language.of(member)
    browse_in(page, live_server, language.code)
    page.goto(live_server.url("/sign-in"))
    assert_accessible(page)
    page.get_by_label(tr("Email address")).fill(member.email)
    page.get_by_label(tr("Password"), exact=True).fill("not the right password at all")
    page.get_by_role("button", name=tr("Sign in"), exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(tr("There is a problem"))
    assert_accessible(page)
    expect(page.get_by_label(tr("Email address"))).to_have_value(member.email)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "password"
