"""Paying: the owed list with totals, days waited and the monthly-amount warning; approving;
batches with codes (never card numbers or bank details); marking paid with a thank-you email;
the same totals to the penny in the owed list, the statement and the spreadsheet; and never
paying an entry twice, even with two people paying at once."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.involvement import batches
from portal.involvement.entries import london_today
from portal.involvement.models import (
    ActivityKind,
    BatchPayment,
    BatchStatus,
    EntryStatus,
    InvolvementEntry,
    PaymentBatch,
    PaymentChoice,
    PaymentRule,
    PayMethod,
)
from portal.notifications.models import OutboxMessage
from tests.conftest import csrf_token_from, submit_form
from tests.factories import add_to_panel, make_user
from tests.integration.involvement_helpers import post_from
from tests.involvement_data import add_entry, add_rate, approve, claim, paid_batch
from tests.roles import Cast


def payments(cast: Cast, rest: str = "") -> str:
    return f"/panels/{cast.panel.id}/payments{rest}"


def _entries(cast: Cast, count: int = 2, days_ago: int = 3) -> list[InvolvementEntry]:
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2000)
    made = [
        add_entry(
            cast.panel,
            cast.people["member"].id,
            cast.people["researcher"].id,
            title=f"Preparation {n}",
            minutes=60,
            day=london_today() - timedelta(days=days_ago),
        )
        for n in range(1, count + 1)
    ]
    db.session.commit()
    return made


def test_approving_from_the_owed_list_and_an_entry_already_paid(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    first, second = _entries(cast, days_ago=40)
    client = client_as("researcher")
    page = client.get(payments(cast)).get_data(as_text=True)
    assert "Waiting for approval" in page and "£40.00" in page
    assert "40 days" in page and "Overdue" in page  # the panel promises 4 weeks
    nothing = post_from(client, payments(cast), payments(cast, "/approve"), {})
    assert "Choose at least one entry" in nothing.get_data(as_text=True)
    approved = post_from(
        client, payments(cast), payments(cast, "/approve"), {"entry_ids": [first.id]}
    )
    assert approved.status_code == 302
    approve(cast.panel, [second.id], cast.people["researcher"].id)
    paid_batch(cast.panel, [first.id], cast.people["researcher"].id)
    db.session.commit()
    # A page opened before someone else paid it: approving again changes nothing, and says so.
    again = post_from(client, payments(cast), payments(cast, "/approve"), {"entry_ids": [first.id]})
    assert again.status_code == 200
    assert "already approved or paid" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(InvolvementEntry, first.id).status is EntryStatus.PAID  # type: ignore[union-attr]


def test_the_owed_list_warns_before_a_payment_goes_over_the_members_monthly_amount(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    _entries(cast)
    db.session.add(
        PaymentChoice(
            panel_id=cast.panel.id,
            user_id=cast.people["member"].id,
            fees_not_eligible=False,
            monthly_limit_pence=3000,
        )
    )
    db.session.commit()
    page = client_as("researcher").get(payments(cast)).get_data(as_text=True)
    assert "Check before paying" in page and "(£30.00)" in page


def test_a_batch_refuses_card_numbers_and_bank_details_and_thanks_everyone_once_paid(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    first, second = _entries(cast)
    approve(cast.panel, [first.id, second.id], cast.people["researcher"].id)
    db.session.commit()
    client = client_as("researcher")
    made = submit_form(
        client, payments(cast, "/batches/new?method=voucher"), {"entry_ids": [first.id, second.id]}
    )
    assert made.status_code == 302
    batch = db.session.scalars(select(PaymentBatch)).one()
    url = payments(cast, f"/batches/{batch.id}")
    member_id = cast.people["member"].id
    not_yet = client.get(f"{url}/paid").get_data(as_text=True)
    assert "Some people have no code or reference yet" in not_yet
    for bad in ("4111 1111 1111 1111", "20-00-00 12345678", "GB33BUKB20201555555555"):
        refused = submit_form(
            client,
            url,
            {
                "references-0-user_id": str(member_id),
                "references-0-reference": bad,
                "thank_you": "Thank you all",
            },
        )
        html = refused.get_data(as_text=True)
        assert "looks like a card number or bank details" in html, bad
        assert f'value="{bad}"' in html
    saved = submit_form(
        client,
        url,
        {
            "references-0-user_id": str(member_id),
            "references-0-reference": "LEAP-VOUCHER-7Q",
            "thank_you": "Thank you for the workshop. It made a difference.",
        },
    )
    assert saved.status_code == 302
    future = london_today() + timedelta(days=2)
    ahead = submit_form(
        client, f"{url}/paid", {"paid_on": f"{future.day} {future.month} {future.year}"}
    )
    assert "The date must be today or in the past" in ahead.get_data(as_text=True)
    paid = submit_form(client, f"{url}/paid", {"paid_on": "1 12 2026"})
    assert paid.status_code == 302
    db.session.expire_all()
    assert {e.status for e in db.session.scalars(select(InvolvementEntry))} == {EntryStatus.PAID}
    [mail] = db.session.scalars(select(OutboxMessage)).all()
    assert mail.to_address == cast.people["member"].email
    assert "It made a difference." in mail.text_body
    assert "Preparation 1" in mail.text_body and "£40.00" in mail.text_body
    # Pressing "Mark paid" again changes nothing and sends nothing.
    again = client.get(f"{url}/paid", follow_redirects=True).get_data(as_text=True)
    assert "already been marked paid" in again
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    page = client_as("member").get(f"/panels/{cast.panel.id}/involvement").get_data(as_text=True)
    assert "Paid so far" in page and "£40.00" in page


def test_totals_agree_to_the_penny_in_the_owed_list_statement_and_spreadsheet(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    """Awkward amounts (a third of an hour at £17.99) in every state: the three places that
    show money each total the same entries to the same penny."""
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 1799)
    member = cast.people["member"]
    researcher_id = cast.people["researcher"].id
    made = [
        add_entry(cast.panel, member.id, researcher_id, f"Part {n}", minutes=20 + n, day=day)
        for n, day in enumerate([date(2026, 4, 1), date(2026, 5, 2), date(2026, 6, 3)] * 3)
    ]
    approve(cast.panel, [entry.id for entry in made[:6]], researcher_id)
    paid_batch(cast.panel, [entry.id for entry in made[:3]], researcher_id, date(2026, 6, 30))
    claim_id = claim(cast.panel, member.id, amount_pence=333)
    db.session.commit()
    submit_form(
        client_as("researcher"),
        payments(cast, f"/expenses/{claim_id}"),
        {"decision": "approve"},
    )
    db.session.expire_all()
    every = list(db.session.scalars(select(InvolvementEntry)))
    owed_pence = sum(e.total_pence for e in every if e.status is EntryStatus.APPROVED)
    waiting_pence = sum(e.total_pence for e in every if e.status is EntryStatus.WAITING)
    paid_pence = sum(e.total_pence for e in every if e.status is EntryStatus.PAID)
    fees_pence = sum(e.fee_pence for e in every)

    owed = batches.owed_list(cast.panel.id, london_today())
    assert (owed.approved_pence, owed.waiting_pence) == (owed_pence, waiting_pence)
    page = client_as("researcher").get(payments(cast)).get_data(as_text=True)
    assert f'id="total-approved">£{owed_pence // 100}.{owed_pence % 100:02d}' in page

    statement = client_as("member").get(
        f"/panels/{cast.panel.id}/involvement/statement",
        query_string={"start": "1 1 2026", "end": "31 12 2026", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(statement.data.decode("utf-8-sig"))))
    totals = {row[0]: row[-1] for row in rows if row and row[0].startswith("total")}
    assert totals["total_paid"] == f"{paid_pence // 100}.{paid_pence % 100:02d}"
    assert totals["total_fees"] == f"{fees_pence // 100}.{fees_pence % 100:02d}"
    per_month = sum(
        round(float(row[-1]) * 100) for row in rows if row and row[0] == "paid_in_month"
    )
    assert per_month == paid_pence

    workbook = client_as("researcher").get(payments(cast, "/involvement.xlsx"))
    book = load_workbook(io.BytesIO(workbook.data))
    header, *people = list(book["totals"].values)
    assert header == ("participant", "fees", "expenses", "paid", "not_yet_paid")
    [(code, fees, expenses, paid, not_yet)] = people
    assert code.startswith("LEAP-") and member.display_name not in str(list(book["entries"].values))
    assert round(float(paid) * 100) == paid_pence
    assert round(float(not_yet) * 100) == owed_pence + waiting_pence
    assert round(float(fees) * 100) + round(float(expenses) * 100) == sum(
        e.total_pence for e in every
    )
    assert "data_dictionary" in book.sheetnames


def test_an_administrator_can_ask_for_names_in_the_spreadsheet(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    _entries(cast, count=1)
    url = f"/admin/panels/{cast.panel.id}/involvement.xlsx"
    admin = client_as("admin")
    codes_only = load_workbook(io.BytesIO(admin.get(url).data))
    assert "A member" not in str(list(codes_only["entries"].values))
    named = load_workbook(io.BytesIO(admin.get(url, query_string={"names": "yes"}).data))
    assert "A member" in str(list(named["entries"].values))
    assert client_as("researcher").get(url).status_code == 403


def _race(app: Flask, work: list[Callable[[], Any]]) -> list[Any]:
    """Run each piece of work in its own thread, all released at the same moment."""
    start = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = work[index]()
        except Exception as error:  # noqa: BLE001  (the test reads what happened)
            results[index] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_people_making_batches_of_the_same_entries_at_once_pay_each_entry_once(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    entries = _entries(cast, count=3)
    second_researcher = make_user(name="Second researcher")
    from portal.panels.models import Role

    add_to_panel(cast.panel, second_researcher, Role.RESEARCHER)
    approve(cast.panel, [entry.id for entry in entries], cast.people["researcher"].id)
    db.session.commit()
    from tests.factories import sign_in

    clients = [client_as("researcher"), app.test_client()]
    sign_in(clients[1], second_researcher)
    url = payments(cast, "/batches/new?method=voucher")
    ids = [entry.id for entry in entries]
    tokens = [csrf_token_from(client.get(url).get_data(as_text=True)) for client in clients]
    db.session.rollback()  # the test holds no transaction while the two payers race
    results = _race(
        app,
        [
            lambda c=client, t=token: c.post(
                url, data={"csrf_token": t, "method": "voucher", "entry_ids": ids}
            )
            for client, token in zip(clients, tokens, strict=True)
        ],
    )
    statuses = sorted(result.status_code for result in results)
    assert statuses == [200, 302], results
    refused = next(result for result in results if result.status_code == 200)
    assert "Someone has just put some of these entries in another batch" in refused.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.scalar(select(func.count(PaymentBatch.id))) == 1
    assert db.session.scalar(select(func.count(BatchPayment.id))) == 1
    batch_ids = set(db.session.scalars(select(InvolvementEntry.batch_id)))
    assert len(batch_ids) == 1 and None not in batch_ids


def test_a_batch_held_open_by_one_payer_is_never_taken_again_by_another(
    app: Flask, cast: Cast
) -> None:
    """The first payer's transaction has taken the entries and not yet committed; the second
    payer's attempt waits for it (a row lock on PostgreSQL, the write lock on SQLite) and then
    finds nothing left to take."""
    entries = _entries(cast, count=2)
    staff_id = cast.people["researcher"].id
    approve(cast.panel, [entry.id for entry in entries], staff_id)
    db.session.commit()
    ids = [entry.id for entry in entries]
    panel_id = cast.panel.id
    db.session.rollback()  # the test holds no transaction while the two payers race
    taken = threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        with app.app_context():
            try:
                batches.create_batch(panel_id, PayMethod.VOUCHER, ids, staff_id)
                taken.set()
                threading.Event().wait(0.5)  # hold the entries while the second payer tries
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (shown by the assertion below)
                outcome["first"] = repr(error)
                taken.set()
            finally:
                db.session.remove()

    def second() -> None:
        taken.wait(10)
        with app.app_context():
            try:
                batches.create_batch(panel_id, PayMethod.VOUCHER, ids, staff_id)
                db.session.commit()
                outcome["second"] = "made a batch"
            except batches.BatchProblem:
                db.session.rollback()
                outcome["second"] = "refused"
            except Exception as error:  # noqa: BLE001  (shown by the assertion below)
                outcome["second"] = repr(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome == {"second": "refused"}
    db.session.expire_all()
    assert db.session.scalar(select(func.count(PaymentBatch.id))) == 1
    assert {e.status for e in db.session.scalars(select(InvolvementEntry))} == {
        EntryStatus.IN_BATCH
    }


def test_two_people_marking_the_same_batch_paid_at_once_send_one_thank_you(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    entries = _entries(cast, count=1)
    staff_id = cast.people["researcher"].id
    approve(cast.panel, [entries[0].id], staff_id)
    batch = batches.create_batch(cast.panel.id, PayMethod.VOUCHER, [entries[0].id], staff_id)
    db.session.flush()
    found = batches.get_batch(cast.panel.id, batch.id)
    assert found is not None
    batches.save_batch(found, {cast.people["member"].id: "CODE-1"}, "Thanks")
    db.session.commit()
    batch_id = batch.id
    url = payments(cast, f"/batches/{batch_id}/paid")
    clients = [client_as("researcher"), client_as("researcher")]
    tokens = [csrf_token_from(client.get(url).get_data(as_text=True)) for client in clients]
    db.session.rollback()  # the test holds no transaction while the two payers race
    _race(
        app,
        [
            lambda c=client, t=token: c.post(url, data={"csrf_token": t, "paid_on": "1 12 2026"})
            for client, token in zip(clients, tokens, strict=True)
        ],
    )
    db.session.expire_all()
    assert db.session.get(PaymentBatch, batch_id).status is BatchStatus.PAID  # type: ignore[union-attr]
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


@pytest.mark.parametrize(
    ("reference", "refused"),
    [
        ("4111 1111 1111 1111", True),
        ("4111-1111-1111-1111", True),
        ("12345678", True),
        ("20-00-00", True),
        ("GB33 BUKB 2020 1555 5555 55", True),
        ("LEAP-07-APRIL", False),
        ("AMZ-7Q2K-9XPL", False),
        ("TRANSFER 2026-04", False),
    ],
)
def test_what_counts_as_card_or_bank_details(reference: str, refused: bool) -> None:
    assert batches.looks_like_bank_or_card(reference) is refused


def test_the_warning_counts_what_was_paid_in_the_members_assessment_period(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    earlier, _waiting = _entries(cast)
    staff_id = cast.people["researcher"].id
    paid_on = london_today() - timedelta(days=20)
    approve(cast.panel, [earlier.id], staff_id)
    paid_batch(cast.panel, [earlier.id], staff_id, paid_on=paid_on)
    db.session.add(
        PaymentChoice(
            panel_id=cast.panel.id,
            user_id=cast.people["member"].id,
            fees_not_eligible=False,
            monthly_limit_pence=3000,  # £20 paid in the period and £20 waiting: over £30
            assessment_day=paid_on.day,
        )
    )
    db.session.commit()
    page = client_as("researcher").get(payments(cast)).get_data(as_text=True)
    assert "Check before paying" in page and "They have been paid £20.00" in page


def test_a_copy_of_a_members_data_holds_their_record_and_retention_forgets_references(
    cast: Cast,
) -> None:
    from portal.rights.data_copy import everything_about
    from portal.rights.retention import forget_involvement_administration

    [entry] = _entries(cast, count=1)
    staff_id = cast.people["researcher"].id
    approve(cast.panel, [entry.id], staff_id)
    paid_batch(cast.panel, [entry.id], staff_id)
    db.session.commit()
    copy = everything_about(cast.people["member"].id)
    flat = str(copy)
    assert "Preparation 1" in flat and f"VOUCHER-{cast.people['member'].id}" in flat
    forget_involvement_administration(cast.panel.id)
    db.session.commit()
    assert db.session.scalars(select(BatchPayment.reference)).all() == [""]
    assert db.session.scalars(select(InvolvementEntry.status)).all() == [EntryStatus.PAID]
