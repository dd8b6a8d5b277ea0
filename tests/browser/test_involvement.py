"""Involvement in a real browser: a member, on a phone with the keyboard, reads My involvement,
chooses how to be paid and claims an expense; the study team, without JavaScript, approves,
makes a voucher batch, enters the codes and marks it paid."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.involvement.models import (
    ActivityKind,
    EntryStatus,
    ExpenseClaim,
    InvolvementEntry,
    PaymentRule,
)
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as, tab_to
from tests.involvement_data import PNG_BYTES, add_entry, add_rate
from tests.language import tr
from tests.roles import Cast

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def papers_folder(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "papers"
    monkeypatch.setitem(app.config, "PAPERS_FOLDER", str(folder))
    return folder


def test_a_member_reads_their_record_chooses_how_to_be_paid_and_claims_an_expense(
    phone_page: Page, live_server: LiveServer, cast: Cast, tmp_path: Path, language: Language
) -> None:
    page = phone_page
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2500)
    add_entry(
        cast.panel,
        cast.people["member"].id,
        cast.people["researcher"].id,
        title="Reading the workshop papers",
    )
    language.of(cast.people["member"])
    sign_in_as(page, live_server, cast.people["member"])
    expect(page.get_by_text(tr("Choose how you want to be paid"))).to_be_visible()
    tab_to(page, "Reading the workshop papers")  # the home page's newest involvement
    page.keyboard.press("Enter")
    page.wait_for_url("**/involvement#entry-*")
    expect(page.get_by_text("Reading the workshop papers").first).to_be_visible()
    assert_accessible(page)

    tab_to(page, tr("Change"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/involvement/choices")
    assert_accessible(page)
    page.get_by_role("radio", name=tr("Yes, but pay me a smaller amount")).check()
    page.get_by_role("button", name=tr("Save my choice")).click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        tr("Choose how much of the usual amount")
    )
    assert_accessible(page)
    page.get_by_role("radio", name=tr("%(p)s%% of the usual amount", p=50)).check()
    page.get_by_role("radio", name=tr("Shopping voucher")).check()
    page.get_by_role("button", name=tr("Save my choice")).click()
    page.wait_for_url("**/involvement")
    expect(
        page.get_by_text(tr("A smaller amount: %(p)s%% of the usual fee.", p=50))
    ).to_be_visible()
    expect(page.get_by_text("£18.75").first).to_be_visible()  # half of 1.5 hours at £25
    assert_accessible(page)

    tab_to(page, tr("Claim an expense"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/expenses/new")
    assert_accessible(page)
    page.get_by_role("radio", name=tr("Travel")).check()
    page.get_by_label(tr("How much did it cost?")).fill("-3")
    page.get_by_label(tr("When did you spend it?")).fill("2 3 2026")
    picture = tmp_path / "ticket.pdf"
    picture.write_bytes(PNG_BYTES)
    page.locator("input[type=file][name=receipt]").set_input_files(picture)
    page.get_by_role("button", name=tr("Send claim")).click()
    expect(page.locator("#amount-error")).to_contain_text(tr("The amount cannot be less than £0"))
    expect(page.get_by_label(tr("When did you spend it?"))).to_have_value("2 3 2026")
    assert_accessible(page)
    page.get_by_label(tr("How much did it cost?")).fill("£3.40")
    page.get_by_role("button", name=tr("Send claim")).click()
    page.wait_for_url("**/involvement#expenses")
    expect(page.get_by_text(tr("Waiting for the study team"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=tr("Why people choose each option")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Why people choose each option"))
    assert_accessible(page)
    page.go_back()
    page.get_by_role(
        "link", name=tr("Download a statement or a letter for a benefits adviser")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Statement and letter"))
    assert_accessible(page)
    page.get_by_label(tr("From")).fill("31 2 2026")
    page.get_by_role("button", name=tr("Download the statement (PDF)")).click()
    expect(page.locator("#start-error")).to_contain_text(
        tr("Enter a real date, for example 14 3 2026")
    )
    assert_accessible(page)
    reload()
    assert db.session.scalars(select(ExpenseClaim.amount_pence)).all() == [340]


def test_the_team_approves_and_pays_a_voucher_batch_without_javascript(
    no_js_page: Page, live_server: LiveServer, cast: Cast
) -> None:
    page = no_js_page
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2000)
    add_entry(
        cast.panel,
        cast.people["member"].id,
        cast.people["researcher"].id,
        title="Filming a video",
        minutes=120,
    )
    db.session.commit()
    sign_in_as(page, live_server, cast.people["researcher"])
    expect(page.get_by_text("1 waiting for approval")).to_be_visible()
    page.get_by_role("link", name="Payments").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payments")
    assert_accessible(page)
    page.get_by_role("button", name="Approve the chosen entries").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose at least one entry")
    assert_accessible(page)
    page.get_by_label("Approve Filming a video").check()
    page.get_by_role("button", name="Approve the chosen entries").click()
    expect(page.get_by_text("1 entry approved.")).to_be_visible()
    page.get_by_role("link", name="Pay approved entries by voucher").click()
    assert_accessible(page)
    page.get_by_role("button", name="Make the batch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batch 1")
    assert_accessible(page)
    code = page.get_by_label("A member: £40.00")
    code.fill("4111 1111 1111 1111")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("card number or bank details")
    assert_accessible(page)
    page.get_by_label("A member: £40.00").fill("GIFT-7Q2K")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("button", name="Mark the batch paid").click()
    assert_accessible(page)
    page.get_by_role("button", name="Mark paid").click()
    expect(page.get_by_text("Marked paid.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to payment batches").click()
    assert_accessible(page)
    page.get_by_role("link", name="Rates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rates")
    assert_accessible(page)
    page.get_by_role("link", name="Owed").click()
    expect(page.get_by_text("Nothing is waiting for approval or payment.")).to_be_visible()
    page.goto(
        live_server.url(f"/panels/{cast.panel.id}/payments/people/{cast.people['member'].id}")
    )
    expect(page.get_by_text("Filming a video")).to_be_visible()
    assert_accessible(page)
    reload()
    assert db.session.scalars(select(InvolvementEntry.status)).all() == [EntryStatus.PAID]
