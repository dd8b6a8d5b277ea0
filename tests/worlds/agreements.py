"""Agreements and the ledger: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.agreements import ledger, service
from portal.agreements.models import AgreementKind, Decision
from portal.extensions import db
from tests.growth import Wording, insert_rows, people_for

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


SUMMARY = Wording("What agreement NUMBER is about, in *plain words*.")


def grow(world: World, count: int) -> None:
    """``count`` more published agreements in the panel, and as many more members' recorded
    decisions on the world agreement."""
    from sqlalchemy import func, select

    from portal.agreements.models import (
        Agreement,
        AgreementRecord,
        AgreementVersion,
        ConsentState,
        GivenHow,
    )
    from portal.db import utcnow

    panel_id = world.cast.panel.id
    start = db.session.scalar(select(func.count(Agreement.id))) or 0
    numbers = range(start + 1, start + 1 + count)
    kinds = list(AgreementKind)
    agreement_ids = insert_rows(
        Agreement,
        [
            {
                "panel_id": panel_id,
                "kind": kinds[number % len(kinds)],
                "title": f"Grown agreement {number}",
                "required": False,
            }
            for number in numbers
        ],
    )
    now = utcnow()
    insert_rows(
        AgreementVersion,
        [
            {
                "agreement_id": agreement_id,
                "number": 1,
                "summary": SUMMARY.text(number),
                "summary_html": SUMMARY.html(number),
                "body": SUMMARY.text(number),
                "body_html": SUMMARY.html(number),
                "published_at": now,
            }
            for number, agreement_id in zip(numbers, agreement_ids, strict=True)
        ],
    )
    agreement_id = world.values["agreement_id"]
    version_id = db.session.scalar(
        select(AgreementVersion.id).where(AgreementVersion.agreement_id == agreement_id)
    )
    people = people_for(world, "agreements", count)
    decisions = list(Decision)
    record_ids = insert_rows(
        AgreementRecord,
        [
            {
                "panel_id": panel_id,
                "agreement_id": agreement_id,
                "version_id": version_id,
                "user_id": user_id,
                "decision": decisions[number % len(decisions)],
                "given_how": GivenHow.ONLINE,
                "text_hash": "0" * 64,
                "pdf_copy": b"%PDF-1.4\n%%EOF\n",
            }
            for number, user_id in enumerate(people)
        ],
    )
    insert_rows(
        ConsentState,
        [
            {
                "panel_id": panel_id,
                "agreement_id": agreement_id,
                "user_id": user_id,
                "kind": AgreementKind.QUOTE,
                "version_id": version_id,
                "agreed": decisions[number % len(decisions)] is Decision.AGREED,
                "record_id": record_id,
                "decided_at": now,
            }
            for number, (user_id, record_id) in enumerate(zip(people, record_ids, strict=True))
        ],
    )
    db.session.commit()
