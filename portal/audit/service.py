"""Recording audit events, in the same transaction as the change they describe."""

from __future__ import annotations

import enum
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from portal.audit.models import AuditEvent
from portal.extensions import db


class AuditAction(enum.StrEnum):
    """Everything the audit log records. Add new actions here, never free text."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    SIGN_IN_LINK_SENT = "sign_in_link_sent"
    INVITATION_SENT = "invitation_sent"
    INVITATION_ACCEPTED = "invitation_accepted"
    INVITATION_REVOKED = "invitation_revoked"
    ROLE_CHANGED = "role_changed"
    MEMBERSHIP_ENDED = "membership_ended"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET_REQUESTED = "password_reset_requested"
    PASSWORD_RESET = "password_reset"
    EMAIL_CHANGE_REQUESTED = "email_change_requested"
    EMAIL_CHANGED = "email_changed"
    TWO_STEP_ENABLED = "two_step_enabled"
    TWO_STEP_DISABLED = "two_step_disabled"
    RECOVERY_CODE_USED = "recovery_code_used"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    SESSION_ENDED = "session_ended"
    SETTINGS_CHANGED = "settings_changed"
    ROUND_REMINDERS_SENT = "round_reminders_sent"
    ROUND_RESULTS_EXPORTED = "round_results_exported"
    PANEL_CREATED = "panel_created"
    PANEL_CHANGED = "panel_changed"
    PANEL_ARCHIVED = "panel_archived"
    PANEL_RESTORED = "panel_restored"
    SITE_ADDED = "site_added"
    SITE_RENAMED = "site_renamed"
    SITE_REMOVED = "site_removed"
    ADMIN_GRANTED = "admin_granted"
    ADMIN_REMOVED = "admin_removed"
    ACCOUNT_DETAILS_CHANGED = "account_details_changed"
    TWO_STEP_FAILED = "two_step_failed"
    RECOVERY_CODES_REPLACED = "recovery_codes_replaced"
    SINGLE_SIGN_ON_LINKED = "single_sign_on_linked"
    SINGLE_SIGN_ON_REFUSED = "single_sign_on_refused"
    ROUND_OPENED = "round_opened"
    ROUND_DEADLINE_CHANGED = "round_deadline_changed"
    ROUND_CLOSED = "round_closed"
    MEETING_PUBLISHED = "meeting_published"
    MEETING_CANCELLED = "meeting_cancelled"
    INVOLVEMENT_RATE_SET = "involvement_rate_set"
    INVOLVEMENT_SETTINGS_CHANGED = "involvement_settings_changed"
    INVOLVEMENT_ENTRY_ADDED = "involvement_entry_added"
    INVOLVEMENT_ENTRY_CORRECTED = "involvement_entry_corrected"
    INVOLVEMENT_ENTRY_REMOVED = "involvement_entry_removed"
    INVOLVEMENT_ENTRIES_APPROVED = "involvement_entries_approved"
    INVOLVEMENT_PAYMENT_DECLINED = "involvement_payment_declined"
    INVOLVEMENT_CHOICE_CHANGED = "involvement_choice_changed"
    INVOLVEMENT_FEES_ELIGIBILITY = "involvement_fees_eligibility"
    EXPENSE_CLAIMED = "expense_claimed"
    EXPENSE_APPROVED = "expense_approved"
    EXPENSE_QUERIED = "expense_queried"
    PAYMENT_BATCH_CREATED = "payment_batch_created"
    PAYMENT_BATCH_CHANGED = "payment_batch_changed"
    PAYMENT_BATCH_PAID = "payment_batch_paid"
    INVOLVEMENT_EXPORTED = "involvement_exported"
    ORGANISATION_DETAILS_CHANGED = "organisation_details_changed"
    AGREEMENT_CHANGED = "agreement_changed"
    AGREEMENT_PUBLISHED = "agreement_published"
    AGREEMENT_DECIDED = "agreement_decided"
    DATA_EXPORT_REQUESTED = "data_export_requested"
    DATA_EXPORT_DOWNLOADED = "data_export_downloaded"
    ERASURE_REQUESTED = "erasure_requested"
    PERSON_ERASED = "person_erased"
    RETENTION_CHANGED = "retention_changed"
    RETENTION_APPLIED = "retention_applied"
    INVOLVEMENT_PAUSED = "involvement_paused"
    INVOLVEMENT_RESUMED = "involvement_resumed"
    CONTACT_REQUESTED = "contact_requested"
    CONTACT_REQUEST_CHANGED = "contact_request_changed"
    PANEL_CONTACTS_CHANGED = "panel_contacts_changed"
    QUOTED_IN_REPORT = "quoted_in_report"


@dataclass(frozen=True)
class Actor:
    """Who did something and from where: a person (None for the portal itself, such as the
    worker) and the client address ("" when there is none)."""

    user_id: int | None
    address: str = ""


SYSTEM = Actor(user_id=None)

# Who is acting, asked only when an event is recorded. The request layer sets it for each
# request (``portal.request_scope``: the signed-in person and their address); the worker and
# commands leave it unset, so their events are the system's unless they pass an actor.
acting: ContextVar[Callable[[], Actor] | None] = ContextVar("acting", default=None)


def record(
    action: AuditAction,
    *,
    subject_user_id: int | None = None,
    panel_id: int | None = None,
    detail: str = "",
    actor_id: int | None = None,
    actor: Actor | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction; it commits with the change it records
    (with the request, or when the worker or command commits).

    The event is ``actor``'s, else whoever is ``acting``; ``actor_id`` names the person when
    they are not the one signed in (such as someone just signing in). ``detail`` is for facts
    an administrator needs ("role: member to chair", "method: email link"): never a password,
    a token, an email body or anything a member wrote.
    """
    if actor is None:
        source = acting.get()
        actor = source() if source is not None else SYSTEM
    if actor_id is not None:
        actor = Actor(user_id=actor_id, address=actor.address)
    address = actor.address
    event = AuditEvent(
        action=action.value,
        actor_id=actor.user_id,
        subject_user_id=subject_user_id,
        panel_id=panel_id,
        client_address=address[:64],
        detail=detail[:300],
    )
    db.session.add(event)
    return event
