"""Settings for data rights and support: a panel's retention periods, its own support contacts
and the organisation's crisis lines."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from portal.access import Action, admin_page, panel_page
from portal.admin.loaders import load_panel
from portal.rights import retention, support
from portal.rights.blueprint import bp
from portal.rights.forms import CrisisLinesForm, PanelContactsForm, RetentionForm
from portal.rights.loaders import page
from portal.rights.models import PanelContactRole, ResearchAction
from portal.security import csrf_checked_by_form


@bp.route("/admin/panels/<int:panel_id>/retention", methods=["GET", "POST"])
@admin_page
@csrf_checked_by_form
def retention_settings(panel_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    policy = retention.policy_of(panel.id)
    form = RetentionForm()
    if not form.is_submitted():
        form.research_months.data = policy.research_months
        form.research_action.data = policy.research_action.value
        form.admin_months.data = policy.admin_months
    if form.validate_on_submit():
        retention.set_policy(
            panel.id,
            retention.RetentionDetails(
                research_months=form.research_months.data or 0,
                research_action=ResearchAction(form.research_action.data),
                admin_months=form.admin_months.data or 0,
            ),
        )
        flash(gettext("Retention periods saved."), "success")
        return redirect(url_for(".retention_settings", panel_id=panel.id))
    return render_template(
        "rights/retention.html",
        panel=panel,
        form=form,
        research_due=retention.due_at(panel.archived_at, policy.research_months),
        admin_due=retention.due_at(panel.archived_at, policy.admin_months),
    )


@bp.route("/panels/<int:panel_id>/support-contacts", methods=["GET", "POST"])
@panel_page(Action.PANEL_CONTACTS_EDIT)
@csrf_checked_by_form
def panel_contacts(panel_id: int) -> ResponseReturnValue:
    form = PanelContactsForm()
    if not form.is_submitted():
        for contact in support.panel_contacts([panel_id])[panel_id]:
            sub = form[contact.role.value]
            sub.form.name.data, sub.form.phone.data = contact.name, contact.phone
            sub.form.email.data = contact.email
    if form.validate_on_submit():
        contacts = []
        for role in PanelContactRole:
            sub = form[role.value].form
            name = (sub.name.data or "").strip()
            if name:
                contacts.append(
                    support.PanelContactDetails(
                        role=role,
                        name=name,
                        phone=(sub.phone.data or "").strip(),
                        email=(sub.email.data or "").strip(),
                    )
                )
        support.replace_panel_contacts(panel_id, contacts)
        flash(gettext("The panel's support contacts have been saved."), "success")
        return redirect(url_for("core.support"))
    return page("rights/panel_contacts.html", panel_id, form=form)


@bp.route("/support/crisis-lines", methods=["GET", "POST"])
@admin_page
@csrf_checked_by_form
def crisis_lines() -> ResponseReturnValue:
    form = CrisisLinesForm()
    if not form.is_submitted():
        while len(form.lines):
            form.lines.pop_entry()
        for line in support.crisis_lines():
            form.lines.append_entry({"name": line.name, "how": line.how})
        form.lines.append_entry()
    if form.validate_on_submit():
        support.replace_crisis_lines(
            support.CrisisLineDetails(
                (entry.form.name.data or "").strip(), (entry.form.how.data or "").strip()
            )
            for entry in form.lines
            if (entry.form.name.data or "").strip()
        )
        flash(gettext("The crisis lines have been saved."), "success")
        return redirect(url_for("core.support"))
    return render_template("rights/crisis_lines.html", form=form)
