"""Involvement and payments: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.extensions import db
from portal.involvement import batches
from portal.involvement.models import ActivityKind, PayMethod
from tests.involvement_data import add_entry, add_rate, approve, claim

if TYPE_CHECKING:
    from tests.world import World

TAKING_PART = {"member", "chair"}
TEAM = {"researcher"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "involvement.my_involvement": TAKING_PART,
    "involvement.payment_choices": TAKING_PART,
    "involvement.choices_explained": TAKING_PART,
    "involvement.decline_payment": TAKING_PART,
    "involvement.claim_expense": TAKING_PART,
    "involvement.my_receipt": TAKING_PART,
    "involvement.my_statement": TAKING_PART,
    "involvement.owed_list": TEAM,
    "involvement.approve_entries": TEAM,
    "involvement.person_record": TEAM,
    "involvement.set_fees_eligibility": TEAM,
    "involvement.person_statement": TEAM,
    "involvement.add_entry": TEAM,
    "involvement.correct_entry": TEAM,
    "involvement.remove_entry": TEAM,
    "involvement.show_rates": TEAM,
    "involvement.add_rate": TEAM,
    "involvement.pay_settings": TEAM,
    "involvement.export_involvement": TEAM,
    "involvement.review_expense": TEAM,
    "involvement.team_receipt": TEAM,
    "involvement.list_batches": TEAM,
    "involvement.new_batch": TEAM,
    "involvement.show_batch": TEAM,
    "involvement.pay_batch": TEAM,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "choice": "paid",
    "method": "voucher",
    "amount": "12.50",
    "spent_on": "1 3 2026",
    "kind": "travel",
    "decision": "approve",
    "paid_on": "1 3 2026",
    "thank_you": "Forged thanks",
}


def add(world: World) -> None:
    """A member's waiting entry, an approved one in an open batch, one approved and ready for
    a batch, and an expense claim with a receipt."""
    panel = world.cast.panel
    member = world.cast.people["member"]
    researcher = world.cast.people["researcher"]
    add_rate(panel, kind=ActivityKind.PREPARATION, staff_id=researcher.id)
    waiting = add_entry(panel, member.id, researcher.id, title="World preparation")
    batched = add_entry(panel, member.id, researcher.id, title="World workshop")
    ready = add_entry(panel, member.id, researcher.id, title="World training")
    approve(panel, [batched.id, ready.id], researcher.id)
    batch = batches.create_batch(panel.id, PayMethod.VOUCHER, [batched.id], researcher.id)
    claim_id = claim(panel, member.id)
    db.session.commit()
    world.values.update(activity_id=waiting.id, claim_id=claim_id, batch_id=batch.id)
    # A member's entry and receipt are theirs alone: to the chair they do not exist.
    for endpoint in ("involvement.decline_payment", "involvement.my_receipt"):
        world.exceptions[(endpoint, "chair")] = {"404"}


def grow(world: World, count: int) -> None:
    """``count`` more involvement entries, waiting for approval or approved, for the world's
    member and as many more members."""
    from portal.db import utcnow
    from portal.involvement.models import EntryStatus, InvolvementEntry
    from tests.growth import insert_rows, people_for

    people = [world.cast.people["member"].id, *people_for(world, "involvement", count - 1)]
    kinds = list(ActivityKind)
    today = utcnow().date()
    insert_rows(
        InvolvementEntry,
        [
            {
                "panel_id": world.cast.panel.id,
                "user_id": user_id,
                "kind": kinds[number % len(kinds)],
                "title": f"Grown activity {number}",
                "activity_date": today,
                "minutes": 60,
                "rate_amount_pence": 2500,
                "full_fee_pence": 2500,
                "fee_pence": 2500,
                "status": EntryStatus.WAITING if number % 2 else EntryStatus.APPROVED,
            }
            for number, user_id in enumerate(people)
        ],
    )
    db.session.commit()
