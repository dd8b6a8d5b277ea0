"""The demo study: a panel modelled on a four-site experience-based codesign study."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.service import create_user, find_user_by_email
from portal.core import service as core_service
from portal.core.service import SupportContactDetails
from portal.extensions import db
from portal.panels.models import Membership, Panel, Role, Site
from portal.panels.service import next_pseudonym_code

DEMO_PASSWORD = "demo panel password 2026"  # noqa: S105  (demo only; never set in production)
PANEL_NAME = "Ethnic inequalities codesign study LEAP"
SITES = ("Coventry and Warwickshire", "Greater Manchester", "East London", "Sheffield")


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: Role | None
    is_admin: bool = False


PEOPLE = (
    DemoPerson("admin@demo.invalid", "Demo administrator", None, is_admin=True),
    DemoPerson("chair@demo.invalid", "Demo chair", Role.CHAIR),
    DemoPerson("researcher@demo.invalid", "Demo researcher", Role.RESEARCHER),
    DemoPerson("researcher2@demo.invalid", "Second demo researcher", Role.RESEARCHER),
    DemoPerson("member1@demo.invalid", "Demo member 1", Role.MEMBER),
    DemoPerson("member2@demo.invalid", "Demo member 2", Role.MEMBER),
    DemoPerson("member3@demo.invalid", "Demo member 3", Role.MEMBER),
    DemoPerson("member4@demo.invalid", "Demo member 4", Role.MEMBER),
    DemoPerson("member5@demo.invalid", "Demo member 5", Role.MEMBER),
    DemoPerson("member6@demo.invalid", "Demo member 6", Role.MEMBER),
)

SUPPORT = (
    SupportContactDetails(
        name="Your LEAP coordinator",
        description="Talk to the study team about anything that worried or upset you in a "
        "meeting or a document. You do not have to say why.",
        email="leap-coordinator@demo.invalid",
        hours="Monday to Friday, 9am to 5pm",
    ),
    SupportContactDetails(
        name="Your GP or care team",
        description="If you are finding things hard, your GP or care team can help.",
    ),
)


def _panel() -> Panel:
    panel = db.session.scalar(select(Panel).where(Panel.name == PANEL_NAME))
    if panel is None:
        panel = Panel(
            name=PANEL_NAME,
            study_name="Reducing ethnic inequalities in mental health services: "
            "experience-based codesign across four sites",
            description="The panel acts as a critical friend to the study team on ethical, "
            "recruitment, procedural and acceptability questions.",
        )
        db.session.add(panel)
        db.session.flush()
    existing = set(db.session.scalars(select(Site.name).where(Site.panel_id == panel.id)))
    for name in SITES:
        if name not in existing:
            db.session.add(Site(panel_id=panel.id, name=name))
    return panel


def _person(panel: Panel, person: DemoPerson, password: str | None) -> User:
    user = find_user_by_email(person.email)
    if user is None:
        user = create_user(person.email, person.name, password, is_admin=person.is_admin)
    if person.role is not None:
        membership = db.session.scalar(
            select(Membership).where(Membership.panel_id == panel.id, Membership.user_id == user.id)
        )
        if membership is None:
            db.session.add(
                Membership(
                    panel_id=panel.id,
                    user_id=user.id,
                    role=person.role,
                    pseudonym_code=next_pseudonym_code(panel),
                )
            )
    return user


def load_demo() -> str:
    """Create the demo study, or complete it if part exists. Returns how to sign in."""
    production = current_app.config["ENV"] == "production"
    password = None if production else DEMO_PASSWORD
    panel = _panel()
    for person in PEOPLE:
        _person(panel, person, password)
    if not core_service.support_contacts():
        core_service.replace_support_contacts(SUPPORT)
    db.session.commit()

    lines = [f"Demo study ready: {PANEL_NAME}", ""]
    for person in PEOPLE:
        role = "administrator" if person.is_admin else person.role.value  # type: ignore[union-attr]
        lines.append(f"  {role:<14} {person.email}")
    if production:
        lines += ["", "Demo accounts have no password in production."]
    else:
        lines += ["", f"Every demo account's password is: {DEMO_PASSWORD}"]
    return "\n".join(lines)
