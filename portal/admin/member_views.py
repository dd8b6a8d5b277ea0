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
from portal.admin.blueprint import bp
from portal.admin.forms import InvitationForm, role_from
from portal.admin.loaders import load_panel
from portal.admin.members import invitation_refused, panel_members
from portal.notifications.reach import reach_of
from portal.security import csrf_checked_by_form


@bp.get("/panels/<int:panel_id>/members", endpoint="panel_members")
@panel_page(Action.MEMBERS_VIEW)
def panel_members_page(panel_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    may_invite = bool(access.invitable_roles(panel_id)) and panel.archived_at is None
    members = panel_members(panel_id)
    return render_template(
        "admin/panel_members.html",
        panel=panel,
        members=members,
        reach=reach_of(panel_id, [membership.user for membership in members]),
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
