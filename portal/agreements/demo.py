"""The demo study's agreements: consent to be quoted and to be filmed, both optional, with two
demo members already agreeing to be quoted, so quote consent shows in the inbox and results."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import User
from portal.agreements import ledger, service
from portal.agreements.models import Agreement, AgreementKind, Decision
from portal.extensions import db
from portal.panels.models import Panel

QUOTE = service.AgreementDetails(
    title="Consent to quote what I say",
    kind=AgreementKind.QUOTE,
    required=False,
    summary="The study team may quote what you say in reports and talks. "
    "A quote is shown with your panel code, such as LEAP-03, or with nothing at all. "
    "**Never** with your name.",
    body="We would like to use your own words when we write about what the panel found, "
    "because your words say it best.\n\n"
    "- We may quote what you write on the portal and what you say in meetings.\n"
    "- A quote never has your name. It may have your panel code, or nothing.\n"
    "- We will leave out anything that could tell people who you are.\n\n"
    'You can change your mind at any time from "What I agreed to".',
    withdrawal_note="We will not use any more of your words. Reports that are already "
    "published cannot be changed.",
)

FILMING = service.AgreementDetails(
    title="Consent to be recorded or filmed",
    kind=AgreementKind.RECORDING,
    required=False,
    summary="The study may make short videos in which members read quotes aloud. "
    "You choose whether you would like to take part.",
    body="Some members read quotes for short videos that help staff understand what "
    "the panel said. The videos may be shown at training events and online.\n\n"
    "You can say no, and you can change your mind before a video is published.",
    withdrawal_note="Videos already published cannot be recalled, but we will not make new "
    "ones with you.",
)


def load_agreements_demo(panel: Panel, people: dict[str, User]) -> None:
    """Add the demo agreements once; nothing is emailed."""
    if db.session.scalar(select(Agreement.id).where(Agreement.panel_id == panel.id).limit(1)):
        return
    quote = service.create_agreement(panel.id, QUOTE)
    version = service.publish(quote)
    for email in ("member2@demo.invalid", "member3@demo.invalid"):
        ledger.decide(quote, version, people[email].id, Decision.AGREED)
    service.publish(service.create_agreement(panel.id, FILMING))
