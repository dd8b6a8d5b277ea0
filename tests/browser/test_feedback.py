"""Comments and answers in a real browser, by keyboard: a member comments on a phone and reads
the study team's answer on My feedback; a researcher triages and answers a comment."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.accounts.models import User
from portal.drafts.models import Draft, DraftKind, DraftVersion
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from portal.feedback.comments import CommentDetails, add_comment
from portal.feedback.models import FeedbackEntry, TriageStatus, Visibility
from portal.feedback.triage import TriageDecision, triage_entry
from portal.panels.models import Role
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as, tab_to
from tests.factories import add_to_panel, make_panel, make_user
from tests.language import ntr, tr
from tests.outbox import last_mail_to

pytestmark = pytest.mark.browser


def _draft_for_comments() -> tuple[User, User, Draft, DraftVersion]:
    """A member and a researcher of a panel, and a published draft with one item."""
    panel = make_panel("Browser panel")
    member = make_user(name="Amina", email="amina@example.org")
    researcher = make_user(name="Dr Rivers")
    add_to_panel(panel, member, Role.MEMBER)
    add_to_panel(panel, researcher, Role.RESEARCHER)
    draft = create_draft(
        panel.id,
        DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title="Sheffield priority actions"),
        researcher.id,
    )
    add_item(draft, ItemDetails(title="Peer support in every ward"), draft.lock_version)
    version = publish(draft, researcher.id, draft.lock_version)
    db.session.commit()
    return member, researcher, draft, version


def test_a_member_comments_on_a_phone_and_reads_the_answer(
    phone_page: Page, live_server: LiveServer, language: Language
) -> None:
    member, researcher, _draft, _version = _draft_for_comments()
    language.of(member)

    # The member, on a phone, with the keyboard.
    sign_in_as(phone_page, live_server, member)
    tab_to(phone_page, tr("Drafts"))
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**/drafts")
    assert_accessible(phone_page)
    tab_to(phone_page, "Sheffield priority actions")
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**/versions/1")
    expect(phone_page.get_by_text(tr("There are no comments yet."))).to_be_visible()
    assert_accessible(phone_page)
    tab_to(phone_page, tr("Add a comment"))
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**/comments/new")
    assert_accessible(phone_page)

    about = phone_page.get_by_label(tr("What is your comment about?"))
    about.select_option(label=tr("Item: %(title)s", title="Peer support in every ward"))
    phone_page.get_by_label(tr("Your comment"), exact=True).focus()
    phone_page.keyboard.type("Peer workers need **proper pay**.")
    phone_page.get_by_role("radio", name=tr("The whole panel")).focus()
    phone_page.keyboard.press("Space")
    expect(phone_page.get_by_role("radio", name=tr("The whole panel"))).to_be_checked()
    tab_to(phone_page, tr("Send comment"))
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**/versions/1#comments")
    sent = tr("Your comment has been sent to the study team and the panel.")
    expect(phone_page.get_by_text(sent)).to_be_visible()
    expect(phone_page.locator(".portal-comment strong", has_text="proper pay")).to_be_visible()
    assert_accessible(phone_page)

    # The study team answers (their side is the test below).
    reload()
    entry = db.session.scalars(select(FeedbackEntry)).one()
    decision = TriageDecision(
        status=TriageStatus.ACTIONED,
        assignee_id=researcher.id,
        response="We have asked every ward to pay peer workers.",
    )
    triage_entry(entry, decision, entry.lock_version, researcher.id)
    db.session.commit()

    # The member sees the answer.
    phone_page.goto(live_server.url("/"))
    expect(
        phone_page.get_by_text(
            ntr(
                "%(num)d new answer from the study team",
                "%(num)d new answers from the study team",
                1,
            )
        )
    ).to_be_visible()
    assert_accessible(phone_page)
    tab_to(phone_page, tr("About %(title)s", title="Sheffield priority actions"))
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**/my-feedback*")
    expect(phone_page.get_by_text("We have asked every ward to pay peer workers.")).to_be_visible()
    expect(phone_page.get_by_text(tr("Acted on"))).to_be_visible()
    assert_accessible(phone_page)
    tab_to(phone_page, tr("Mark new answers as read"))
    phone_page.keyboard.press("Enter")
    expect(phone_page.get_by_text(tr("Answers marked as read."))).to_be_visible()
    assert_accessible(phone_page)


def test_a_researcher_answers_a_comment_by_keyboard_and_keeps_their_words_in_a_conflict(
    page: Page, live_server: LiveServer
) -> None:
    member, researcher, draft, version = _draft_for_comments()
    add_comment(
        draft,
        version,
        member.id,
        CommentDetails(body="Peer workers need **proper pay**.", visibility=Visibility.PANEL),
    )
    db.session.commit()

    # The researcher, on a desktop, with the keyboard.
    sign_in_as(page, live_server, researcher)
    tab_to(page, "Inbox")
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox")
    expect(page.get_by_text("From Amina (LEAP-01)")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "Entry")
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox/*")
    assert_accessible(page)
    page.get_by_role("radio", name="Not actioned").focus()
    page.keyboard.press("Space")
    tab_to(page, "Save")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter why it was not actioned")
    assert_accessible(page)
    summary.get_by_role("link", name="Enter why it was not actioned").click()
    assert page.evaluate("document.activeElement.id") == "reason"
    page.get_by_role("radio", name="Actioned", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("Your response to the member").focus()
    page.keyboard.type("We have asked every ward to pay peer workers.")
    # A colleague saves the same entry first: the conflict page keeps this researcher's words.
    reload()
    entry = db.session.scalars(select(FeedbackEntry)).one()
    entry.assignee_id = researcher.id
    entry.lock_version += 1
    db.session.commit()
    tab_to(page, "Save")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Someone else saved this entry")
    assert_accessible(page)
    expect(page.get_by_label("Your response to the member")).to_have_value(
        "We have asked every ward to pay peer workers."
    )
    tab_to(page, "Save my version")
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox")
    expect(page.get_by_text("saved.")).to_be_visible()
    assert_accessible(page)
    reload()
    assert "We have asked every ward" in last_mail_to("amina@example.org").text_body


def test_commenting_works_without_javascript(
    no_js_page: Page, live_server: LiveServer, language: Language
) -> None:
    panel = make_panel("No script panel")
    member = make_user(name="Kofi")
    researcher = make_user(name="Dr Shah")
    add_to_panel(panel, member, Role.MEMBER)
    add_to_panel(panel, researcher, Role.RESEARCHER)
    draft = create_draft(
        panel.id, DraftDetails(kind=DraftKind.OTHER, title="Summary of results"), researcher.id
    )
    add_item(draft, ItemDetails(title="Reaching out to communities"), draft.lock_version)
    publish(draft, researcher.id, draft.lock_version)
    language.of(member)

    sign_in_as(no_js_page, live_server, member)
    no_js_page.goto(live_server.url(f"/panels/{panel.id}/drafts/{draft.id}/versions/1"))
    assert_accessible(no_js_page)
    no_js_page.get_by_role("button", name=tr("Add a comment")).click()
    expect(
        no_js_page.get_by_text(tr("You can enter up to %(count)s characters", count="2000"))
    ).to_be_visible()
    assert_accessible(no_js_page)
    no_js_page.get_by_label(tr("Your comment"), exact=True).fill("x" * 2010)
    no_js_page.get_by_role("button", name=tr("Send comment")).click()
    too_long = tr(
        "Your text must be %(limit)s characters or fewer. You have %(extra)s characters too many.",
        limit="2,000",
        extra="10",
    )
    expect(no_js_page.get_by_role("alert")).to_contain_text(too_long)
    assert_accessible(no_js_page)
    expect(no_js_page.get_by_label(tr("Your comment"), exact=True)).to_have_value("x" * 2010)
    no_js_page.get_by_label(tr("Your comment"), exact=True).fill("Faith groups should be asked.")
    no_js_page.get_by_role("button", name=tr("Send comment")).click()
    expect(no_js_page.get_by_text("Faith groups should be asked.")).to_be_visible()
    assert_accessible(no_js_page)

    # The link reads "Change" with "your comment" for screen readers, composed so in each language.
    change = f"{tr('Change')} {tr('your comment')}"
    no_js_page.get_by_role("link", name=change).click()
    assert_accessible(no_js_page)
    no_js_page.get_by_label(tr("Your comment"), exact=True).fill("Faith groups and schools.")
    no_js_page.get_by_role("button", name=tr("Save changes")).click()
    expect(no_js_page.get_by_text(tr("Your comment has been changed."))).to_be_visible()
    assert_accessible(no_js_page)
    withdraw = f"{tr('Withdraw')} {tr('your comment')}"
    no_js_page.get_by_role("link", name=withdraw).click()
    assert_accessible(no_js_page)
    no_js_page.get_by_role("button", name=tr("Withdraw comment")).click()
    expect(
        no_js_page.get_by_text(tr("You withdrew this comment. Nobody can read it now."))
    ).to_be_visible()
    expect(no_js_page.get_by_text("Faith groups and schools.")).to_have_count(0)
    assert_accessible(no_js_page)
