"""Organisation-wide content: the support contacts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select, text

from portal.core.models import SupportContact
from portal.extensions import db


@dataclass(frozen=True)
class SupportContactDetails:
    name: str
    description: str = ""
    phone: str = ""
    text_number: str = ""
    email: str = ""
    website: str = ""
    hours: str = ""


def support_contacts() -> list[SupportContact]:
    """The support contacts, in the order the administrator set."""
    return list(db.session.scalars(select(SupportContact).order_by(SupportContact.position)))


def replace_support_contacts(contacts: Iterable[SupportContactDetails]) -> None:
    """Make ``contacts`` the whole list of support contacts, in the given order."""
    db.session.execute(delete(SupportContact))
    for position, details in enumerate(contacts):
        db.session.add(SupportContact(position=position, **details.__dict__))


def check_database() -> None:
    db.session.execute(text("SELECT 1"))
