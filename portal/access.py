"""The access policy: who may open which page and do what. The only place this is decided.

Two layers, both here:

* Every route carries its rule, written on it with one of the decorators below
  (``@public_page``, ``@signed_in_page``, ``@admin_page``, ``@panel_page(Action.X)``). The rule is
  enforced before any view runs. An endpoint with no rule is refused (and a test fails), so a
  new route cannot be forgotten.
* ``can(action, panel_id)`` answers whether the signed-in person may take an action in a panel.
  Templates call it before offering the action; views call it where what they show depends on it.

Panel pages answer 404 to anyone who is not in the panel, so nobody learns that it exists; they
answer 403 to members whose role may not do the thing.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.panels.models import Membership, Role
from portal.panels.service import active_membership, memberships_of

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., Any])


class Rule(enum.Enum):
    """Who may reach an endpoint at all."""

    PUBLIC = "anyone, signed in or not"
    SIGNED_IN = "anyone signed in"
    ADMIN = "administrators"
    PANEL = "people in the panel named by the URL's panel_id"


class Action(enum.StrEnum):
    """Something a person may do in a panel. Reading and writing are separate actions, so a page
    that changes something never borrows the permission of one that only shows it."""

    # drafts, review rounds and results
    DRAFT_READ = "draft.read"
    DRAFT_EDIT = "draft.edit"
    ROUND_MANAGE = "round.manage"
    ROUND_REMIND = "round.remind"
    OMISSION_ANSWER = "omission.answer"
    RESULTS_VIEW = "results.view"
    # comments, triage, my feedback
    COMMENT_WRITE = "comment.write"
    TRIAGE_MANAGE = "triage.manage"
    FEEDBACK_OWN = "feedback.own"
    RESPONSES_MARK_READ = "responses.mark_read"
    # panel membership
    MEMBERS_VIEW = "members.view"
    MEMBERS_INVITE = "members.invite"
    # meetings, polls, RSVPs, calendars
    MEETING_READ = "meeting.read"
    MEETING_REPLY = "meeting.reply"
    MEETING_MANAGE = "meeting.manage"
    POLL_REMIND = "poll.remind"
    CALENDAR_RESET = "calendar.reset"
    # agenda, papers, packs, minutes, actions
    AGENDA_MANAGE = "agenda.manage"
    PACK_READ = "pack.read"
    PACK_PUBLISH = "pack.publish"
    ATTENDANCE_RECORD = "attendance.record"
    MINUTES_READ = "minutes.read"
    MINUTES_WRITE = "minutes.write"
    MINUTES_COMMENT = "minutes.comment"
    ACTIONS_MANAGE = "actions.manage"
    # questionnaires
    QUESTIONNAIRE_READ = "questionnaire.read"
    QUESTIONNAIRE_BUILD = "questionnaire.build"
    QUESTIONNAIRE_RESULTS = "questionnaire.results"
    QUESTIONNAIRE_ANSWER = "questionnaire.answer"
    # involvement and payments
    INVOLVEMENT_OWN = "involvement.own"
    INVOLVEMENT_CHOOSE = "involvement.choose"
    EXPENSE_CLAIM = "expense.claim"
    INVOLVEMENT_VIEW_ALL = "involvement.view_all"
    INVOLVEMENT_RATES = "involvement.rates"
    INVOLVEMENT_ENTRIES = "involvement.entries"
    INVOLVEMENT_APPROVE = "involvement.approve"
    EXPENSE_REVIEW = "expense.review"
    PAYMENT_MANAGE = "payment.manage"
    INVOLVEMENT_EXPORT = "involvement.export"
    # notifications
    NOTIFICATION_DEFAULTS = "notification.defaults"
    CALLS_VIEW = "calls.view"
    # agreements, consent, care
    AGREEMENTS_OWN = "agreements.own"
    AGREEMENTS_MANAGE = "agreements.manage"
    INVOLVEMENT_STEP_BACK = "involvement.step_back"
    CONTACT_ASK = "contact.ask"
    CONTACT_REQUESTS_MANAGE = "contact_requests.manage"
    PANEL_CONTACTS_EDIT = "panel_contacts.edit"


# What each role in a panel may do. Administrators act on the organisation, not inside panels.
ACTIONS: dict[Action, frozenset[Role]] = {
    # Everyone in the panel reads published versions; only researchers see working copies.
    Action.DRAFT_READ: frozenset(Role),
    Action.DRAFT_EDIT: frozenset({Role.RESEARCHER}),
    Action.ROUND_MANAGE: frozenset({Role.RESEARCHER}),
    Action.ROUND_REMIND: frozenset({Role.RESEARCHER}),
    # Panel members with lived experience answer and comment; the chair is one of them.
    Action.OMISSION_ANSWER: frozenset({Role.MEMBER, Role.CHAIR}),
    Action.RESULTS_VIEW: frozenset({Role.RESEARCHER}),
    Action.COMMENT_WRITE: frozenset({Role.MEMBER, Role.CHAIR}),
    Action.TRIAGE_MANAGE: frozenset({Role.RESEARCHER}),
    # Everyone reads the answers to what they said, and marks them read.
    Action.FEEDBACK_OWN: frozenset(Role),
    Action.RESPONSES_MARK_READ: frozenset(Role),
    #
    # --- administration and panel membership ---
    #
    # Members see their panel through its work, not a list of who else is in it.
    Action.MEMBERS_VIEW: frozenset({Role.CHAIR, Role.RESEARCHER}),
    # Which roles each may hand out is in INVITABLE_ROLES below.
    Action.MEMBERS_INVITE: frozenset({Role.CHAIR, Role.RESEARCHER}),
    #
    # --- meetings, polls, RSVPs, calendars ---
    #
    # Everyone in the panel sees published meetings, answers polls and replies; the chair and
    # the study team arrange meetings and see replies, including private access notes.
    Action.MEETING_READ: frozenset(Role),
    Action.MEETING_REPLY: frozenset(Role),
    Action.MEETING_MANAGE: frozenset({Role.CHAIR, Role.RESEARCHER}),
    Action.POLL_REMIND: frozenset({Role.CHAIR, Role.RESEARCHER}),
    # Anyone may replace their own secret calendar address.
    Action.CALENDAR_RESET: frozenset(Role),
    #
    # --- agenda, papers, packs, minutes, actions ---
    #
    # The chair and the study team build agendas and papers; the chair publishes the pack.
    Action.AGENDA_MANAGE: frozenset({Role.CHAIR, Role.RESEARCHER}),
    Action.PACK_READ: frozenset(Role),
    Action.PACK_PUBLISH: frozenset({Role.CHAIR}),
    Action.ATTENDANCE_RECORD: frozenset({Role.CHAIR}),
    Action.MINUTES_READ: frozenset(Role),
    Action.MINUTES_WRITE: frozenset({Role.CHAIR, Role.RESEARCHER}),
    Action.MINUTES_COMMENT: frozenset({Role.MEMBER}),
    Action.ACTIONS_MANAGE: frozenset({Role.CHAIR, Role.RESEARCHER}),
    #
    # --- questionnaires ---
    #
    Action.QUESTIONNAIRE_READ: frozenset(Role),
    # The study team and the chair build questionnaires and see their results.
    Action.QUESTIONNAIRE_BUILD: frozenset({Role.RESEARCHER, Role.CHAIR}),
    Action.QUESTIONNAIRE_RESULTS: frozenset({Role.RESEARCHER, Role.CHAIR}),
    # The panel's members and chair answer; the study team asks.
    Action.QUESTIONNAIRE_ANSWER: frozenset({Role.MEMBER, Role.CHAIR}),
    #
    # --- involvement and payments ---
    #
    # Members and the chair are the people who take part and are paid: each sees only their
    # own record, makes their own choices and claims their own expenses.
    Action.INVOLVEMENT_OWN: frozenset({Role.MEMBER, Role.CHAIR}),
    Action.INVOLVEMENT_CHOOSE: frozenset({Role.MEMBER, Role.CHAIR}),
    Action.EXPENSE_CLAIM: frozenset({Role.MEMBER, Role.CHAIR}),
    # The study team holds the budget: it sees everyone's record, sets rates, approves, pays
    # and exports. The chair is paid too, so never approves or pays anyone.
    Action.INVOLVEMENT_VIEW_ALL: frozenset({Role.RESEARCHER}),
    Action.INVOLVEMENT_RATES: frozenset({Role.RESEARCHER}),
    Action.INVOLVEMENT_ENTRIES: frozenset({Role.RESEARCHER}),
    Action.INVOLVEMENT_APPROVE: frozenset({Role.RESEARCHER}),
    Action.EXPENSE_REVIEW: frozenset({Role.RESEARCHER}),
    Action.PAYMENT_MANAGE: frozenset({Role.RESEARCHER}),
    Action.INVOLVEMENT_EXPORT: frozenset({Role.RESEARCHER}),
    #
    # --- notifications ---
    #
    # The study team sets how messages reach those who have not chosen for themselves; the
    # chair (and the study team) see whom to phone instead.
    Action.NOTIFICATION_DEFAULTS: frozenset({Role.RESEARCHER}),
    Action.CALLS_VIEW: frozenset({Role.CHAIR, Role.RESEARCHER}),
    # --- agreements, consent, care ---
    #
    # Everyone reads and answers the panel's agreements; the study team writes them, sees the
    # ledger and records consent given on paper or aloud.
    Action.AGREEMENTS_OWN: frozenset(Role),
    Action.AGREEMENTS_MANAGE: frozenset({Role.RESEARCHER}),
    # Members (the chair is one) pause, come back, stop being a member or ask to be contacted.
    Action.INVOLVEMENT_STEP_BACK: frozenset({Role.MEMBER, Role.CHAIR}),
    Action.CONTACT_ASK: frozenset({Role.MEMBER, Role.CHAIR}),
    # The chair and the study team see and look after requests to be contacted.
    Action.CONTACT_REQUESTS_MANAGE: frozenset({Role.CHAIR, Role.RESEARCHER}),
    # The study team sets who the panel's own support contacts are.
    Action.PANEL_CONTACTS_EDIT: frozenset({Role.RESEARCHER}),
}


@dataclass(frozen=True)
class PageRule:
    """The rule written on one route: who may reach it, and for panel pages, the action."""

    rule: Rule
    action: Action | None = None


RULE_ATTRIBUTE = "access_rule"


def _with_rule(view: View, page_rule: PageRule) -> View:
    setattr(view, RULE_ATTRIBUTE, page_rule)
    return view


def public_page(view: View) -> View:
    """Anyone may open this page, signed in or not."""
    return _with_rule(view, PageRule(Rule.PUBLIC))


def signed_in_page(view: View) -> View:
    """Anyone signed in may open this page; others are sent to sign in."""
    return _with_rule(view, PageRule(Rule.SIGNED_IN))


def admin_page(view: View) -> View:
    """Only administrators may open this page."""
    return _with_rule(view, PageRule(Rule.ADMIN))


def panel_page(action: Action) -> Callable[[View], View]:
    """A page of the panel named by the URL's ``panel_id``, for those whose role may ``action``:
    404 outside the panel, 403 for a role that may not."""
    if not isinstance(action, Action):
        raise TypeError(f"panel_page needs an Action, not {action!r}")

    def decorate(view: View) -> View:
        return _with_rule(view, PageRule(Rule.PANEL, action))

    return decorate


def rule_of(view: Callable[..., Any] | None) -> PageRule | None:
    """The rule written on a view function, if any."""
    found = getattr(view, RULE_ATTRIBUTE, None)
    return found if isinstance(found, PageRule) else None


def endpoint_rules(app: Flask) -> dict[str, PageRule | None]:
    """Every endpoint of ``app`` and the rule on its view (None where it has none)."""
    return {endpoint: rule_of(view) for endpoint, view in app.view_functions.items()}


def membership_in(panel_id: int) -> Membership | None:
    """The signed-in person's active membership of a panel, loaded once per request."""
    cache: dict[int, Membership | None] = g.setdefault("memberships", {})
    if panel_id not in cache:
        membership = None
        if current_user.is_authenticated:
            membership = active_membership(panel_id, current_user.id)
        cache[panel_id] = membership
    return cache[panel_id]


def my_memberships() -> list[Membership]:
    """The signed-in person's active memberships with their panels, by panel name: loaded once
    per request for the header, the page and the access policy alike (which learns them too,
    so ``can`` asks no more); an empty list for someone not signed in."""
    if not current_user.is_authenticated:
        return []
    if "my_memberships" not in g:
        g.my_memberships = memberships_of(current_user.id)
        known = g.setdefault("memberships", {})
        for membership in g.my_memberships:
            known.setdefault(membership.panel_id, membership)
    return list(g.my_memberships)


def can(action: Action | str, panel_id: int) -> bool:
    """May the signed-in person take ``action`` in this panel? Templates may pass the action's
    text (``can("draft.edit", panel.id)``); text that names no action is an error, not a no."""
    membership = membership_in(panel_id)
    return membership is not None and membership.role in ACTIONS[Action(action)]


def found_or_404(thing: T | None) -> T:
    """What a loader found, or a 404: views load a panel's object through a query scoped to the
    panel, so another panel's object is simply not found."""
    if thing is None:
        abort(404)
    return thing


def require(action: Action, panel_id: int) -> None:
    """Stop the request unless ``can(action, panel_id)``: 404 outside the panel, else 403.

    The route's own rule already does this for its action; views call it only for a second
    action that depends on what was loaded or submitted."""
    if membership_in(panel_id) is None:
        abort(404)
    if not can(action, panel_id):
        abort(403)


def _enforce_endpoint_rule() -> ResponseReturnValue | None:
    if request.endpoint is None:
        return None  # no route matched; the 404 handler answers
    page_rule = rule_of(current_app.view_functions.get(request.endpoint))
    if page_rule is None:
        current_app.logger.error("endpoint %s has no access rule", request.endpoint)
        abort(403)
    if page_rule.rule is Rule.PUBLIC:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
    if page_rule.rule is Rule.ADMIN and not current_user.is_admin:
        abort(403)
    if page_rule.rule is Rule.PANEL:
        panel_id = (request.view_args or {}).get("panel_id")
        if not isinstance(panel_id, int) or page_rule.action is None:
            abort(404)
        require(page_rule.action, panel_id)
    return None


def _public_copy(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def public(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    return public_page(public)


def init_access(app: Flask) -> None:
    # Flask's own static files route is registered before any of ours can be decorated; it
    # serves the portal's public stylesheets and scripts, so it is marked public here.
    if "static" in app.view_functions and rule_of(app.view_functions["static"]) is None:
        app.view_functions["static"] = _public_copy(app.view_functions["static"])
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
    if membership is None or not can(Action.MEMBERS_INVITE, panel_id):
        return ()
    return INVITABLE_ROLES[membership.role]


def may_invite_as(role: Role, panel_id: int) -> bool:
    """May the signed-in person invite someone to this panel in ``role``?"""
    return role in invitable_roles(panel_id)
