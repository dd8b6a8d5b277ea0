"""Joining and signing in, in a real browser with the keyboard alone: an invitation, accepting
it, signing in for the first time and signing out; and the same with an emailed sign-in link
read from a real SMTP server."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from portal.accounts.email_links import send_asked_for_links
from portal.accounts.invitations import invite
from portal.accounts.two_step import turn_on
from portal.extensions import db
from portal.notifications.worker import deliver_due
from portal.panels.models import Role
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, browse_in, reload, sign_in_as
from tests.factories import PASSWORD, make_panel, make_user
from tests.language import tr
from tests.mail_server import MailServer
from tests.outbox import BASE_URL, last_mail_to, link_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern pebble orchard"


def tab_to_element(page: Page, selector: str, max_presses: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has keyboard focus."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key on {page.url}")


def tab_to_control(page: Page, text: str, max_presses: int = 80) -> None:
    """Press Tab until a link or button whose own text is ``text`` has keyboard focus.

    Unlike ``tab_to``, the page itself (focused when Tab wraps around) never counts.
    """
    script = """(text) => {
      const el = document.activeElement;
      return !!el && ["A", "BUTTON"].includes(el.tagName) && el.innerText.trim() === text;
    }"""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate(script, text):
            return
    raise AssertionError(f"could not reach {text!r} with the Tab key on {page.url}")


def invite_newcomer(email: str) -> None:
    researcher = make_user(name="Rita Researcher")
    panel = make_panel("Coventry LEAP")
    invite(panel.id, email, Role.MEMBER, researcher.id)
    db.session.commit()


def link_from_smtp(app: Flask, server: MailServer, to: str, path_prefix: str) -> str:
    """Let the worker answer asked-for links and deliver the outbox over SMTP, then find the link
    in the newest message to ``to``."""
    reload()
    send_asked_for_links(app)
    deliver_due(app)
    messages = [mail for mail in server.received if to in mail.rcpt_tos]
    assert messages, f"no mail reached {to}"
    body = messages[-1].message.get_body(preferencelist=("plain",))
    assert body is not None
    match = re.search(re.escape(BASE_URL + path_prefix) + r"\S+", body.get_content())
    assert match, f"no {path_prefix} link in the message"
    return match.group(0)[len(BASE_URL) :]


def sign_out_by_keyboard(page: Page, server: LiveServer) -> None:
    tab_to_control(page, tr("Sign out"))
    page.keyboard.press("Enter")
    page.wait_for_url(server.url("/sign-in"))
    expect(page.get_by_text(tr("You have signed out."))).to_be_visible()
    assert_accessible(page)


def test_invitation_acceptance_first_sign_in_and_sign_out_by_keyboard(
    page: Page, live_server: LiveServer, language: Language
) -> None:
    invite_newcomer("newcomer@example.org")
    browse_in(page, live_server, language.code)  # chosen before, from the footer's menu
    link = link_in(last_mail_to("newcomer@example.org"), "/invitations/")
    page.goto(live_server.url(link))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Join %(panel)s", panel="Coventry LEAP")
    )
    assert_accessible(page)

    # An empty form shows the error summary first.
    tab_to_control(page, tr("Accept and join"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(tr("There is a problem"))
    assert_accessible(page)

    tab_to_element(page, "#display_name")
    page.keyboard.type("Nia")
    tab_to_element(page, "input[name=sign_in_method][value=password]")
    page.keyboard.press("Space")
    tab_to_element(page, "#password")
    page.keyboard.type(NEW_PASSWORD)
    assert_accessible(page)  # with the password field revealed
    tab_to_element(page, "#agree_privacy")
    page.keyboard.press("Space")
    tab_to_control(page, tr("Accept and join"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/"))
    expect(
        page.get_by_text(tr("Welcome. You have joined %(panel)s.", panel="Coventry LEAP"))
    ).to_be_visible()
    assert_accessible(page)
    sign_out_by_keyboard(page, live_server)

    # The first sign-in with the new password.
    tab_to_element(page, "#email")
    page.keyboard.type("newcomer@example.org")
    tab_to_element(page, "#password")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Hello, %(name)s", name="Nia"))
    assert_accessible(page)

    tab_to_control(page, tr("Your account"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/account"))
    expect(page.get_by_text("newcomer@example.org")).to_be_visible()
    assert_accessible(page)
    sign_out_by_keyboard(page, live_server)


def test_joining_and_signing_in_with_an_emailed_link_by_keyboard(
    app: Flask, page: Page, live_server: LiveServer, smtp_server: MailServer, language: Language
) -> None:
    invite_newcomer("linker@example.org")
    browse_in(page, live_server, language.code)
    page.goto(
        live_server.url(link_from_smtp(app, smtp_server, "linker@example.org", "/invitations/"))
    )
    assert_accessible(page)
    tab_to_element(page, "#display_name")
    page.keyboard.type("Lou")
    tab_to_element(page, "input[name=sign_in_method][value=password]")
    page.keyboard.press("ArrowDown")  # moves to, and chooses, "Send me a sign-in link"
    assert page.evaluate("document.activeElement.value") == "email_link"
    tab_to_element(page, "#agree_privacy")
    page.keyboard.press("Space")
    tab_to_control(page, tr("Accept and join"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/"))
    assert_accessible(page)
    sign_out_by_keyboard(page, live_server)

    tab_to_control(page, tr("Email me a link to sign in"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in/email-link**")
    assert_accessible(page)
    tab_to_element(page, "#email")
    page.keyboard.type("linker@example.org")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Check your email"))
    assert_accessible(page)

    link = link_from_smtp(app, smtp_server, "linker@example.org", "/sign-in/link/")
    page.goto(live_server.url(link))
    assert_accessible(page)
    tab_to_element(page, "main form button")  # the page's "Sign in" button, not the header's
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Hello, %(name)s", name="Lou"))
    assert_accessible(page)
    sign_out_by_keyboard(page, live_server)


def test_every_account_page_is_accessible_and_two_step_can_be_set_up(
    page: Page, live_server: LiveServer, language: Language
) -> None:
    person = make_user("pat@example.org", name="Pat")
    language.of(person)
    sign_in_as(page, live_server, person)
    page.goto(live_server.url("/account"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Your account"))
    assert_accessible(page)
    for path in (
        "/account/name",
        "/account/email",
        "/account/password",
        "/account/contact",
        "/account/accessibility",
        "/account/language",
        "/account/devices",
        "/account/two-step-verification",
    ):
        page.goto(live_server.url(path))
        assert_accessible(page)

    # A change by keyboard: the "Change" link for the name, then back on the summary.
    page.goto(live_server.url("/account"))
    assert_accessible(page)
    tab_to_element(page, "a[href='/account/name']")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/account/name"))
    assert_accessible(page)
    page.keyboard.press("Tab")
    tab_to_element(page, "#display_name")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Patricia")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url("/account"))
    expect(page.get_by_text(tr("We will call you %(name)s.", name="Patricia"))).to_be_visible()
    assert_accessible(page)

    # Two-step verification: the QR code page, then the recovery codes.
    page.goto(live_server.url("/account/two-step-verification/set-up"))
    expect(
        page.get_by_role("img", name=tr("QR code to scan with your authenticator app"))
    ).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    page.get_by_label(tr("Enter the 6-digit code your app shows")).fill(pyotp.TOTP(secret).now())
    page.get_by_label(tr("Your current password")).fill(PASSWORD)
    page.get_by_role("button", name=tr("Turn on two-step verification")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Your recovery codes"))
    assert_accessible(page)
    expect(
        page.get_by_role("list", name=tr("Recovery codes")).get_by_role("listitem")
    ).to_have_count(10)


def test_the_second_step_of_signing_in_works_without_javascript(
    no_js_page: Page, live_server: LiveServer, language: Language
) -> None:
    person = make_user("quinn@example.org", name="Quinn")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    turn_on(person, secret)
    language.of(person)
    browse_in(no_js_page, live_server, language.code)
    no_js_page.goto(live_server.url("/sign-in"))
    assert_accessible(no_js_page)
    no_js_page.get_by_label(tr("Email address")).fill(person.email)
    no_js_page.get_by_label(tr("Password"), exact=True).fill(PASSWORD)
    no_js_page.get_by_role("button", name=tr("Sign in"), exact=True).click()
    no_js_page.wait_for_url("**/sign-in/two-step")
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text(tr("Enter your security code"))
    assert_accessible(no_js_page)
    no_js_page.get_by_label(tr("Security code")).fill("000000")
    no_js_page.get_by_role("button", name=tr("Continue")).click()
    expect(no_js_page.get_by_role("alert")).to_contain_text(
        tr("That code is not right. Enter the code your app shows now, or a recovery code")
    )
    assert_accessible(no_js_page)
    no_js_page.get_by_label(tr("Security code")).fill(pyotp.TOTP(secret).now())
    no_js_page.get_by_role("button", name=tr("Continue")).click()
    no_js_page.wait_for_url(live_server.url("/"))
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text(
        tr("Hello, %(name)s", name="Quinn")
    )
    assert_accessible(no_js_page)
