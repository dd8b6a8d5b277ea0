"""Administrators' invitation pages: a panel's open invitations, sending, re-sending, revoking."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.accounts.invitations import invite, open_invitations, revoke
from portal.accounts.models import Invitation
from portal.admin.blueprint import bp
from portal.admin.forms import ConfirmForm, InvitationForm, role_from
from portal.admin.loaders import load_panel
from portal.admin.members import invitation_refused
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Role
from portal.security import csrf_checked_by_form


def _load_open_invitation(panel_id: int, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.panel_id != panel_id:
        abort(404)
    if not invitation.is_open(utcnow()):
        abort(404)
    return invitation


@bp.get("/admin/panels/<int:panel_id>/invitations")
def panel_invitations(panel_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    return render_template(
        "admin/invitations.html",
        panel=panel,
        invitations=open_invitations(panel_id),
        form=ConfirmForm(),
    )


@bp.route("/admin/panels/<int:panel_id>/invitations/new", methods=["GET", "POST"])
@csrf_checked_by_form
def new_invitation(panel_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    if panel.archived_at is not None:
        flash(gettext("This panel is archived, so nobody new can join it."))
        return redirect(url_for(".show_panel", panel_id=panel_id))
    form = InvitationForm()
    form.set_roles(tuple(Role))
    if form.validate_on_submit() and not invitation_refused(panel, form):
        role = role_from(form.role.data)
        if role is None:
            abort(400)
        invite(panel_id, form.email.data or "", role, current_user.id)
        db.session.commit()
        flash(
            gettext("Invitation sent to %(email)s.", email=(form.email.data or "").strip()),
            "success",
        )
        return redirect(url_for(".panel_invitations", panel_id=panel_id))
    return render_template(
        "admin/invite.html",
        form=form,
        panel=panel,
        back_url=url_for(".panel_invitations", panel_id=panel_id),
    )


@bp.post("/admin/panels/<int:panel_id>/invitations/<int:invitation_id>/resend")
def resend_invitation(panel_id: int, invitation_id: int) -> ResponseReturnValue:
    """Send a fresh link; the old one stops working (``invite`` replaces it)."""
    load_panel(panel_id)
    invitation = _load_open_invitation(panel_id, invitation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    invite(panel_id, invitation.email, invitation.role, current_user.id)
    db.session.commit()
    flash(
        gettext(
            "A new invitation was sent to %(email)s. The link in the old one no longer works.",
            email=invitation.email,
        ),
        "success",
    )
    return redirect(url_for(".panel_invitations", panel_id=panel_id))


@bp.post("/admin/panels/<int:panel_id>/invitations/<int:invitation_id>/revoke")
def revoke_invitation(panel_id: int, invitation_id: int) -> ResponseReturnValue:
    load_panel(panel_id)
    invitation = _load_open_invitation(panel_id, invitation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    revoke(invitation, current_user.id)
    db.session.commit()
    flash(
        gettext(
            "Invitation to %(email)s cancelled. Its link no longer works.", email=invitation.email
        ),
        "success",
    )
    return redirect(url_for(".panel_invitations", panel_id=panel_id))
