"""The study team's and administrators' pages for agreements, contact requests, erasure,
retention and support, each checked with axe and the HTML checker in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.agreements import ledger, service
from portal.agreements.models import AgreementKind, Decision
from portal.extensions import db
from portal.panels.models import Membership, Role
from portal.rights.care import ask_to_be_contacted
from portal.rights.models import ContactWay
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, sign_in_as
from tests.factories import add_to_panel, make_panel, make_user

pytestmark = pytest.mark.browser


def test_staff_pages_for_agreements_requests_erasure_and_support_are_accessible(
    page: Page, live_server: LiveServer
) -> None:
    panel = make_panel("Staff pages panel")
    member = make_user(name="Nadia", email="nadia@example.org")
    researcher = make_user(name="Dr Okafor", is_admin=True)
    membership = add_to_panel(panel, member, Role.MEMBER)
    add_to_panel(panel, researcher, Role.RESEARCHER)
    agreement = service.create_agreement(
        panel.id,
        service.AgreementDetails(
            title="Consent to be filmed",
            kind=AgreementKind.RECORDING,
            required=False,
            summary="We may film you reading quotes.",
            body="The full text.",
        ),
    )
    version = service.publish(agreement)
    ledger.decide(agreement, version, member.id, Decision.AGREED)
    db.session.refresh(membership)
    request = ask_to_be_contacted(
        db.session.get(Membership, membership.id),  # type: ignore[arg-type]
        member,
        "Please ring me",
        ContactWay.PHONE,
    )
    db.session.commit()

    sign_in_as(page, live_server, researcher)
    base = f"/panels/{panel.id}"
    for path, heading in (
        (f"{base}/agreements/manage", "Agreements"),
        (f"{base}/agreements/new", "Add an agreement"),
        (f"{base}/agreements/{agreement.id}/edit", "Consent to be filmed"),
        (f"{base}/agreements/{agreement.id}/records", "Who agreed: Consent to be filmed"),
        (f"{base}/agreements/{agreement.id}/record", "Record consent given on paper or aloud"),
        (f"{base}/contact-requests", "Requests to be contacted"),
        (f"{base}/contact-requests/{request.id}", "Request to be contacted"),
        (f"{base}/support-contacts", "The panel's support contacts"),
        ("/support", "Need support?"),
        ("/support/crisis-lines", "Change the crisis lines"),
        (f"/admin/panels/{panel.id}/retention", "How long data is kept"),
        (f"/admin/people/{member.id}/erase", "Erase this person?"),
        (f"/admin/people/{member.id}/data-copy", "Make a copy of this person's data?"),
        ("/admin/erasure-requests", "Requests to be erased"),
    ):
        page.goto(live_server.url(path))
        expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
        assert_accessible(page)
    # A form sent empty shows the error summary, linked to the field.
    page.goto(live_server.url(f"{base}/agreements/{agreement.id}/record"))
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("link", name="Enter who witnessed it")).to_be_visible()
    assert_accessible(page)
