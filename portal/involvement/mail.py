"""The involvement emails, one small function each: what is said lives here; how it travels
(``tell``, with the kind ``Kind.PAYMENT``, always sent) lives in notifications."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.accounts.models import User
from portal.extensions import db
from portal.involvement.models import ExpenseClaim, InvolvementEntry, PaymentBatch
from portal.involvement.money import format_pence
from portal.links import portal_path, portal_url
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell


def payment_thank_you(
    batch: PaymentBatch, person: User, entries: list[InvolvementEntry], total_pence: int
) -> None:
    """A member was paid (``Kind.PAYMENT``, always sent): the team's own words for the batch,
    and what the payment was for."""
    tell(
        person,
        Kind.PAYMENT,
        subject=_l("Thank you for taking part"),
        template="involvement_thank_you",
        link=portal_url("involvement.my_involvement", panel_id=batch.panel_id),
        panel_id=batch.panel_id,
        dedupe_key=f"involvement-thank-you:{batch.id}:{person.id}",
        name=person.display_name,
        wording=batch.thank_you,
        titles=[entry.title for entry in entries],
        total=format_pence(total_pence),
        path=portal_path("involvement.my_involvement", panel_id=batch.panel_id),
    )


def expense_queried(claim: ExpenseClaim) -> None:
    """The team has a question about a claim (``Kind.PAYMENT``, always sent)."""
    person = db.session.get(User, claim.user_id)
    if person is None:
        return
    tell(
        person,
        Kind.PAYMENT,
        subject=_l("A question about your expense claim"),
        template="expense_queried",
        link=portal_url("involvement.my_involvement", panel_id=claim.panel_id),
        panel_id=claim.panel_id,
        name=person.display_name,
        amount=format_pence(claim.amount_pence),
        question=claim.query,
        path=portal_path("involvement.my_involvement", panel_id=claim.panel_id),
    )
