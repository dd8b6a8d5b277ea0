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

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.panels.models import Membership, Role


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
    #
    # --- results and exports (portal/drafts/results_views.py) ---
    #
    #
    # --- comments, triage inbox, my feedback (portal/feedback/views.py) ---
    #
    #
    # --- account page, two-step, single sign-on (portal/accounts/*_views.py) ---
    #
    #
    # --- administration and panel membership (portal/admin/views.py) ---
    #
    #
    # --- meetings, polls, RSVPs, calendars (portal/meetings/views.py, poll_views.py) ---
    #
    #
    # --- agenda, papers, packs, minutes, actions (portal/meetings/*_views.py) ---
    #
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
    #
    # --- results and exports ---
    #
    #
    # --- comments, triage inbox, my feedback ---
    #
    #
    # --- administration and panel membership ---
    #
    #
    # --- meetings, polls, RSVPs, calendars ---
    #
    #
    # --- agenda, papers, packs, minutes, actions ---
    #
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
    #
    # --- meetings, polls, RSVPs, calendars ---
    #
    #
    # --- agenda, papers, packs, minutes, actions ---
    #
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
            membership = db.session.scalar(
                select(Membership).where(
                    Membership.panel_id == panel_id,
                    Membership.user_id == current_user.id,
                    Membership.active.is_(True),
                )
            )
        cache[panel_id] = membership
    return cache[panel_id]


def can(action: str, panel_id: int) -> bool:
    """May the signed-in person take ``action`` in this panel?"""
    membership = membership_in(panel_id)
    return membership is not None and membership.role in ACTIONS[action]


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
