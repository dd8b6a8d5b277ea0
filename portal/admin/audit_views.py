"""The audit log page: what happened, who did it, when and from where, filtered and paged."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from portal.access import admin_page
from portal.admin.audit_log import AuditFilter, audit_page
from portal.admin.blueprint import bp
from portal.admin.forms import AuditFilterForm
from portal.audit.service import AuditAction
from portal.ids import page_number

# What each action is called on the page; a test checks every action has a name here.
ACTION_LABELS = {
    AuditAction.SIGN_IN: _l("Signed in"),
    AuditAction.SIGN_IN_FAILED: _l("Sign-in failed"),
    AuditAction.SIGN_OUT: _l("Signed out"),
    AuditAction.SIGN_IN_LINK_SENT: _l("Sign-in link sent"),
    AuditAction.INVITATION_SENT: _l("Invitation sent"),
    AuditAction.INVITATION_ACCEPTED: _l("Invitation accepted"),
    AuditAction.INVITATION_REVOKED: _l("Invitation cancelled"),
    AuditAction.ROLE_CHANGED: _l("Role changed"),
    AuditAction.MEMBERSHIP_ENDED: _l("Taken out of a panel"),
    AuditAction.PASSWORD_CHANGED: _l("Password changed"),
    AuditAction.PASSWORD_RESET_REQUESTED: _l("Password reset asked for"),
    AuditAction.PASSWORD_RESET: _l("Password reset"),
    AuditAction.EMAIL_CHANGE_REQUESTED: _l("Email change asked for"),
    AuditAction.EMAIL_CHANGED: _l("Email address changed"),
    AuditAction.TWO_STEP_ENABLED: _l("Two-step verification turned on"),
    AuditAction.TWO_STEP_DISABLED: _l("Two-step verification turned off"),
    AuditAction.RECOVERY_CODE_USED: _l("Recovery code used"),
    AuditAction.ACCOUNT_DEACTIVATED: _l("Account closed"),
    AuditAction.ACCOUNT_REACTIVATED: _l("Account opened again"),
    AuditAction.SESSION_ENDED: _l("Session ended"),
    AuditAction.SETTINGS_CHANGED: _l("Settings changed"),
    AuditAction.PANEL_CREATED: _l("Panel created"),
    AuditAction.PANEL_CHANGED: _l("Panel details changed"),
    AuditAction.PANEL_ARCHIVED: _l("Panel archived"),
    AuditAction.PANEL_RESTORED: _l("Panel brought back"),
    AuditAction.SITE_ADDED: _l("Site added"),
    AuditAction.SITE_RENAMED: _l("Site renamed"),
    AuditAction.SITE_REMOVED: _l("Site removed"),
    AuditAction.ADMIN_GRANTED: _l("Made an administrator"),
    AuditAction.ADMIN_REMOVED: _l("No longer an administrator"),
    AuditAction.ROUND_REMINDERS_SENT: _l("Review round reminders sent"),
    AuditAction.ROUND_RESULTS_EXPORTED: _l("Review round results downloaded"),
    AuditAction.ACCOUNT_DETAILS_CHANGED: _l("Account details changed"),
    AuditAction.TWO_STEP_FAILED: _l("Two-step code refused"),
    AuditAction.RECOVERY_CODES_REPLACED: _l("New recovery codes made"),
    AuditAction.SINGLE_SIGN_ON_LINKED: _l("Single sign-on linked"),
    AuditAction.SINGLE_SIGN_ON_REFUSED: _l("Single sign-on refused"),
    AuditAction.ROUND_OPENED: _l("Review round opened"),
    AuditAction.ROUND_DEADLINE_CHANGED: _l("Review round deadline changed"),
    AuditAction.ROUND_CLOSED: _l("Review round closed early"),
    AuditAction.MEETING_PUBLISHED: _l("Meeting published"),
    AuditAction.MEETING_CANCELLED: _l("Meeting cancelled"),
    AuditAction.INVOLVEMENT_RATE_SET: _l("Payment rate set"),
    AuditAction.INVOLVEMENT_SETTINGS_CHANGED: _l("Payment settings changed"),
    AuditAction.INVOLVEMENT_ENTRY_ADDED: _l("Involvement added by hand"),
    AuditAction.INVOLVEMENT_ENTRY_CORRECTED: _l("Involvement corrected"),
    AuditAction.INVOLVEMENT_ENTRY_REMOVED: _l("Involvement removed"),
    AuditAction.INVOLVEMENT_ENTRIES_APPROVED: _l("Involvement approved for payment"),
    AuditAction.INVOLVEMENT_PAYMENT_DECLINED: _l("A payment declined by the member"),
    AuditAction.INVOLVEMENT_CHOICE_CHANGED: _l("Payment choice changed"),
    AuditAction.INVOLVEMENT_FEES_ELIGIBILITY: _l("Fees eligibility changed"),
    AuditAction.EXPENSE_CLAIMED: _l("Expense claimed"),
    AuditAction.EXPENSE_APPROVED: _l("Expense approved"),
    AuditAction.EXPENSE_QUERIED: _l("Expense queried"),
    AuditAction.PAYMENT_BATCH_CREATED: _l("Payment batch made"),
    AuditAction.PAYMENT_BATCH_CHANGED: _l("Payment batch changed"),
    AuditAction.PAYMENT_BATCH_PAID: _l("Payment batch marked paid"),
    AuditAction.INVOLVEMENT_EXPORTED: _l("Involvement downloaded"),
    AuditAction.ORGANISATION_DETAILS_CHANGED: _l("Organisation details changed"),
    AuditAction.AGREEMENT_CHANGED: _l("Agreement written or changed"),
    AuditAction.AGREEMENT_PUBLISHED: _l("Agreement version published"),
    AuditAction.AGREEMENT_DECIDED: _l("Agreement agreed, declined or withdrawn"),
    AuditAction.DATA_EXPORT_REQUESTED: _l("Copy of someone's data asked for"),
    AuditAction.DATA_EXPORT_DOWNLOADED: _l("Copy of someone's data downloaded"),
    AuditAction.ERASURE_REQUESTED: _l("Erasure asked for"),
    AuditAction.PERSON_ERASED: _l("Person erased"),
    AuditAction.RETENTION_CHANGED: _l("Retention periods changed"),
    AuditAction.RETENTION_APPLIED: _l("Retention period applied"),
    AuditAction.INVOLVEMENT_PAUSED: _l("Involvement paused"),
    AuditAction.INVOLVEMENT_RESUMED: _l("Involvement resumed"),
    AuditAction.CONTACT_REQUESTED: _l("Asked to be contacted"),
    AuditAction.CONTACT_REQUEST_CHANGED: _l("Contact request updated"),
    AuditAction.PANEL_CONTACTS_CHANGED: _l("Panel support contacts changed"),
    AuditAction.QUOTED_IN_REPORT: _l("Marked as quoted in a report"),
}


def action_label(action: str) -> str:
    try:
        return str(ACTION_LABELS.get(AuditAction(action), action))
    except ValueError:
        return action


@bp.get("/admin/audit")
@admin_page
def audit_log() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", _l("Anything"))] + [
        SelectChoice(action.value, action_label(action.value)) for action in AuditAction
    ]
    valid = form.validate() if request.args else True
    criteria = AuditFilter()
    if valid:
        criteria = AuditFilter(
            action=form.action.data or "",
            person=form.person.data or "",
            start=form.start.data,
            end=form.end.data,
        )
    page = audit_page(criteria, request.args.get("page", 1, type=page_number) or 1)
    filters = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "admin/audit_log.html",
        form=form,
        found=page,
        filters=filters,
        action_label=action_label,
        valid=valid,
    )
