"""How we contact you and the unsubscribe page in a real browser, with and without JavaScript,
checked with axe and the HTML checker on every page: a member chooses a weekly email and texts,
mistypes their number and keeps what they typed; someone opens an unsubscribe link from an
email, stops one kind of email and undoes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.kinds import Delivery, Kind
from portal.notifications.preferences import route_for
from portal.notifications.unsubscribe import unsubscribe_token
from portal.panels.models import Role
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, browse_in, reload, sign_in_as
from tests.factories import add_to_panel, make_panel, make_user
from tests.language import tr

pytestmark = pytest.mark.browser


def _member() -> User:
    panel = make_panel("Coventry LEAP")
    person = make_user("sam@example.org", name="Sam")
    add_to_panel(panel, person)
    return person


def _delivery(person: User, kind: Kind) -> Delivery:
    reload()
    return route_for(db.session.get_one(User, person.id), kind, None).delivery


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_a_member_chooses_how_messages_reach_them(
    page: Page, no_js_page: Page, live_server: LiveServer, javascript: bool, language: Language
) -> None:
    browser_page = page if javascript else no_js_page
    person = _member()
    language.of(person)
    sign_in_as(browser_page, live_server, person)
    browser_page.goto(live_server.url("/account"))
    browser_page.get_by_role("link", name=f"{tr('Change')} {tr('how we contact you')}").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(tr("How we contact you"))
    assert_accessible(browser_page)
    expect(
        browser_page.get_by_text(
            tr(
                "These always come by email straight away. You cannot turn them off, because "
                "they are about your account and how you sign in:"
            )
        )
    ).to_be_visible()

    minutes = browser_page.get_by_role("group", name=tr("Minutes to read"))
    minutes.get_by_label(tr("In one email a week")).check()
    browser_page.get_by_label(tr("Also send me a text message")).first.check()
    browser_page.get_by_label(tr("UK mobile number for text messages")).fill("0121 496 0000")
    browser_page.get_by_role("button", name=tr("Save")).click()

    expect(browser_page.get_by_role("alert")).to_contain_text(
        tr("Enter a UK mobile number, like 07700 900982 or +44 7700 900982")
    )
    expect(browser_page.get_by_label(tr("UK mobile number for text messages"))).to_have_value(
        "0121 496 0000"
    )
    expect(minutes.get_by_label(tr("In one email a week"))).to_be_checked()
    assert_accessible(browser_page)
    browser_page.get_by_role(
        "link", name=tr("Enter a UK mobile number, like 07700 900982 or +44 7700 900982")
    ).click()
    expect(browser_page.get_by_label(tr("UK mobile number for text messages"))).to_be_focused()

    browser_page.get_by_label(tr("UK mobile number for text messages")).fill("07700 900982")
    browser_page.get_by_role("button", name=tr("Save")).click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(tr("Your account"))
    expect(
        browser_page.get_by_text(tr("texts to %(number)s", number="+447700900982"))
    ).to_be_visible()
    assert_accessible(browser_page)
    assert _delivery(person, Kind.MINUTES) is Delivery.WEEKLY


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_an_unsubscribe_link_shows_a_choice_stops_one_kind_and_can_be_undone(
    page: Page, no_js_page: Page, live_server: LiveServer, javascript: bool, language: Language
) -> None:
    browser_page = page if javascript else no_js_page
    person = _member()
    browse_in(browser_page, live_server, language.code)  # a browser that chose it before
    browser_page.goto(live_server.url(f"/unsubscribe/{unsubscribe_token(person.id, Kind.MINUTES)}"))
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(tr("Stop emails about this?"))
    assert_accessible(browser_page)
    assert _delivery(person, Kind.MINUTES) is Delivery.NOW  # opening it changed nothing

    browser_page.get_by_role("button", name=tr("Stop these emails")).click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(
        tr("You will not get these emails any more")
    )
    assert_accessible(browser_page)
    assert _delivery(person, Kind.MINUTES) is Delivery.OFF

    browser_page.get_by_role("button", name=tr("Undo")).click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(
        tr("Your emails are back as they were")
    )
    assert_accessible(browser_page)
    assert _delivery(person, Kind.MINUTES) is Delivery.NOW


def test_a_broken_unsubscribe_link_gets_a_plain_page(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url("/unsubscribe/WzEsIm1pbnV0ZXMiXQ.broken"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(page)


def test_the_team_s_pages_about_messages_are_accessible(
    page: Page, live_server: LiveServer
) -> None:
    panel = make_panel("Sheffield LEAP")
    chair, researcher = make_user(name="Chris Chair"), make_user(name="Rita Researcher")
    member = make_user(name="Pat Phone")
    member.contact_preference = "phone"
    member.phone = "0114 496 0000"
    add_to_panel(panel, chair, Role.CHAIR)
    add_to_panel(panel, researcher, Role.RESEARCHER)
    add_to_panel(panel, member)
    sign_in_as(page, live_server, researcher)
    page.goto(live_server.url(f"/panels/{panel.id}/members"))
    expect(page.get_by_role("columnheader", name="Do our messages reach them?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="How messages reach the panel: defaults").click()
    minutes = page.get_by_role("group", name="Minutes to read")
    minutes.get_by_label("In one email a day").check()
    page.get_by_role("button", name="Save the defaults").click()
    expect(
        page.get_by_role("group", name="Minutes to read").get_by_label("In one email a day")
    ).to_be_checked()
    assert_accessible(page)
    page.goto(live_server.url(f"/panels/{panel.id}/calls-to-make"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Calls to make")
    assert_accessible(page)
