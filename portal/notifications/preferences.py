"""What reaches a person: their own choice per kind, else their panel's default, else email at
once; and the one rule that decides whether an optional message may reach them at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.kinds import (
    DEFAULT_DELIVERY,
    OPTIONAL_KINDS,
    RULES,
    Delivery,
    Kind,
    kind_from,
)
from portal.notifications.models import ContactSettings, NotificationChoice, PanelDefault
from portal.panels.service import is_paused_in

# A member who asked for a phone call instead of reminders (the account's contact choice).
PHONE_INSTEAD = "phone"


@dataclass(frozen=True)
class Route:
    """How one message of a kind goes to one person."""

    delivery: Delivery
    by_text: bool


def may_reach(person: User, panel_id: int | None, kind: Kind, now: datetime) -> bool:
    """May an optional message of ``kind`` about ``panel_id`` reach ``person`` now?

    The only place that answers this: ``tell`` asks it before queueing an optional message, the
    digest job asks again before sending what was saved up, and the text worker before sending a
    text that waited for quiet hours. Transactional kinds never ask.
    """
    if RULES[kind].transactional:
        return True
    if not person.is_active_account:
        return False
    # A member who paused their involvement in this panel gets no optional message about it
    # (invitations, reminders, questionnaires) until the pause ends or they come back; answers
    # to what they said or sent still reach them.
    if panel_id is None or RULES[kind].while_paused:
        return True
    return not is_paused_in(panel_id, person.id, now)


def contact_settings(user_id: int) -> ContactSettings:
    """The person's contact settings, made (not yet saved) with the defaults if they have none."""
    found = db.session.get(ContactSettings, user_id)
    return (
        found
        if found is not None
        else ContactSettings(user_id=user_id, mobile="", weekly_day=0, quiet_from=21, quiet_until=8)
    )


def own_choices(user_id: int) -> dict[Kind, NotificationChoice]:
    rows = db.session.scalars(
        select(NotificationChoice).where(NotificationChoice.user_id == user_id)
    )
    return {kind: row for row in rows if (kind := kind_from(row.kind)) is not None}


def panel_defaults(panel_id: int) -> dict[Kind, Route]:
    rows = db.session.scalars(select(PanelDefault).where(PanelDefault.panel_id == panel_id))
    return {
        kind: Route(row.delivery, row.by_text)
        for row in rows
        if (kind := kind_from(row.kind)) is not None
    }


def route_for(person: User, kind: Kind, panel_id: int | None) -> Route:
    """How a message of ``kind`` goes to ``person``: transactional kinds always by email at once."""
    if RULES[kind].transactional:
        return Route(Delivery.NOW, False)
    own = db.session.scalar(
        select(NotificationChoice).where(
            NotificationChoice.user_id == person.id, NotificationChoice.kind == kind.value
        )
    )
    if own is not None:
        route = Route(own.delivery, own.by_text)
    elif panel_id is not None:
        route = panel_defaults(panel_id).get(kind, Route(DEFAULT_DELIVERY, False))
    else:
        route = Route(DEFAULT_DELIVERY, False)
    if not RULES[kind].text_allowed:
        route = Route(route.delivery, False)
    return route


def save_choices(user_id: int, choices: dict[Kind, Route]) -> None:
    """Keep the person's choice for each optional kind given; the caller commits."""
    existing = own_choices(user_id)
    for kind, route in choices.items():
        if RULES[kind].transactional:
            continue
        by_text = route.by_text and RULES[kind].text_allowed
        row = existing.get(kind)
        if row is None:
            db.session.add(
                NotificationChoice(
                    user_id=user_id, kind=kind.value, delivery=route.delivery, by_text=by_text
                )
            )
        else:
            row.delivery = route.delivery
            row.by_text = by_text


def save_panel_defaults(panel_id: int, defaults: dict[Kind, Route]) -> None:
    """Set the panel's default for each optional kind given; the caller commits."""
    rows = {
        row.kind: row
        for row in db.session.scalars(select(PanelDefault).where(PanelDefault.panel_id == panel_id))
    }
    for kind, route in defaults.items():
        if kind not in OPTIONAL_KINDS:
            continue
        by_text = route.by_text and RULES[kind].text_allowed
        row = rows.get(kind.value)
        if row is None:
            db.session.add(
                PanelDefault(
                    panel_id=panel_id, kind=kind.value, delivery=route.delivery, by_text=by_text
                )
            )
        else:
            row.delivery = route.delivery
            row.by_text = by_text


def effective_choices(
    person: User, panel_id: int | None, own: dict[Kind, NotificationChoice] | None = None
) -> dict[Kind, Route]:
    """Every optional kind and how it reaches the person, for the settings page."""
    own = own_choices(person.id) if own is None else own
    defaults = panel_defaults(panel_id) if panel_id is not None else {}
    result = {}
    for kind in OPTIONAL_KINDS:
        if kind in own:
            route = Route(own[kind].delivery, own[kind].by_text)
        else:
            route = defaults.get(kind, Route(DEFAULT_DELIVERY, False))
        result[kind] = Route(route.delivery, route.by_text and RULES[kind].text_allowed)
    return result


def save_contact(
    user_id: int, mobile: str, weekly_day: int, quiet_from: int, quiet_until: int
) -> ContactSettings:
    """Keep the person's mobile number (E.164 or empty), weekly day and quiet hours; a new
    number clears the note that texts to the old one failed. The caller commits."""
    settings = db.session.get(ContactSettings, user_id)
    if settings is None:
        settings = ContactSettings(user_id=user_id)
        db.session.add(settings)
    if settings.mobile != mobile:
        settings.mobile_failed_at = None
    settings.mobile = mobile
    settings.weekly_day = weekly_day % 7
    settings.quiet_from = quiet_from % 24
    settings.quiet_until = quiet_until % 24
    return settings


def unsubscribe(user_id: int, kind: Kind, delivery: Delivery) -> Delivery | None:
    """Set how ``kind`` reaches the person by email, keeping their text choice; returns what it
    was before (None: the person no longer exists). The caller commits."""
    person = db.session.get(User, user_id)
    if person is None or RULES[kind].transactional:
        return None
    before = route_for(person, kind, None)
    save_choices(user_id, {kind: Route(delivery, before.by_text)})
    return before.delivery


def summary_for(person: User) -> str:
    """One line for the account page: how messages reach the person, and any failing number."""
    from flask_babel import gettext

    settings = contact_settings(person.id)
    choices = list(own_choices(person.id).values())
    if settings.mobile and settings.mobile_failed_at is not None:
        return gettext(
            "Texts to %(number)s are not being delivered: check your number", number=settings.mobile
        )
    parts = []
    if any(choice.delivery in (Delivery.DAILY, Delivery.WEEKLY) for choice in choices):
        parts.append(gettext("Some emails saved up in a summary"))
    elif choices and all(choice.delivery is Delivery.OFF for choice in choices):
        parts.append(gettext("Only emails about your account"))
    else:
        parts.append(gettext("By email"))
    if settings.mobile and any(choice.by_text for choice in choices):
        parts.append(gettext("texts to %(number)s", number=settings.mobile))
    return ", ".join(parts)
