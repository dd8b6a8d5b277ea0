"""Pages everyone can see: home, support, accessibility statement, privacy notice, contact."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.core import service
from portal.core.blueprint import bp
from portal.core.forms import SupportContactsForm
from portal.core.home import home_sections
from portal.extensions import db
from portal.panels import service as panels
from portal.security import csrf_checked_by_form


@bp.get("/")
def home() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return render_template("core/welcome.html")
    memberships = panels.memberships_of(current_user.id)
    return render_template(
        "core/home.html",
        memberships=memberships,
        sections=home_sections(current_user.id, memberships),
    )


@bp.get("/support")
def support() -> ResponseReturnValue:
    return render_template("core/support.html", contacts=service.support_contacts())


@bp.route("/support/edit", methods=["GET", "POST"])
@csrf_checked_by_form
def edit_support() -> ResponseReturnValue:
    form = SupportContactsForm()
    if not form.is_submitted():
        form.load(service.support_contacts())
    elif form.validate():
        service.replace_support_contacts(form.contacts_to_save())
        db.session.commit()
        flash(gettext("The support page has been updated."), "success")
        return redirect(url_for("core.support"))
    return render_template("core/edit_support.html", form=form)


@bp.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    return render_template("core/accessibility.html")


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    return render_template("core/privacy.html")


@bp.get("/contact")
def contact() -> ResponseReturnValue:
    return render_template("core/contact.html")


@bp.get("/health")
def health() -> ResponseReturnValue:
    """For load balancers: the process is up and can reach its database."""
    service.check_database()
    return {"status": "ok"}
