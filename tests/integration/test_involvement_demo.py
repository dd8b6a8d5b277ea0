"""The demo study's involvement: rates, a few months of entries from the meetings attended and
the round sent, one voucher batch paid, and one expense claim."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.involvement.models import (
    ActivityKind,
    BatchStatus,
    EntryStatus,
    ExpenseClaim,
    InvolvementEntry,
    PaymentBatch,
    PayMethod,
    Rate,
)
from tests.conftest import submit_form


def test_the_demo_has_rates_months_of_involvement_a_paid_batch_and_a_claim(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0  # and again: nothing doubled
    assert db.session.scalar(select(func.count(Rate.id))) == 5
    kinds = set(db.session.scalars(select(InvolvementEntry.kind)))
    assert {ActivityKind.MEETING, ActivityKind.REVIEW_ROUND} <= kinds
    months = {
        (day.year, day.month) for day in db.session.scalars(select(InvolvementEntry.activity_date))
    }
    assert len(months) >= 3
    [batch] = db.session.scalars(select(PaymentBatch)).all()
    assert (batch.method, batch.status) == (PayMethod.VOUCHER, BatchStatus.PAID)
    statuses = set(db.session.scalars(select(InvolvementEntry.status)))
    assert {EntryStatus.PAID, EntryStatus.WAITING} <= statuses
    assert db.session.scalar(select(func.count(ExpenseClaim.id))) == 1

    member = db.session.scalars(select(User).where(User.email == "member1@demo.invalid")).one()
    panel_id = db.session.scalars(select(InvolvementEntry.panel_id)).first()
    db.session.rollback()
    client = app.test_client()
    signed_in = submit_form(client, "/sign-in", {"email": member.email, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    page = client.get(f"/panels/{panel_id}/involvement").get_data(as_text=True)
    assert "Meeting 1" in page and "Paid" in page
