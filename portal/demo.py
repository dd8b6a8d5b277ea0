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


THEMES = {
    "Greater involvement of lived experience": (
        "Involve people with lived experience in planning services",
        "Pay people with lived experience fairly for their time and expertise.",
    ),
    "Staff diversity across roles": (
        "Recruit staff who reflect the communities the service works with",
        "Look at every role, including senior roles, not only front-line jobs.",
    ),
    "Training on ethnicity and cultures": (
        "Training for all staff on ethnicity and cultures",
        "Co-produce the training with local communities and repeat it every year.",
    ),
    "Open discussion of racism, ethnicity and culture": (
        "Make it safe to talk about racism, ethnicity and culture",
        "Ask about experiences of discrimination in assessments, in a sensitive way.",
    ),
    "Reducing preconceptions and discrimination": (
        "Check decisions for bias",
        "Review the use of restraint and detention by ethnicity every three months.",
    ),
    "Reaching out to communities": (
        "Reach out to communities through trusted places",
        "Work with faith groups, community centres and local radio.",
    ),
    "Working with schools": (
        "Work with schools on mental health",
        "Help young people and parents know where to go for help early.",
    ),
    "Peer support": (
        "Peer support workers in every team",
        "Peer workers from minority ethnic groups, with supervision and a career path.",
    ),
}
# Each site's list draws on the study's themes; sites chose different priorities.
SITE_THEMES = {
    "Coventry and Warwickshire": (0, 2, 5, 7),
    "Greater Manchester": (1, 3, 4, 6),
    "East London": (0, 1, 2, 3, 5, 7),
    "Sheffield": (2, 4, 6, 7),
}
ROUND_SITE = "East London"


def _priority_lists(panel: Panel, researcher: User) -> None:
    from datetime import timedelta

    from portal.db import utcnow
    from portal.drafts.models import Draft, DraftKind
    from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
    from portal.rounds.models import ReviewRound

    sites = {
        site.name: site
        for site in db.session.scalars(select(Site).where(Site.panel_id == panel.id))
    }
    themes = list(THEMES.items())
    for site_name, chosen in SITE_THEMES.items():
        title = f"{site_name}: priority actions"
        if db.session.scalar(
            select(Draft.id).where(Draft.panel_id == panel.id, Draft.title == title)
        ):
            continue
        draft = create_draft(
            panel.id,
            DraftDetails(
                kind=DraftKind.PRIORITY_ACTIONS,
                title=title,
                site_id=sites[site_name].id,
                source="Codesign workshops: service users, carers and staff",
                summary="These are the actions people at the workshops said matter most. "
                "Tell us if they match your experience, and what is **missing**.",
                content_note="Some actions talk about racism, discrimination and being detained.",
            ),
            researcher.id,
        )
        for index in chosen:
            theme, (action, description) = themes[index]
            add_item(
                draft,
                ItemDetails(title=action, description=description, theme=theme),
                draft.lock_version,
            )
        version = publish(draft, researcher.id, draft.lock_version)
        if site_name == ROUND_SITE:
            db.session.add(
                ReviewRound(
                    panel_id=panel.id,
                    version_id=version.id,
                    instructions="Please read each action and tell us if it matches your "
                    "experience. Take your time; you can save and come back.",
                    # Opened a few days ago: most demo members have answered already.
                    opened_at=utcnow() - timedelta(days=3),
                    closes_at=utcnow() + timedelta(days=14),
                    opened_by_id=researcher.id,
                )
            )


def load_demo() -> str:
    """Create the demo study, or complete it if part exists. Returns how to sign in."""
    production = current_app.config["ENV"] == "production"
    password = None if production else DEMO_PASSWORD
    panel = _panel()
    people = {person.email: _person(panel, person, password) for person in PEOPLE}
    db.session.flush()
    _priority_lists(panel, people["researcher@demo.invalid"])
    from portal.agreements.demo import load_agreements_demo
    from portal.feedback.demo import load_feedback_demo
    from portal.involvement.demo import load_involvement_demo
    from portal.meetings.demo import load_meetings_demo
    from portal.questionnaires.demo import load_questionnaires_demo
    from portal.rounds.demo import load_rounds_demo

    load_rounds_demo(panel, people, f"{ROUND_SITE}: priority actions")
    load_feedback_demo(panel, people, f"{ROUND_SITE}: priority actions")
    load_meetings_demo(panel, people)
    load_questionnaires_demo(panel, people)
    load_involvement_demo(panel, people)
    load_agreements_demo(panel, people)
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
