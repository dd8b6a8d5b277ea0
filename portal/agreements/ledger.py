"""The ledger of agreeing, declining and withdrawing: only ever added to.

Each decision is a new ``AgreementRecord`` with the SHA-256 of the words shown and a PDF copy of
them, made through ``portal.pdf``; ``ConsentState`` keeps each person's latest decision beside
it. Nothing here changes or removes a record, and the model refuses it if anything tries.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from portal.agreements.models import (
    Agreement,
    AgreementRecord,
    AgreementVersion,
    ConsentState,
    Decision,
    GivenHow,
)
from portal.agreements.service import AgreementProblem
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Membership
from portal.pdf import render_pdf


def text_hash(version: AgreementVersion) -> str:
    """SHA-256 of exactly the words shown: the summary and the full text."""
    shown = f"{version.summary}\n\n{version.body}".encode()
    return hashlib.sha256(shown).hexdigest()


def _pdf_copy(
    agreement: Agreement,
    version: AgreementVersion,
    pseudonym_code: str,
    decision: Decision,
    given_how: GivenHow,
    witness: str,
    decided_at: datetime,
    text_sha: str,
) -> bytes:
    # The copy names the panel code, never the person: it outlives an erased account.
    return render_pdf(
        "agreement_copy.html",
        title=f"{agreement.title}, version {version.number}",
        made_at=decided_at,
        agreement=agreement,
        version=version,
        pseudonym_code=pseudonym_code,
        decision=decision,
        given_how=given_how,
        witness=witness,
        decided_at=decided_at,
        text_sha=text_sha,
    )


def decide(
    agreement: Agreement,
    version: AgreementVersion,
    user_id: int,
    decision: Decision,
    *,
    given_how: GivenHow = GivenHow.ONLINE,
    witness: str = "",
    decided_at: datetime | None = None,
    recorded_by_id: int | None = None,
) -> AgreementRecord:
    """Add one decision to the ledger (agreed, declined or withdrawn), with the text's hash and a
    PDF copy of what was shown, and update the person's current consent.

    A required agreement cannot be declined or withdrawn on the portal (a member who does not
    agree talks to the study team or stops being a member). Paper and spoken consent need a
    witness. Raises ``AgreementProblem``.
    """
    if version.agreement_id != agreement.id or version.published_at is None:
        raise AgreementProblem(gettext("This version has not been published."))
    if agreement.required and decision is not Decision.AGREED and given_how is GivenHow.ONLINE:
        raise AgreementProblem(gettext("This agreement is needed to take part."))
    if given_how is not GivenHow.ONLINE and not witness.strip():
        raise AgreementProblem(gettext("Enter who witnessed it"))
    state = current_state(agreement.id, user_id)
    if decision is Decision.WITHDRAWN and (state is None or not state.agreed):
        raise AgreementProblem(gettext("There is no agreement to withdraw."))
    membership = db.session.scalar(
        select(Membership).where(
            Membership.panel_id == agreement.panel_id, Membership.user_id == user_id
        )
    )
    if membership is None:
        raise AgreementProblem(gettext("This person is not in the panel."))
    moment = decided_at or utcnow()
    text_sha = text_hash(version)
    entry = AgreementRecord(
        panel_id=agreement.panel_id,
        agreement_id=agreement.id,
        version_id=version.id,
        user_id=user_id,
        decision=decision,
        given_how=given_how,
        witness=witness.strip(),
        decided_at=moment,
        recorded_by_id=recorded_by_id,
        text_hash=text_sha,
        pdf_copy=_pdf_copy(
            agreement,
            version,
            membership.pseudonym_code,
            decision,
            given_how,
            witness.strip(),
            moment,
            text_sha,
        ),
    )
    db.session.add(entry)
    db.session.flush()
    if state is None:
        state = ConsentState(agreement_id=agreement.id, user_id=user_id)
        db.session.add(state)
    state.panel_id = agreement.panel_id
    state.kind = agreement.kind
    state.version_id = version.id
    state.agreed = decision is Decision.AGREED
    state.record_id = entry.id
    state.decided_at = moment
    record(
        AuditAction.AGREEMENT_DECIDED,
        subject_user_id=user_id,
        panel_id=agreement.panel_id,
        detail=f"agreement {agreement.id}, version {version.number}: {decision.value}"
        + ("" if given_how is GivenHow.ONLINE else f" ({given_how.value})"),
    )
    return entry


def current_state(agreement_id: int, user_id: int) -> ConsentState | None:
    return db.session.scalar(
        select(ConsentState).where(
            ConsentState.agreement_id == agreement_id, ConsentState.user_id == user_id
        )
    )


def records_of_agreement(agreement: Agreement) -> list[tuple[AgreementRecord, str]]:
    """The agreement's ledger, newest first, each with the person's panel code. One query."""
    rows = db.session.execute(
        select(AgreementRecord, Membership.pseudonym_code)
        .join(
            Membership,
            and_(
                Membership.panel_id == AgreementRecord.panel_id,
                Membership.user_id == AgreementRecord.user_id,
            ),
        )
        .where(AgreementRecord.agreement_id == agreement.id)
        .options(joinedload(AgreementRecord.version))
        .order_by(AgreementRecord.id.desc())
    )
    return [(entry, code) for entry, code in rows]


def get_record(panel_id: int, agreement_id: int, record_id: int) -> AgreementRecord | None:
    return db.session.scalar(
        select(AgreementRecord).where(
            AgreementRecord.id == record_id,
            AgreementRecord.agreement_id == agreement_id,
            AgreementRecord.panel_id == panel_id,
        )
    )
