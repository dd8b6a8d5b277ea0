"""Administration in a real browser, keyboard first: a panel, a site, an invitation, a role
change and the audit log, every page checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from portal.extensions import db
from portal.panels.models import Panel, Role
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as
from tests.factories import add_to_panel, make_panel, make_user
from tests.outbox import last_mail_to

pytestmark = pytest.mark.browser


def tab_to_control(page: Page, text: str, max_presses: int = 120) -> None:
    """Press Tab until a link or button whose own text starts with ``text`` has focus (the whole
    page never counts, even when focus passes through it on its way round)."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """(text) => {
              const el = document.activeElement;
              if (!el || !["A", "BUTTON"].includes(el.tagName)) return false;
              return el.innerText.trim().startsWith(text);
            }""",
            text,
        )
        if found:
            return
    raise AssertionError(f"could not reach {text!r} with the Tab key on {page.url}")


def follow(page: Page, text: str, url_glob: str | re.Pattern[str]) -> None:
    """Move to a link or button with the Tab key and press Enter, then check the new page."""
    tab_to_control(page, text)
    page.keyboard.press("Enter")
    page.wait_for_url(url_glob)
    assert_accessible(page)


def test_an_administrator_sets_up_a_panel_by_keyboard(page: Page, live_server: LiveServer) -> None:
    admin = make_user(name="Keyboard administrator", is_admin=True)
    member = make_user(name="Priya Member")
    existing = make_panel("Existing panel")
    add_to_panel(existing, member, Role.MEMBER)
    sign_in_as(page, live_server, admin)

    follow(page, "Administration", "**/admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")

    # A new panel.
    follow(page, "Panels", "**/admin/panels")
    follow(page, "Add a panel", "**/admin/panels/new")
    page.get_by_label("Panel name").focus()
    page.keyboard.type("Greater Manchester LEAP")
    page.keyboard.press("Tab")
    page.keyboard.type("Advises the study team in Manchester.")
    tab_to_control(page, "Add panel")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/panels/\d+$"))
    assert_accessible(page)
    expect(page.get_by_text("Panel created.")).to_be_visible()
    reload()
    panel = db.session.scalars(select(Panel).where(Panel.name == "Greater Manchester LEAP")).one()

    # A site.
    follow(page, "Add a site", f"**/admin/panels/{panel.id}/sites/new")
    page.get_by_label("Site name").focus()
    page.keyboard.type("Salford")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/panels/{panel.id}#sites")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Sites")).to_be_visible()
    expect(page.get_by_text("Site added.")).to_be_visible()
    expect(page.get_by_role("link", name="Rename Salford")).to_be_visible()

    # An invitation for a researcher.
    follow(page, "Invite someone", f"**/admin/panels/{panel.id}/invitations/new")
    page.get_by_label("Email address").focus()
    page.keyboard.type("dr.osei@example.org")
    page.get_by_label("Researcher").focus()
    page.keyboard.press("Space")
    tab_to_control(page, "Send invitation")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/panels/{panel.id}/invitations")
    assert_accessible(page)
    expect(page.get_by_text("Invitation sent to dr.osei@example.org.")).to_be_visible()
    expect(page.get_by_role("cell", name="dr.osei@example.org", exact=True)).to_be_visible()
    reload()
    assert "Greater Manchester LEAP" in last_mail_to("dr.osei@example.org").subject

    # A role change for someone in another panel, found by searching.
    follow(page, "Administration", "**/admin")
    follow(page, "People", "**/admin/people")
    page.get_by_label("Name or email address").focus()
    page.keyboard.type("priya")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/people?q=priya")
    assert_accessible(page)
    expect(page.get_by_text("1 person found")).to_be_visible()
    follow(page, "Priya Member", f"**/admin/people/{member.id}")
    follow(page, "Change role", f"**/admin/people/{member.id}/memberships/*/role")
    page.get_by_label("Chair").focus()
    page.keyboard.press("Space")
    tab_to_control(page, "Save role")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/people/{member.id}")
    assert_accessible(page)
    expect(
        page.get_by_text("Priya Member's role in Existing panel has been changed.")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Chair", exact=True)).to_be_visible()

    # The audit log shows each step, and filters by what happened.
    follow(page, "Administration", "**/admin")
    follow(page, "Audit log", "**/admin/audit")
    table = page.get_by_role("table")
    for action in ("Panel created", "Site added", "Invitation sent", "Role changed"):
        expect(table.get_by_text(action, exact=True)).to_be_visible()
    page.get_by_label("What happened").select_option(label="Role changed")
    tab_to_control(page, "Show events")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/audit?*action=role_changed*")
    assert_accessible(page)
    expect(page.get_by_text("1 event", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="role: member to chair", exact=True)).to_be_visible()


def test_the_panel_edit_conflict_page_keeps_the_typed_text_without_javascript(
    no_js_page: Page, live_server: LiveServer
) -> None:
    admin = make_user(name="No script administrator", is_admin=True)
    panel_id = make_panel("Sheffield LEAP").id
    sign_in_as(no_js_page, live_server, admin)
    no_js_page.goto(live_server.url(f"/admin/panels/{panel_id}/edit"))
    assert_accessible(no_js_page)
    # Someone else saves while this page is open.
    reload()
    db.session.execute(
        update(Panel)
        .where(Panel.id == panel_id)
        .values(name="Sheffield LEAP (renamed)", lock_version=Panel.lock_version + 1)
    )
    db.session.commit()
    no_js_page.get_by_label("What the panel is for (optional)").fill("My own description")
    no_js_page.get_by_role("button", name="Save changes").click()
    expect(no_js_page.get_by_role("heading", level=1)).to_contain_text("Someone else saved")
    assert_accessible(no_js_page)
    expect(no_js_page.get_by_label("What the panel is for (optional)")).to_have_value(
        "My own description"
    )
    expect(no_js_page.get_by_text("Sheffield LEAP (renamed)")).to_be_visible()
    no_js_page.get_by_role("button", name="Save my version").click()
    no_js_page.wait_for_url(f"**/admin/panels/{panel_id}")
    assert_accessible(no_js_page)
    expect(no_js_page.get_by_text("My own description")).to_be_visible()


def test_a_chair_sees_the_members_and_invites_a_member_on_a_phone(
    phone_page: Page, live_server: LiveServer
) -> None:
    panel = make_panel("Coventry LEAP")
    chair = make_user(name="Chair Person")
    add_to_panel(panel, chair, Role.CHAIR)
    add_to_panel(panel, make_user(name="Kwame Member"), Role.MEMBER)
    sign_in_as(phone_page, live_server, chair)
    phone_page.goto(live_server.url(f"/panels/{panel.id}/members"))
    assert_accessible(phone_page)
    expect(phone_page.get_by_role("cell", name="Kwame Member")).to_be_visible()
    expect(phone_page.get_by_role("cell", name="LEAP-02")).to_be_visible()
    follow(phone_page, "Invite someone", f"**/panels/{panel.id}/members/invite")
    # A chair invites members only, so there is no role to choose.
    expect(phone_page.get_by_label("Member")).to_be_checked()
    expect(phone_page.get_by_label("Researcher")).to_have_count(0)
    phone_page.get_by_label("Email address").focus()
    phone_page.keyboard.type("not an email")
    tab_to_control(phone_page, "Send invitation")
    phone_page.keyboard.press("Enter")
    expect(phone_page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(phone_page)
    phone_page.get_by_label("Email address").fill("new.member@example.org")
    phone_page.get_by_role("button", name="Send invitation").click()
    phone_page.wait_for_url(f"**/panels/{panel.id}/members")
    assert_accessible(phone_page)
    expect(phone_page.get_by_text("Invitation sent to new.member@example.org.")).to_be_visible()
