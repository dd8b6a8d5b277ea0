"""The organisation's details for letters to a benefits adviser, set by an administrator."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from portal.access import admin_page
from portal.involvement import statements
from portal.involvement.blueprint import bp
from portal.involvement.team_forms import OrganisationForm
from portal.security import csrf_checked_by_form


@bp.route("/admin/organisation", methods=["GET", "POST"])
@admin_page
@csrf_checked_by_form
def organisation_details() -> ResponseReturnValue:
    form = OrganisationForm()
    if not form.is_submitted():
        found = statements.organisation()
        form.name.data = found.name
        form.address.data = found.address
        form.about.data = found.about
        form.signer_name.data = found.signer_name
        form.signer_role.data = found.signer_role
    if form.validate_on_submit():
        statements.save_organisation(
            (form.name.data or "").strip(),
            (form.address.data or "").strip(),
            (form.about.data or "").strip(),
            (form.signer_name.data or "").strip(),
            (form.signer_role.data or "").strip(),
        )
        flash(gettext("The organisation's details are saved."), "success")
        return redirect(url_for(".organisation_details"))
    return render_template("involvement/organisation.html", form=form)
