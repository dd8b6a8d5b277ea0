"""Agreements and the ledger: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.agreements import ledger, service
from portal.agreements.models import AgreementKind, Decision
from portal.extensions import db

if TYPE_CHECKING:
    from tests.world import World

EVERYONE = {"member", "chair", "researcher"}
RESEARCHERS = {"researcher"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "agreements.my_agreements": EVERYONE,
    "agreements.answer_agreement": EVERYONE,
    "agreements.withdraw_agreement": EVERYONE,
    "agreements.manage_agreements": RESEARCHERS,
    "agreements.new_agreement": RESEARCHERS,
    "agreements.edit_agreement": RESEARCHERS,
    "agreements.publish_agreement": RESEARCHERS,
    "agreements.agreement_records": RESEARCHERS,
    "agreements.agreement_record_pdf": RESEARCHERS,
    "agreements.record_consent": RESEARCHERS,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "decision": "agreed",
    "kind": "quote",
    "required": "no",
    "summary": "Forged summary",
    "given_how": "paper",
    "witness": "Forged witness",
    "given_on": "1 1 2026",
}


def add(world: World) -> None:
    """An optional quote agreement the member agreed to, and its ledger entry."""
    cast = world.cast
    agreement = service.create_agreement(
        cast.panel.id,
        service.AgreementDetails(
            title="World agreement",
            kind=AgreementKind.QUOTE,
            required=False,
            summary="World summary",
            body="World text",
        ),
    )
    version = service.publish(agreement)
    entry = ledger.decide(agreement, version, cast.people["member"].id, Decision.AGREED)
    db.session.commit()
    world.values["agreement_id"] = agreement.id
    world.values["record_id"] = entry.id
    # Only someone who agreed can withdraw; to anyone else there is nothing to withdraw.
    for role in ("chair", "researcher"):
        world.exceptions[("agreements.withdraw_agreement", role)] = {"404"}
    # Publishing is a button, not a form to show again: a forged press is a 400.
    world.forged_exceptions[("agreements.publish_agreement", "researcher")] = {"status 400"}
