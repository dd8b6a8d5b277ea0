"""The involvement emails, one small function each, so each can move to the notifications
service unchanged: what is said lives here, how it travels lives there."""

from __future__ import annotations

from flask_babel import gettext

from portal.accounts.models import User
from portal.extensions import db
from portal.involvement.models import ExpenseClaim, InvolvementEntry, PaymentBatch
from portal.involvement.money import format_pence
from portal.links import portal_path
from portal.notifications.service import queue_mail


def payment_thank_you(
    batch: PaymentBatch, person: User, entries: list[InvolvementEntry], total_pence: int
) -> None:
    """Kind "involvement_thank_you" (transactional): a member was paid; the team's own
    words for the batch, and what the payment was for."""
    queue_mail(
        person.email,
        gettext("Thank you for taking part"),
        "involvement_thank_you",
        dedupe_key=f"involvement-thank-you:{batch.id}:{person.id}",
        locale=person.language or None,
        name=person.display_name,
        wording=batch.thank_you,
        titles=[entry.title for entry in entries],
        total=format_pence(total_pence),
        path=portal_path("involvement.my_involvement", panel_id=batch.panel_id),
    )


def expense_queried(claim: ExpenseClaim) -> None:
    """Kind "expense_queried" (transactional): the team has a question about a claim."""
    person = db.session.get(User, claim.user_id)
    if person is None:
        return
    queue_mail(
        person.email,
        gettext("A question about your expense claim"),
        "expense_queried",
        locale=person.language or None,
        name=person.display_name,
        amount=format_pence(claim.amount_pence),
        question=claim.query,
        path=portal_path("involvement.my_involvement", panel_id=claim.panel_id),
    )
