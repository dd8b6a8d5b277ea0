"""A member's side: My involvement shows only their own record; choices never ask why; one
payment can be declined; expense claims keep what was typed when something is wrong; and the
statement (PDF and CSV) and the letter for a benefits adviser carry the right figures."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta

from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.involvement.entries import london_today
from portal.involvement.models import (
    ActivityKind,
    EntryStatus,
    ExpenseClaim,
    InvolvementEntry,
    PaymentChoice,
    PaymentRule,
)
from portal.involvement.statements import organisation, save_organisation
from tests.conftest import csrf_token_from, submit_form
from tests.factories import add_to_panel, make_user
from tests.involvement_data import PDF_BYTES, PNG_BYTES, add_entry, add_rate, approve, paid_batch
from tests.roles import Cast


def mine(cast: Cast) -> str:
    return f"/panels/{cast.panel.id}/involvement"


def pdf_text(body: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.split())  # lines wrap wherever the page is full


def test_a_member_sees_only_their_own_record(
    app: object, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2000)
    other = make_user(name="Another member")
    add_to_panel(cast.panel, other)
    researcher_id = cast.people["researcher"].id
    add_entry(cast.panel, cast.people["member"].id, researcher_id, title="My preparation")
    theirs = add_entry(cast.panel, other.id, researcher_id, title="Their preparation")
    db.session.commit()
    client = client_as("member")
    page = client.get(mine(cast)).get_data(as_text=True)
    assert "My preparation" in page and "Their preparation" not in page
    assert "£30.00" in page  # 1.5 hours at £20 an hour, not paid yet
    # Someone else's entry is not there at all.
    assert client.get(f"{mine(cast)}/entries/{theirs.id}/decline").status_code == 404
    # The study team's pages are not for members.
    assert client.get(f"/panels/{cast.panel.id}/payments").status_code == 403
    assert client.get(f"/panels/{cast.panel.id}/payments/people/{other.id}").status_code == 403


def test_choosing_how_to_be_paid_never_asks_why_and_applies_to_what_is_unpaid(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2000)
    member = cast.people["member"]
    entry = add_entry(cast.panel, member.id, cast.people["researcher"].id, minutes=60)
    db.session.commit()
    client = client_as("member")
    url = f"{mine(cast)}/choices"
    page = client.get(url).get_data(as_text=True)
    assert "never need to tell us why" in page
    assert "reason" not in page.lower()
    missing = submit_form(client, url, {"choice": "reduced", "monthly_limit": "-5"})
    html = missing.get_data(as_text=True)
    assert "Choose how much of the usual amount" in html
    assert "Choose how you want to be paid" in html
    assert "The amount cannot be less than £0" in html
    assert 'value="-5"' in html
    saved = submit_form(
        client,
        url,
        {
            "choice": "reduced",
            "reduced_percent": "50",
            "method": "voucher",
            "monthly_limit": "£100",
            "assessment_day": "14",
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    choice = db.session.scalars(select(PaymentChoice)).one()
    assert (choice.reduced_percent, choice.monthly_limit_pence, choice.assessment_day) == (
        50,
        10000,
        14,
    )
    assert db.session.get(InvolvementEntry, entry.id).fee_pence == 1000  # type: ignore[union-attr]
    submit_form(client, url, {"choice": "volunteer"})
    db.session.expire_all()
    assert db.session.get(InvolvementEntry, entry.id).fee_pence == 0  # type: ignore[union-attr]
    explained = client.get(f"{mine(cast)}/why-people-choose").get_data(as_text=True)
    assert "/support" in explained and "We cannot give advice" in explained


def test_a_member_declines_one_payment(cast: Cast, client_as: Callable[[str], FlaskClient]) -> None:
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2000)
    researcher_id = cast.people["researcher"].id
    member_id = cast.people["member"].id
    declined = add_entry(cast.panel, member_id, researcher_id, title="Declined one")
    kept = add_entry(cast.panel, member_id, researcher_id, title="Kept one")
    db.session.commit()
    response = submit_form(client_as("member"), f"{mine(cast)}/entries/{declined.id}/decline", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(InvolvementEntry, declined.id).status is EntryStatus.DECLINED  # type: ignore[union-attr]
    assert db.session.get(InvolvementEntry, kept.id).status is EntryStatus.WAITING  # type: ignore[union-attr]
    owed = client_as("researcher").get(f"/panels/{cast.panel.id}/payments").get_data(as_text=True)
    assert "Kept one" in owed and "Declined one" not in owed


def _claim(client: FlaskClient, cast: Cast, **fields: object) -> object:
    url = f"{mine(cast)}/expenses/new"
    page = client.get(url)
    data = {
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        "kind": "travel",
        "amount": "4.50",
        "spent_on": "2 3 2026",
        "note": "Bus there and back",
        **fields,
    }
    return client.post(url, data=data, content_type="multipart/form-data")


def test_expense_claims_refuse_bad_amounts_dates_and_receipts_and_keep_what_was_typed(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("member")
    tomorrow = london_today() + timedelta(days=1)
    cases = {
        "-4.50": "The amount cannot be less than £0",
        "9000000": "The amount must be £5,000 or less",
        "four pounds": "Enter an amount in pounds and pence",
    }
    for typed, message in cases.items():
        html = _claim(client, cast, amount=typed).get_data(as_text=True)  # type: ignore[attr-defined]
        assert message in html
        assert f'value="{typed}"' in html and "Bus there and back" in html
    future = _claim(client, cast, spent_on=f"{tomorrow.day} {tomorrow.month} {tomorrow.year}")
    assert "The date must be today or in the past" in future.get_data(as_text=True)  # type: ignore[attr-defined]
    lying = _claim(client, cast, receipt=(io.BytesIO(PNG_BYTES), "ticket.pdf"))
    html = lying.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "name does not match what is in it: it is a PNG picture" in html
    assert 'value="4.50"' in html
    program = _claim(client, cast, receipt=(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "a.pdf"))
    assert "must be a PDF, JPEG or PNG" in program.get_data(as_text=True)  # type: ignore[attr-defined]
    assert db.session.scalars(select(ExpenseClaim)).all() == []

    good = _claim(client, cast, receipt=(io.BytesIO(PDF_BYTES), "ticket.pdf"))
    assert good.status_code == 302  # type: ignore[attr-defined]
    claim = db.session.scalars(select(ExpenseClaim)).one()
    assert (claim.amount_pence, claim.spent_on) == (450, date(2026, 3, 2))
    page = client.get(mine(cast)).get_data(as_text=True)
    assert "Waiting for the study team" in page
    receipt = client.get(f"{mine(cast)}/expenses/{claim.id}/receipt")
    assert receipt.data == PDF_BYTES
    # The chair (another person in the panel) cannot fetch it.
    chair = client_as("chair")
    assert chair.get(f"{mine(cast)}/expenses/{claim.id}/receipt").status_code == 404

    # The study team asks a question; the member sees it and is emailed.
    team = client_as("researcher")
    review = f"/panels/{cast.panel.id}/payments/expenses/{claim.id}"
    empty = submit_form(team, review, {"decision": "query", "question": ""})
    assert "Write your question" in empty.get_data(as_text=True)
    submit_form(team, review, {"decision": "query", "question": "Was it a return ticket?"})
    page = client.get(mine(cast)).get_data(as_text=True)
    assert "The study team has a question" in page and "Was it a return ticket?" in page
    home = client.get("/").get_data(as_text=True)
    assert "The study team has a question about your expense claim" in home
    assert submit_form(team, review, {"decision": "approve"}).status_code == 302
    db.session.expire_all()
    entry = db.session.scalars(
        select(InvolvementEntry).where(InvolvementEntry.kind == ActivityKind.EXPENSE)
    ).one()
    assert (entry.status, entry.expenses_pence, entry.fee_pence) == (EntryStatus.APPROVED, 450, 0)
    again = submit_form(team, review, {"decision": "approve"})
    assert "already approved" in again.get_data(as_text=True)


def _paid_history(cast: Cast) -> None:
    """Three paid entries across a tax year's end and an assessment period's start, one
    waiting, and one declined."""
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2000)
    member_id = cast.people["member"].id
    researcher_id = cast.people["researcher"].id
    first = add_entry(cast.panel, member_id, researcher_id, "March talk", 60, day=date(2026, 3, 20))
    second = add_entry(
        cast.panel, member_id, researcher_id, "April talk", 120, day=date(2026, 4, 2)
    )
    third = add_entry(cast.panel, member_id, researcher_id, "May talk", 60, day=date(2026, 5, 1))
    add_entry(cast.panel, member_id, researcher_id, "Waiting talk", 60, day=date(2026, 5, 3))
    declined = add_entry(
        cast.panel, member_id, researcher_id, "No thanks", 60, day=date(2026, 5, 4)
    )
    declined.status = EntryStatus.DECLINED
    approve(cast.panel, [first.id, second.id, third.id], researcher_id)
    paid_batch(cast.panel, [first.id], researcher_id, paid_on=date(2026, 4, 3))
    paid_batch(cast.panel, [second.id], researcher_id, paid_on=date(2026, 4, 10))
    paid_batch(cast.panel, [third.id], researcher_id, paid_on=date(2026, 5, 20))
    choice = db.session.scalars(select(PaymentChoice)).first()
    if choice is None:
        choice = PaymentChoice(panel_id=cast.panel.id, user_id=member_id, fees_not_eligible=False)
        db.session.add(choice)
    choice.assessment_day = 14
    save_organisation(
        "Midlands Mental Health Research",
        "1 Research Way\nCoventry",
        "We run studies that people with lived experience help to shape.",
        "A study manager",
        "Study manager",
    )
    db.session.commit()


def test_statement_pdf_csv_and_letter_show_the_payments(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    _paid_history(cast)
    client = client_as("member")
    url = f"{mine(cast)}/statement"
    assert "Statement and letter" in client.get(url).get_data(as_text=True)
    bad = client.get(url, query_string={"start": "31 2 2026", "end": "1 1 2026", "format": "pdf"})
    assert "Enter a real date" in bad.get_data(as_text=True)
    assert 'value="31 2 2026"' in bad.get_data(as_text=True)
    backwards = client.get(
        url, query_string={"start": "1 6 2026", "end": "1 1 2026", "format": "pdf"}
    )
    assert "The end date must be the same as or after" in backwards.get_data(as_text=True)
    period = {"start": "1 3 2026", "end": "31 5 2026"}
    pdf = client.get(url, query_string={**period, "format": "pdf"})
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.data)
    assert "Midlands Mental Health Research" in text and "A member" in text
    assert "March talk" in text and "Waiting talk" in text
    assert "6 April 2025 to 5 April 2026" in text and "£20.00" in text
    assert "6 April 2026 to 5 April 2027" in text and "£60.00" in text
    # Assessment periods from the 14th: 3 April falls in 14 March to 13 April.
    assert "14 March 2026 to 13 April 2026" in text and "14 May 2026 to 13 June 2026" in text
    csv_body = client.get(url, query_string={**period, "format": "csv"})
    rows = list(csv.reader(io.StringIO(csv_body.data.decode("utf-8-sig"))))
    totals = {row[0]: row[1:] for row in rows if row and row[0].startswith(("total", "paid_in"))}
    assert totals["total_paid"] == ["80.00"]
    assert totals["total_fees"] == ["100.00"]  # the declined one is not counted
    letter = pdf_text(client.get(url, query_string={**period, "format": "letter"}).data)
    assert "not employment" in letter and "stop taking part at any time" in letter
    assert "A study manager" in letter and "Total paid: £80.00" in letter
    # The study team downloads the same for the member.
    team_url = f"/panels/{cast.panel.id}/payments/people/{cast.people['member'].id}/statement"
    team_csv = client_as("researcher").get(team_url, query_string={**period, "format": "csv"})
    assert team_csv.data == csv_body.data


def test_an_administrator_sets_the_organisation_details(
    app: object, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("admin")
    url = "/admin/organisation"
    empty = submit_form(client, url, {"name": "Our organisation"})
    html = empty.get_data(as_text=True)
    assert "Enter the address" in html and 'value="Our organisation"' in html
    saved = submit_form(
        client,
        url,
        {
            "name": "Our organisation",
            "address": "1 Road",
            "about": "We do research",
            "signer_name": "A manager",
            "signer_role": "Manager",
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert organisation().signer_name == "A manager"
    assert client_as("researcher").get(url).status_code == 403


def test_an_urdu_readers_statement_is_in_urdu_and_the_letter_for_an_adviser_in_english(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    _paid_history(cast)
    cast.people["member"].language = "ur"
    db.session.commit()
    client = client_as("member")
    url = f"{mine(cast)}/statement"
    period = {"start": "1 3 2026", "end": "31 5 2026"}
    statement = pdf_text(client.get(url, query_string={**period, "format": "pdf"}).data)
    assert "Statement of involvement" not in statement and "£80.00" in statement
    letter = pdf_text(client.get(url, query_string={**period, "format": "letter"}).data)
    assert "not employment" in letter and "Total paid: £80.00" in letter
