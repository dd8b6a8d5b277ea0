"""The panel's membership page: who is in the panel, in which role, with which pseudonym code;
the chair and the study team invite people from it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal import access
from portal.access import Action, panel_page
from portal.accounts.invitations import invite, open_invitations
from portal.accounts.service import find_user_by_email
from portal.admin.forms import InvitationForm, role_from
from portal.admin.members import panel_members
from portal.admin.views import bp, load_panel
from portal.extensions import db
from portal.panels.models import Membership, Panel
from portal.security import csrf_checked_by_form


def invitation_refused(panel: Panel, form: InvitationForm) -> bool:
    """Check an invitation against who is in the panel already; say why on the form."""
    person = find_user_by_email(form.email.data or "")
    if person is None:
        return False
    if not person.is_active_account:
        form.email.errors = [
            gettext(
                "The account for this email address is closed. An administrator can open it again."
            )
        ]
        return True
    in_panel = db.session.scalar(
        db.select(Membership.id).where(
            Membership.panel_id == panel.id,
            Membership.user_id == person.id,
            Membership.active.is_(True),
        )
    )
    if in_panel is not None:
        form.email.errors = [gettext("This person is already in the panel")]
        return True
    return False


@bp.get("/panels/<int:panel_id>/members", endpoint="panel_members")
@panel_page(Action.MEMBERS_VIEW)
def panel_members_page(panel_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    may_invite = bool(access.invitable_roles(panel_id)) and panel.archived_at is None
    return render_template(
        "admin/panel_members.html",
        panel=panel,
        members=panel_members(panel_id),
        invitations=open_invitations(panel_id) if may_invite else [],
        may_invite=may_invite,
    )


@bp.route("/panels/<int:panel_id>/members/invite", methods=["GET", "POST"])
@panel_page(Action.MEMBERS_INVITE)
@csrf_checked_by_form
def invite_member(panel_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    roles = access.invitable_roles(panel_id)
    if not roles or panel.archived_at is not None:
        abort(403)
    form = InvitationForm()
    form.set_roles(roles)
    if form.validate_on_submit() and not invitation_refused(panel, form):
        role = role_from(form.role.data)
        if role is None or not access.may_invite_as(role, panel_id):
            abort(403)
        invite(panel_id, form.email.data or "", role, current_user.id)
        flash(
            gettext("Invitation sent to %(email)s.", email=(form.email.data or "").strip()),
            "success",
        )
        return redirect(url_for(".panel_members", panel_id=panel_id))
    return render_template(
        "admin/invite.html",
        form=form,
        panel=panel,
        back_url=url_for(".panel_members", panel_id=panel_id),
    )
