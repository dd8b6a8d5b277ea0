"""The page an invitation email links to: accept, make an account (or use yours), sign in."""

from __future__ import annotations

from flask import flash, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.accounts.blueprint import bp
from portal.accounts.forms import AcceptInvitationForm, JoinPanelForm
from portal.accounts.invitations import (
    InvitationProblem,
    InvitationUnavailable,
    accept,
    find_invitation,
    invitation_problem,
)
from portal.accounts.limits import (
    INVITATION_PER_ACCOUNT,
    INVITATION_PER_ADDRESS,
    invitation_account,
    limited,
)
from portal.accounts.passwords import PASSWORD_HINT
from portal.accounts.service import find_user_by_email
from portal.accounts.sessions import end_current_session
from portal.accounts.signin import finish_sign_in
from portal.extensions import db
from portal.security import csrf_checked_by_form


def _problem_page(problem: InvitationProblem, has_account: bool) -> ResponseReturnValue:
    status = 404 if problem is InvitationProblem.UNKNOWN else 410
    return (
        render_template(
            "accounts/invitation_problem.html", problem=problem, has_account=has_account
        ),
        status,
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@csrf_checked_by_form
@limited(INVITATION_PER_ADDRESS, INVITATION_PER_ACCOUNT, invitation_account)
def accept_invitation(token: str) -> ResponseReturnValue:
    invitation = find_invitation(token)
    problem = invitation_problem(invitation)
    if problem is not None or invitation is None:
        account = find_user_by_email(invitation.email) if invitation else None
        return _problem_page(problem or InvitationProblem.UNKNOWN, account is not None)
    account = find_user_by_email(invitation.email)
    form = JoinPanelForm() if account is not None else AcceptInvitationForm()
    if isinstance(form, AcceptInvitationForm):
        form.account_email = invitation.email
    if form.validate_on_submit():
        panel_name = invitation.panel.name  # read now: signing in commits, which expires it
        try:
            if isinstance(form, AcceptInvitationForm):
                user = accept(
                    invitation,
                    display_name=form.display_name.data or "",
                    password=form.chosen_password(),
                )
            else:
                user = accept(invitation)
        except InvitationUnavailable:
            db.session.rollback()
            problem = invitation_problem(find_invitation(token)) or InvitationProblem.USED
            return _problem_page(problem, find_user_by_email(invitation.email) is not None)
        if current_user.is_authenticated:
            end_current_session()
        response = finish_sign_in(user, "invitation", None)
        flash(gettext("Welcome. You have joined %(panel)s.", panel=panel_name), "success")
        return response
    return render_template(
        "accounts/accept_invitation.html",
        form=form,
        invitation=invitation,
        account=account,
        password_hint=PASSWORD_HINT,
    )
