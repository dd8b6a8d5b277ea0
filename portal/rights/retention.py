"""Retention: how long each panel's data is kept once the panel is archived.

Two kinds of data are kept apart. The research record (what members said for the study) is
kept for the period the study protocol sets, then pseudonymised or deleted. The involvement
administration (meeting access notes, requests to be contacted, the panel's support contacts,
and payment references once involvement exists) is deleted once it is no longer needed. Both
periods count from the day the panel was archived. The worker warns administrators 30 days
before either is due, then acts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, has_app_context
from sqlalchemy import delete, select, update

from portal.accounts.models import User
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.feedback.models import Comment, FeedbackEntry
from portal.links import portal_url
from portal.meetings.models import Meeting, Rsvp
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.panels.models import Membership, Panel
from portal.questionnaires.models import Questionnaire, Submission
from portal.rights.models import PanelContact, ResearchAction, RetentionPolicy, SupportRequest
from portal.rounds.counts import forget_checks
from portal.rounds.models import OmissionCheck, ReviewRound
from portal.text import plain_later

WARN_DAYS = 30
DAYS_PER_MONTH = 30.44  # months count as calendar averages: close enough for periods of years


@dataclass(frozen=True)
class RetentionDetails:
    research_months: int
    research_action: ResearchAction
    admin_months: int


def policy_of(panel_id: int) -> RetentionPolicy:
    """The panel's retention policy (the defaults until someone sets one; not yet saved)."""
    found = db.session.scalar(select(RetentionPolicy).where(RetentionPolicy.panel_id == panel_id))
    return found or RetentionPolicy(
        panel_id=panel_id,
        research_months=120,
        research_action=ResearchAction.PSEUDONYMISE,
        admin_months=12,
    )


def set_policy(panel_id: int, details: RetentionDetails) -> RetentionPolicy:
    policy = policy_of(panel_id)
    if policy.id is None:
        db.session.add(policy)
    policy.research_months = details.research_months
    policy.research_action = details.research_action
    policy.admin_months = details.admin_months
    # A changed period is warned about afresh.
    policy.research_warned_at = None
    policy.admin_warned_at = None
    record(
        AuditAction.RETENTION_CHANGED,
        panel_id=panel_id,
        detail=f"research {details.research_months} months ({details.research_action.value}), "
        f"administration {details.admin_months} months",
    )
    return policy


def due_at(archived_at: datetime | None, months: int) -> datetime | None:
    if archived_at is None:
        return None
    return archived_at + timedelta(days=round(months * DAYS_PER_MONTH))


def forget_involvement_administration(panel_id: int) -> None:
    """Delete the panel's involvement administration, payment references included (the
    payments themselves stay: a finance record)."""
    from portal.involvement.batches import forget_references

    forget_references(panel_id)
    meetings = select(Meeting.id).where(Meeting.panel_id == panel_id)
    # A bulk update skips ``keep_html``: the notes' stored HTML is cleared with them.
    db.session.execute(
        update(Rsvp)
        .where(Rsvp.meeting_id.in_(meetings))
        .values(access_note="", access_note_html="")
    )
    db.session.execute(delete(SupportRequest).where(SupportRequest.panel_id == panel_id))
    db.session.execute(delete(PanelContact).where(PanelContact.panel_id == panel_id))


def end_research_record(panel_id: int, action: ResearchAction) -> int:
    """Pseudonymise or delete the panel's research record. Pseudonymising erases every member
    whose only panels are finished with (their words stay under panel codes); deleting removes
    the words as well. Returns how many people were erased."""
    from portal.rights.erasure import erase, is_erased

    if action is ResearchAction.DELETE:
        rounds = select(ReviewRound.id).where(ReviewRound.panel_id == panel_id)
        questionnaires = select(Questionnaire.id).where(Questionnaire.panel_id == panel_id)
        db.session.execute(delete(FeedbackEntry).where(FeedbackEntry.panel_id == panel_id))
        db.session.execute(delete(Comment).where(Comment.panel_id == panel_id))
        forget_checks(OmissionCheck.round_id.in_(rounds))
        db.session.execute(delete(OmissionCheck).where(OmissionCheck.round_id.in_(rounds)))
        db.session.execute(
            delete(Submission).where(Submission.questionnaire_id.in_(questionnaires))
        )
    erased = 0
    people = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.panel_id == panel_id, User.is_admin.is_(False))
    ).all()
    for person in people:
        still_needed = db.session.scalar(
            select(Membership.id)
            .join(Panel, Panel.id == Membership.panel_id)
            .where(
                Membership.user_id == person.id,
                Membership.panel_id != panel_id,
                Panel.archived_at.is_(None),
            )
            .limit(1)
        )
        if still_needed is None and not is_erased(person):
            erase(person, delete_words=False)
            erased += 1
    return erased


def tell_retention_due(admin: User, panel: Panel, part: str, due: datetime) -> None:
    """Email: a retention period ends in 30 days (``Kind.TEAM_REQUEST``, always sent)."""
    tell(
        admin,
        Kind.TEAM_REQUEST,
        subject=plain_later("Data of %(panel)s is due to be removed", panel=panel.name),
        template="retention_warning",
        panel_id=panel.id,
        dedupe_key=f"retention:{panel.id}:{part}:{due.date().isoformat()}:{admin.id}",
        name=admin.display_name,
        panel=panel,
        part=part,
        due=due,
        link=portal_url("rights.retention_settings", panel_id=panel.id),
    )


def apply_due(app: Flask, now: datetime | None = None) -> int:
    """Worker job: warn 30 days before each period ends, then act. Returns how many acts."""
    if not has_app_context():
        with app.app_context():
            return apply_due(app, now)
    moment = now or utcnow()
    acted = 0
    panels = db.session.scalars(select(Panel).where(Panel.archived_at.is_not(None))).all()
    admins = db.session.scalars(
        select(User).where(User.is_admin.is_(True), User.is_active_account.is_(True))
    ).all()
    for panel in panels:
        policy = policy_of(panel.id)
        if policy.id is None:
            db.session.add(policy)
        for part, months in (
            ("administration", policy.admin_months),
            ("research", policy.research_months),
        ):
            due = due_at(panel.archived_at, months)
            if due is None:
                continue
            done = policy.admin_done_at if part == "administration" else policy.research_done_at
            warned = (
                policy.admin_warned_at if part == "administration" else policy.research_warned_at
            )
            if done is not None:
                continue
            if moment >= due:
                if part == "administration":
                    forget_involvement_administration(panel.id)
                    policy.admin_done_at = moment
                else:
                    end_research_record(panel.id, policy.research_action)
                    policy.research_done_at = moment
                record(AuditAction.RETENTION_APPLIED, panel_id=panel.id, detail=part)
                acted += 1
            elif warned is None and moment >= due - timedelta(days=WARN_DAYS):
                for admin in admins:
                    tell_retention_due(admin, panel, part, due)
                if part == "administration":
                    policy.admin_warned_at = moment
                else:
                    policy.research_warned_at = moment
        db.session.commit()
    db.session.commit()  # ends the job's reads too: an open one would hold SQLite's lock
    return acted
