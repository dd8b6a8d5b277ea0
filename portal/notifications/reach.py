"""Whether messages reach each member, for the team's members page: enough for the chair to know
whom to phone, without showing anyone's choices in detail."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.kinds import DEFAULT_DELIVERY, OPTIONAL_KINDS, RULES, Delivery, Kind
from portal.notifications.models import (
    ContactSettings,
    MailStatus,
    NotificationChoice,
    OutboxMessage,
    PanelDefault,
)

EMAIL_BOUNCED = _l("Emails are not being delivered")
TEXT_FAILED = _l("Texts are not being delivered")
ALL_OFF = _l("Has turned off all optional messages")


def reach_of(panel_id: int, people: Sequence[User]) -> dict[int, list[LazyString]]:
    """For each person, what stops messages reaching them (empty: they reach them). Four
    queries, however many people."""
    ids = [person.id for person in people]
    if not ids:
        return {}
    addresses = {person.email: person.id for person in people}
    failed_at = func.max(
        case(
            (
                (OutboxMessage.status == MailStatus.FAILED)
                & (OutboxMessage.last_error != "InvalidMessage"),
                OutboxMessage.created_at,
            )
        )
    )
    delivered_at = func.max(OutboxMessage.sent_at)
    bounced = {
        addresses[address]
        for address, failed, delivered in db.session.execute(
            select(OutboxMessage.to_address, failed_at, delivered_at)
            .where(OutboxMessage.to_address.in_(list(addresses)))
            .group_by(OutboxMessage.to_address)
        )
        if failed is not None and (delivered is None or failed > delivered)
    }
    text_failed = set(
        db.session.scalars(
            select(ContactSettings.user_id).where(
                ContactSettings.user_id.in_(ids),
                ContactSettings.mobile != "",
                ContactSettings.mobile_failed_at.is_not(None),
            )
        )
    )
    own: dict[int, dict[str, tuple[Delivery, bool]]] = {}
    for choice in db.session.scalars(
        select(NotificationChoice).where(NotificationChoice.user_id.in_(ids))
    ):
        own.setdefault(choice.user_id, {})[choice.kind] = (choice.delivery, choice.by_text)
    defaults = {
        row.kind: (row.delivery, row.by_text)
        for row in db.session.scalars(select(PanelDefault).where(PanelDefault.panel_id == panel_id))
    }
    member_kinds: list[Kind] = [kind for kind in OPTIONAL_KINDS if not RULES[kind].team_only]
    result: dict[int, list[LazyString]] = {}
    for person in people:
        problems: list[LazyString] = []
        if person.id in bounced:
            problems.append(EMAIL_BOUNCED)
        if person.id in text_failed:
            problems.append(TEXT_FAILED)
        choices = own.get(person.id, {})
        if all(
            choices.get(kind.value, defaults.get(kind.value, (DEFAULT_DELIVERY, False)))
            == (Delivery.OFF, False)
            for kind in member_kinds
        ):
            problems.append(ALL_OFF)
        result[person.id] = problems
    return result
