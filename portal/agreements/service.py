"""Agreements: writing and publishing versions, what a member sees, and quote consent.

A published version never changes: ``update_version`` refuses one, and the model refuses any
change that slips past (``LedgerIsAppendOnly``). Decisions are recorded in ``ledger``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import joinedload

from portal.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementVersion,
    ConsentState,
)
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Membership, Panel
from portal.panels.service import memberships_of

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 20_000
WITNESS_MAX_LENGTH = 200


class AgreementProblem(ValueError):
    """Something that cannot be done with an agreement, in words for the person."""


@dataclass(frozen=True)
class AgreementDetails:
    title: str
    kind: AgreementKind
    required: bool
    summary: str
    body: str
    withdrawal_note: str = ""


# --- the study team: agreements and versions ----------------------------------------------


def agreements_of(panel_id: int) -> list[Agreement]:
    """A panel's agreements with their versions, by title. One query for each."""
    return list(
        db.session.scalars(
            select(Agreement)
            .where(Agreement.panel_id == panel_id)
            .options(joinedload(Agreement.versions))
            .order_by(Agreement.title, Agreement.id)
        ).unique()
    )


def get_agreement(panel_id: int, agreement_id: int) -> Agreement | None:
    """An agreement of this panel with its versions, or None (another panel's: the view 404s)."""
    return db.session.scalars(
        select(Agreement)
        .where(Agreement.id == agreement_id, Agreement.panel_id == panel_id)
        .options(joinedload(Agreement.versions))
    ).first()


def published_version(agreement: Agreement) -> AgreementVersion | None:
    """The newest published version, the one members are asked about."""
    published = [v for v in agreement.versions if v.published_at is not None]
    return published[-1] if published else None


def working_version(agreement: Agreement) -> AgreementVersion | None:
    """The unpublished version being written, if there is one."""
    last = agreement.versions[-1] if agreement.versions else None
    return last if last is not None and last.published_at is None else None


def create_agreement(panel_id: int, details: AgreementDetails) -> Agreement:
    """A new agreement with an unpublished first version."""
    agreement = Agreement(
        panel_id=panel_id,
        kind=details.kind,
        title=details.title,
        required=details.required,
        withdrawal_note=details.withdrawal_note,
    )
    db.session.add(agreement)
    db.session.flush()
    version = AgreementVersion(
        agreement_id=agreement.id, number=1, summary=details.summary, body=details.body
    )
    db.session.add(version)
    db.session.flush()
    db.session.refresh(agreement, ["versions"])
    record(AuditAction.AGREEMENT_CHANGED, panel_id=panel_id, detail=f"agreement {agreement.id}")
    return agreement


def update_agreement(agreement: Agreement, details: AgreementDetails) -> AgreementVersion:
    """Change an agreement's details and its wording. A published version is never changed:
    the new wording goes into a new, unpublished version."""
    agreement.title = details.title
    agreement.kind = details.kind
    agreement.required = details.required
    agreement.withdrawal_note = details.withdrawal_note
    version = working_version(agreement)
    if version is None:
        number = (agreement.versions[-1].number if agreement.versions else 0) + 1
        version = AgreementVersion(agreement_id=agreement.id, number=number)
        db.session.add(version)
    update_version(version, details.summary, details.body)
    db.session.flush()
    db.session.refresh(agreement, ["versions"])
    record(
        AuditAction.AGREEMENT_CHANGED,
        panel_id=agreement.panel_id,
        detail=f"agreement {agreement.id}, version {version.number}",
    )
    return version


def update_version(version: AgreementVersion, summary: str, body: str) -> None:
    """Change an unpublished version's wording. Raises ``AgreementProblem`` for a published one."""
    if version.published_at is not None:
        raise AgreementProblem(gettext("A published version cannot be changed."))
    version.summary = summary
    version.body = body


def publish(agreement: Agreement) -> AgreementVersion:
    """Publish the working version: from now on members are asked about it, and it is fixed."""
    version = working_version(agreement)
    if version is None:
        raise AgreementProblem(gettext("There is no new version to publish."))
    if not version.body.strip() or not version.summary.strip():
        raise AgreementProblem(gettext("Write a summary and the full text before publishing."))
    version.published_at = utcnow()
    record(
        AuditAction.AGREEMENT_PUBLISHED,
        panel_id=agreement.panel_id,
        detail=f"agreement {agreement.id}, version {version.number}",
    )
    return version


# --- what a member sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class MyAgreement:
    agreement: Agreement
    version: AgreementVersion  # the newest published version
    state: ConsentState | None
    agreed_version_number: int | None

    @property
    def agreed(self) -> bool:
        return self.state is not None and self.state.agreed

    @property
    def asks_again(self) -> bool:
        """Never answered, or a new version since the last answer."""
        return self.state is None or self.state.version_id != self.version.id


def my_agreements(panel_id: int, user_id: int) -> list[MyAgreement]:
    """Every published agreement of the panel with this person's latest decision. Two queries."""
    agreements = [a for a in agreements_of(panel_id) if published_version(a) is not None]
    states = {
        state.agreement_id: state
        for state in db.session.scalars(
            select(ConsentState).where(
                ConsentState.panel_id == panel_id, ConsentState.user_id == user_id
            )
        )
    }
    shown = []
    for agreement in agreements:
        version = published_version(agreement)
        if version is None:
            continue
        state = states.get(agreement.id)
        numbers = {v.id: v.number for v in agreement.versions}
        shown.append(
            MyAgreement(
                agreement=agreement,
                version=version,
                state=state,
                agreed_version_number=numbers.get(state.version_id) if state else None,
            )
        )
    return shown


def _not_yet_agreed_required(user_id: int) -> ColumnElement[bool]:
    """A published required agreement of a panel the person is active in whose newest version
    they have not agreed to."""
    newest = (
        select(func.max(AgreementVersion.id))
        .where(
            AgreementVersion.agreement_id == Agreement.id,
            AgreementVersion.published_at.is_not(None),
        )
        # Always the agreement of the outer query, even inside the EXISTS below.
        .correlate(Agreement)
        .scalar_subquery()
    )
    agreed_newest = exists().where(
        ConsentState.agreement_id == Agreement.id,
        ConsentState.user_id == user_id,
        ConsentState.agreed.is_(True),
        ConsentState.version_id == newest,
    )
    in_panel = exists().where(
        Membership.panel_id == Agreement.panel_id,
        Membership.user_id == user_id,
        Membership.active.is_(True),
    )
    return and_(Agreement.required.is_(True), newest.is_not(None), in_panel, ~agreed_newest)


def required_to_answer(user_id: int) -> list[tuple[Panel, Agreement]]:
    """The required agreements this person still has to answer, in every panel. Two queries."""
    agreements = list(
        db.session.scalars(
            select(Agreement)
            .where(_not_yet_agreed_required(user_id))
            .order_by(Agreement.panel_id, Agreement.title, Agreement.id)
        )
    )
    panels = {m.panel_id: m.panel for m in memberships_of(user_id)} if agreements else {}
    return [(panels[a.panel_id], a) for a in agreements if a.panel_id in panels]


def has_required_to_answer(user_id: int) -> bool:
    """Does this person have a required agreement to answer? One query."""
    found = db.session.scalar(
        select(Agreement.id).where(_not_yet_agreed_required(user_id)).limit(1)
    )
    return found is not None


# --- quote consent, for the inbox, results and exports --------------------------------------


def consents_to_quote(
    panel_id: ColumnElement[int], user_id: ColumnElement[int]
) -> ColumnElement[bool]:
    """A column for queries of members' words: does the author currently consent to being
    quoted in this panel (their latest decision on a quote agreement is "I agree")?"""
    return exists().where(
        ConsentState.panel_id == panel_id,
        ConsentState.user_id == user_id,
        ConsentState.kind == AgreementKind.QUOTE,
        ConsentState.agreed.is_(True),
    )


def quote_consenting(panel_id: int, user_ids: set[int] | list[int]) -> set[int]:
    """Which of these people currently consent to being quoted in the panel. One query."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(ConsentState.user_id).where(
                ConsentState.panel_id == panel_id,
                ConsentState.user_id.in_(list(user_ids)),
                ConsentState.kind == AgreementKind.QUOTE,
                ConsentState.agreed.is_(True),
            )
        )
    )
