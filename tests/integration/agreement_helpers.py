"""Shared set-up for the agreement and data-rights tests: agreements published through the
service, and a member's answer given through the real form."""

from __future__ import annotations

from flask.testing import FlaskClient

from portal.agreements import service
from portal.agreements.models import Agreement, AgreementKind
from portal.extensions import db
from tests.conftest import submit_form
from tests.roles import Cast


def published_agreement(
    cast: Cast,
    kind: AgreementKind = AgreementKind.QUOTE,
    required: bool = False,
    title: str = "Consent to quote what I say",
    panel_id: int | None = None,
) -> Agreement:
    agreement = service.create_agreement(
        panel_id or cast.panel.id,
        service.AgreementDetails(
            title=title,
            kind=kind,
            required=required,
            summary="We may quote what you say, **never** with your name.",
            body="The full text: quotes use your panel code or nothing at all.",
            withdrawal_note="Quotes already in published reports cannot be recalled.",
        ),
    )
    service.publish(agreement)
    db.session.commit()
    return agreement


def agreement_url(cast: Cast, agreement: Agreement, suffix: str = "") -> str:
    return f"/panels/{agreement.panel_id}/agreements/{agreement.id}{suffix}"


def answer(client: FlaskClient, cast: Cast, agreement: Agreement, decision: str = "agreed") -> None:
    data = {} if agreement.required else {"decision": decision}
    response = submit_form(client, agreement_url(cast, agreement), data)
    assert response.status_code == 302, response.get_data(as_text=True)
