"""The access policy: who may open which page and do what. The only place this is decided.

Two layers, both here:

* ``ENDPOINT_RULES`` gives every endpoint a rule, enforced before any view runs. An endpoint with
  no rule is refused (and a test fails), so a new route cannot be forgotten.
* ``can(action, panel_id)`` answers whether the signed-in person may take an action in a panel.
  Views call it before acting and templates call it before offering the action.

Panel pages answer 404 to anyone who is not in the panel, so nobody learns that it exists; they
answer 403 to members whose role may not do the thing.
"""

from __future__ import annotations

import enum
from typing import TypeVar

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.panels.models import Membership, Role
from portal.panels.service import active_membership

T = TypeVar("T")


class Rule(enum.Enum):
    """Who may reach an endpoint at all."""

    PUBLIC = "anyone, signed in or not"
    SIGNED_IN = "anyone signed in"
    ADMIN = "administrators"
    PANEL = "people in the panel named by the URL's panel_id"


ENDPOINT_RULES: dict[str, Rule] = {
    "static": Rule.PUBLIC,
    "nhsuk_assets": Rule.PUBLIC,
    "core.home": Rule.PUBLIC,
    "core.support": Rule.PUBLIC,
    "core.accessibility": Rule.PUBLIC,
    "core.privacy": Rule.PUBLIC,
    "core.contact": Rule.PUBLIC,
    "core.health": Rule.PUBLIC,
    "core.edit_support": Rule.ADMIN,
    "accounts.sign_in": Rule.PUBLIC,
    "accounts.sign_out": Rule.PUBLIC,
    # Emailed links work for whoever holds them, signed in or not; the token is the permission.
    "accounts.request_sign_in_link": Rule.PUBLIC,
    "accounts.use_sign_in_link": Rule.PUBLIC,
    "accounts.request_password_reset": Rule.PUBLIC,
    "accounts.reset_password": Rule.PUBLIC,
    "accounts.accept_invitation": Rule.PUBLIC,
    "accounts.confirm_new_email": Rule.PUBLIC,
    # Called by the page's script; they answer "signed out" in JSON instead of redirecting.
    "accounts.session_status": Rule.PUBLIC,
    "accounts.stay_signed_in": Rule.PUBLIC,
    # drafts: panel pages; what each role may do there is in ACTIONS below
    "drafts.list_drafts": Rule.PANEL,
    "drafts.new_draft": Rule.PANEL,
    "drafts.show_draft": Rule.PANEL,
    "drafts.edit_draft": Rule.PANEL,
    "drafts.new_item": Rule.PANEL,
    "drafts.edit_item": Rule.PANEL,
    "drafts.move_item": Rule.PANEL,
    "drafts.remove_item": Rule.PANEL,
    "drafts.publish_draft": Rule.PANEL,
    "drafts.show_version": Rule.PANEL,
    "drafts.compare_versions": Rule.PANEL,
    #
    # --- review rounds and omission checks (portal/drafts/round_views.py) ---
    #
    "drafts.new_round": Rule.PANEL,
    "drafts.show_round": Rule.PANEL,
    "drafts.extend_round": Rule.PANEL,
    "drafts.close_round": Rule.PANEL,
    "drafts.start_check": Rule.PANEL,
    "drafts.answer_item": Rule.PANEL,
    "drafts.missing_actions": Rule.PANEL,
    "drafts.answer_question": Rule.PANEL,
    "drafts.check_answers": Rule.PANEL,
    "drafts.check_sent": Rule.PANEL,
    #
    # --- results and exports (portal/drafts/results_views.py) ---
    "drafts.show_results": Rule.PANEL,
    "drafts.remind_round": Rule.PANEL,
    "drafts.export_results_xlsx": Rule.PANEL,
    "drafts.export_results_csv": Rule.PANEL,
    #
    #
    # --- comments, triage inbox, my feedback (portal/feedback/views.py) ---
    #
    "feedback.new_comment": Rule.PANEL,
    "feedback.edit_comment": Rule.PANEL,
    "feedback.withdraw_comment": Rule.PANEL,
    "feedback.inbox": Rule.PANEL,
    "feedback.bulk_triage": Rule.PANEL,
    "feedback.triage_entry": Rule.PANEL,
    "feedback.my_feedback": Rule.PANEL,
    "feedback.mark_responses_read": Rule.PANEL,
    #
    # --- account page, two-step, single sign-on (portal/accounts/*_views.py) ---
    #
    "accounts.account": Rule.SIGNED_IN,
    "accounts.change_name": Rule.SIGNED_IN,
    "accounts.change_email": Rule.SIGNED_IN,
    "accounts.change_password": Rule.SIGNED_IN,
    "accounts.change_contact": Rule.SIGNED_IN,
    "accounts.change_accessibility": Rule.SIGNED_IN,
    "accounts.change_language": Rule.SIGNED_IN,
    "accounts.signed_in_devices": Rule.SIGNED_IN,
    # Only the person's own sessions: another person's session number answers 404.
    "accounts.sign_out_device": Rule.SIGNED_IN,
    "accounts.sign_out_other_devices": Rule.SIGNED_IN,
    "accounts.two_step": Rule.SIGNED_IN,
    "accounts.set_up_two_step": Rule.SIGNED_IN,
    "accounts.new_recovery_codes": Rule.SIGNED_IN,
    "accounts.turn_off_two_step": Rule.SIGNED_IN,
    # The second step of signing in: only for someone who has just given their password.
    "accounts.two_step_check": Rule.PUBLIC,
    "accounts.two_step_policy": Rule.ADMIN,
    # Single sign-on: 404 unless an OpenID provider is configured.
    "accounts.single_sign_on_start": Rule.PUBLIC,
    "accounts.single_sign_on_return": Rule.PUBLIC,
    #
    # --- administration and panel membership (portal/admin/views.py) ---
    #
    "admin.index": Rule.ADMIN,
    "admin.list_panels": Rule.ADMIN,
    "admin.new_panel": Rule.ADMIN,
    "admin.show_panel": Rule.ADMIN,
    "admin.edit_panel": Rule.ADMIN,
    "admin.archive_panel": Rule.ADMIN,
    "admin.new_site": Rule.ADMIN,
    "admin.rename_site": Rule.ADMIN,
    "admin.remove_site": Rule.ADMIN,
    "admin.panel_invitations": Rule.ADMIN,
    "admin.new_invitation": Rule.ADMIN,
    "admin.resend_invitation": Rule.ADMIN,
    "admin.revoke_invitation": Rule.ADMIN,
    "admin.list_people": Rule.ADMIN,
    "admin.show_person": Rule.ADMIN,
    "admin.change_role": Rule.ADMIN,
    "admin.remove_membership": Rule.ADMIN,
    "admin.deactivate_person": Rule.ADMIN,
    "admin.turn_off_two_step": Rule.ADMIN,
    "admin.reactivate_person": Rule.ADMIN,
    "admin.set_administrator": Rule.ADMIN,
    "admin.audit_log": Rule.ADMIN,
    # The panel's own membership page, for its chair and study team.
    "admin.panel_members": Rule.PANEL,
    "admin.invite_member": Rule.PANEL,
    #
    # --- meetings, polls, RSVPs, calendars (portal/meetings/views.py, poll_views.py) ---
    #
    "meetings.list_meetings": Rule.PANEL,
    "meetings.new_meeting": Rule.PANEL,
    "meetings.show_meeting": Rule.PANEL,
    "meetings.edit_meeting": Rule.PANEL,
    "meetings.publish_meeting": Rule.PANEL,
    "meetings.cancel_meeting": Rule.PANEL,
    "meetings.reply_to_meeting": Rule.PANEL,
    "meetings.meeting_replies": Rule.PANEL,
    "meetings.download_calendar": Rule.PANEL,
    "meetings.reset_calendar_feed": Rule.PANEL,
    "meetings.new_poll": Rule.PANEL,
    "meetings.answer_poll": Rule.PANEL,
    "meetings.poll_results": Rule.PANEL,
    "meetings.choose_slot": Rule.PANEL,
    "meetings.remind_poll": Rule.PANEL,
    # A calendar program fetches this with no session: the secret address is the permission.
    "meetings.calendar_feed": Rule.PUBLIC,
    #
    #
    # --- agenda, papers, packs, minutes, actions (portal/meetings/*_views.py) ---
    #
    "meetings.edit_agenda": Rule.PANEL,
    "meetings.new_agenda_item": Rule.PANEL,
    "meetings.edit_agenda_item": Rule.PANEL,
    "meetings.move_agenda_item": Rule.PANEL,
    "meetings.remove_agenda_item": Rule.PANEL,
    "meetings.new_paper": Rule.PANEL,
    "meetings.edit_paper": Rule.PANEL,
    "meetings.remove_paper": Rule.PANEL,
    "meetings.download_paper": Rule.PANEL,
    "meetings.download_paper_version": Rule.PANEL,
    "meetings.show_pack": Rule.PANEL,
    "meetings.publish_pack": Rule.PANEL,
    "meetings.record_attendance": Rule.PANEL,
    "meetings.show_minutes": Rule.PANEL,
    "meetings.write_minutes": Rule.PANEL,
    "meetings.show_minutes_revision": Rule.PANEL,
    "meetings.agree_minutes": Rule.PANEL,
    "meetings.share_minutes": Rule.PANEL,
    "meetings.comment_on_minutes": Rule.PANEL,
    "meetings.list_actions": Rule.PANEL,
    "meetings.new_action": Rule.PANEL,
    "meetings.edit_action": Rule.PANEL,
    #
    # --- questionnaires (portal/questionnaires/views.py) ---
    #
    "questionnaires.list_questionnaires": Rule.PANEL,
    "questionnaires.show_questionnaire": Rule.PANEL,
    "questionnaires.new_questionnaire": Rule.PANEL,
    "questionnaires.edit_questionnaire": Rule.PANEL,
    "questionnaires.new_question": Rule.PANEL,
    "questionnaires.edit_question": Rule.PANEL,
    "questionnaires.move_question": Rule.PANEL,
    "questionnaires.remove_question": Rule.PANEL,
    "questionnaires.preview_questionnaire": Rule.PANEL,
    "questionnaires.copy_questionnaire": Rule.PANEL,
    "questionnaires.answer_page": Rule.PANEL,
    "questionnaires.answers_saved": Rule.PANEL,
    "questionnaires.check_answers": Rule.PANEL,
    "questionnaires.answers_sent": Rule.PANEL,
    "questionnaires.questionnaire_results": Rule.PANEL,
    "questionnaires.export_answers": Rule.PANEL,
}

# The action a person needs to open each panel page (checked before the view runs).
ENDPOINT_ACTIONS: dict[str, str] = {
    "drafts.list_drafts": "draft.read",
    "drafts.new_draft": "draft.edit",
    "drafts.show_draft": "draft.read",
    "drafts.edit_draft": "draft.edit",
    "drafts.new_item": "draft.edit",
    "drafts.edit_item": "draft.edit",
    "drafts.move_item": "draft.edit",
    "drafts.remove_item": "draft.edit",
    "drafts.publish_draft": "draft.edit",
    "drafts.show_version": "draft.read",
    "drafts.compare_versions": "draft.read",
    #
    # --- review rounds and omission checks ---
    #
    "drafts.new_round": "round.manage",
    "drafts.show_round": "round.manage",
    "drafts.extend_round": "round.manage",
    "drafts.close_round": "round.manage",
    "drafts.start_check": "omission.answer",
    "drafts.answer_item": "omission.answer",
    "drafts.missing_actions": "omission.answer",
    "drafts.answer_question": "omission.answer",
    "drafts.check_answers": "omission.answer",
    "drafts.check_sent": "omission.answer",
    #
    # --- results and exports ---
    "drafts.show_results": "results.view",
    "drafts.remind_round": "results.view",
    "drafts.export_results_xlsx": "results.view",
    "drafts.export_results_csv": "results.view",
    #
    #
    # --- comments, triage inbox, my feedback ---
    #
    "feedback.new_comment": "comment.write",
    "feedback.edit_comment": "comment.write",
    "feedback.withdraw_comment": "comment.write",
    "feedback.inbox": "triage.manage",
    "feedback.bulk_triage": "triage.manage",
    "feedback.triage_entry": "triage.manage",
    "feedback.my_feedback": "feedback.own",
    "feedback.mark_responses_read": "feedback.own",
    #
    # --- administration and panel membership ---
    #
    "admin.panel_members": "members.view",
    "admin.invite_member": "members.invite",
    #
    # --- meetings, polls, RSVPs, calendars ---
    #
    "meetings.list_meetings": "meeting.read",
    "meetings.new_meeting": "meeting.manage",
    "meetings.show_meeting": "meeting.read",
    "meetings.edit_meeting": "meeting.manage",
    "meetings.publish_meeting": "meeting.manage",
    "meetings.cancel_meeting": "meeting.manage",
    "meetings.reply_to_meeting": "meeting.reply",
    "meetings.meeting_replies": "meeting.manage",
    "meetings.download_calendar": "meeting.read",
    "meetings.reset_calendar_feed": "meeting.read",
    "meetings.new_poll": "meeting.manage",
    "meetings.answer_poll": "meeting.reply",
    "meetings.poll_results": "meeting.manage",
    "meetings.choose_slot": "meeting.manage",
    "meetings.remind_poll": "meeting.manage",
    #
    #
    # --- agenda, papers, packs, minutes, actions ---
    #
    "meetings.edit_agenda": "agenda.manage",
    "meetings.new_agenda_item": "agenda.manage",
    "meetings.edit_agenda_item": "agenda.manage",
    "meetings.move_agenda_item": "agenda.manage",
    "meetings.remove_agenda_item": "agenda.manage",
    "meetings.new_paper": "agenda.manage",
    "meetings.edit_paper": "agenda.manage",
    "meetings.remove_paper": "agenda.manage",
    "meetings.download_paper": "pack.read",
    "meetings.download_paper_version": "agenda.manage",
    "meetings.show_pack": "pack.read",
    "meetings.publish_pack": "pack.publish",
    "meetings.record_attendance": "attendance.record",
    "meetings.show_minutes": "minutes.read",
    "meetings.write_minutes": "minutes.write",
    "meetings.show_minutes_revision": "minutes.write",
    "meetings.agree_minutes": "minutes.write",
    "meetings.share_minutes": "minutes.write",
    "meetings.comment_on_minutes": "minutes.comment",
    "meetings.list_actions": "minutes.read",
    "meetings.new_action": "actions.manage",
    "meetings.edit_action": "actions.manage",
    #
    # --- questionnaires ---
    #
    "questionnaires.list_questionnaires": "questionnaire.read",
    "questionnaires.show_questionnaire": "questionnaire.read",
    "questionnaires.new_questionnaire": "questionnaire.build",
    "questionnaires.edit_questionnaire": "questionnaire.build",
    "questionnaires.new_question": "questionnaire.build",
    "questionnaires.edit_question": "questionnaire.build",
    "questionnaires.move_question": "questionnaire.build",
    "questionnaires.remove_question": "questionnaire.build",
    "questionnaires.preview_questionnaire": "questionnaire.build",
    "questionnaires.copy_questionnaire": "questionnaire.build",
    "questionnaires.answer_page": "questionnaire.answer",
    "questionnaires.answers_saved": "questionnaire.answer",
    "questionnaires.check_answers": "questionnaire.answer",
    "questionnaires.answers_sent": "questionnaire.answer",
    "questionnaires.questionnaire_results": "questionnaire.results",
    "questionnaires.export_answers": "questionnaire.results",
}

# What each role in a panel may do. Administrators act on the organisation, not inside panels.
ACTIONS: dict[str, frozenset[Role]] = {
    "panel.view": frozenset(Role),
    # Everyone in the panel reads published versions; only researchers see working copies.
    "draft.read": frozenset(Role),
    "draft.edit": frozenset({Role.RESEARCHER}),
    "round.manage": frozenset({Role.RESEARCHER}),
    # Panel members with lived experience answer and comment; the chair is one of them.
    "omission.answer": frozenset({Role.MEMBER, Role.CHAIR}),
    "comment.write": frozenset({Role.MEMBER, Role.CHAIR}),
    "feedback.own": frozenset(Role),
    "triage.manage": frozenset({Role.RESEARCHER}),
    "results.view": frozenset({Role.RESEARCHER}),
    #
    # --- administration and panel membership ---
    #
    # Members see their panel through its work, not a list of who else is in it.
    "members.view": frozenset({Role.CHAIR, Role.RESEARCHER}),
    # Which roles each may hand out is in INVITABLE_ROLES below.
    "members.invite": frozenset({Role.CHAIR, Role.RESEARCHER}),
    #
    # --- meetings, polls, RSVPs, calendars ---
    #
    # Everyone in the panel sees published meetings, answers polls and replies; the chair and
    # the study team arrange meetings and see replies, including private access notes.
    "meeting.read": frozenset(Role),
    "meeting.reply": frozenset(Role),
    "meeting.manage": frozenset({Role.CHAIR, Role.RESEARCHER}),
    #
    #
    # --- agenda, papers, packs, minutes, actions ---
    #
    # The chair and the study team build agendas and papers; the chair publishes the pack.
    "agenda.manage": frozenset({Role.CHAIR, Role.RESEARCHER}),
    "pack.read": frozenset(Role),
    "pack.publish": frozenset({Role.CHAIR}),
    "attendance.record": frozenset({Role.CHAIR}),
    "minutes.read": frozenset(Role),
    "minutes.write": frozenset({Role.CHAIR, Role.RESEARCHER}),
    "minutes.comment": frozenset({Role.MEMBER}),
    "actions.manage": frozenset({Role.CHAIR, Role.RESEARCHER}),
    #
    # --- questionnaires ---
    #
    "questionnaire.read": frozenset(Role),
    # The study team and the chair build questionnaires and see their results.
    "questionnaire.build": frozenset({Role.RESEARCHER, Role.CHAIR}),
    "questionnaire.results": frozenset({Role.RESEARCHER, Role.CHAIR}),
    # The panel's members and chair answer; the study team asks.
    "questionnaire.answer": frozenset({Role.MEMBER, Role.CHAIR}),
}


def rule_for(endpoint: str | None) -> Rule | None:
    return ENDPOINT_RULES.get(endpoint or "")


def membership_in(panel_id: int) -> Membership | None:
    """The signed-in person's active membership of a panel, loaded once per request."""
    cache: dict[int, Membership | None] = g.setdefault("memberships", {})
    if panel_id not in cache:
        membership = None
        if current_user.is_authenticated:
            membership = active_membership(panel_id, current_user.id)
        cache[panel_id] = membership
    return cache[panel_id]


def can(action: str, panel_id: int) -> bool:
    """May the signed-in person take ``action`` in this panel?"""
    membership = membership_in(panel_id)
    return membership is not None and membership.role in ACTIONS[action]


def found_or_404(thing: T | None) -> T:
    """What a loader found, or a 404: views load a panel's object through a query scoped to the
    panel, so another panel's object is simply not found."""
    if thing is None:
        abort(404)
    return thing


def require(action: str, panel_id: int) -> None:
    """Stop the request unless ``can(action, panel_id)``: 404 outside the panel, else 403."""
    if membership_in(panel_id) is None:
        abort(404)
    if not can(action, panel_id):
        abort(403)


def _enforce_endpoint_rule() -> ResponseReturnValue | None:
    if request.endpoint is None:
        return None  # no route matched; the 404 handler answers
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("endpoint %s has no access rule", request.endpoint)
        abort(403)
    if rule is Rule.PUBLIC:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
    if rule is Rule.ADMIN and not current_user.is_admin:
        abort(403)
    if rule is Rule.PANEL:
        panel_id = (request.view_args or {}).get("panel_id")
        if not isinstance(panel_id, int) or membership_in(panel_id) is None:
            abort(404)
        action = ENDPOINT_ACTIONS.get(request.endpoint)
        if action is not None:
            require(action, panel_id)
    return None


def init_access(app: Flask) -> None:
    app.before_request(_enforce_endpoint_rule)
    app.jinja_env.globals["can"] = can


# --- administration and panel membership ---
#
# Who may invite people into which role. The chair brings in fellow members; the study team
# brings in members and chairs. Giving someone the researcher role (drafts, triage, results)
# is for administrators, who may invite anyone in any role from the administration pages.
INVITABLE_ROLES: dict[Role, tuple[Role, ...]] = {
    Role.MEMBER: (),
    Role.CHAIR: (Role.MEMBER,),
    Role.RESEARCHER: (Role.MEMBER, Role.CHAIR),
}


def invitable_roles(panel_id: int) -> tuple[Role, ...]:
    """The roles the signed-in person may invite people to this panel in."""
    if current_user.is_authenticated and current_user.is_admin:
        return tuple(Role)
    membership = membership_in(panel_id)
    if membership is None or not can("members.invite", panel_id):
        return ()
    return INVITABLE_ROLES[membership.role]


def may_invite_as(role: Role, panel_id: int) -> bool:
    """May the signed-in person invite someone to this panel in ``role``?"""
    return role in invitable_roles(panel_id)
