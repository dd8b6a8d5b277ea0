"""Pages everyone can see: home, support, accessibility statement, privacy notice, contact."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal import languages
from portal.access import admin_page, my_memberships, public_page
from portal.accounts import account
from portal.accounts.signin import safe_next
from portal.core import service
from portal.core.blueprint import bp
from portal.core.forms import SupportContactsForm
from portal.core.home import home_sections
from portal.language_choice import remember_in_browser
from portal.panels import service as panels
from portal.rights.support import crisis_lines, panel_contacts
from portal.security import csrf_checked_by_form


@bp.get("/")
@public_page
def home() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return render_template("core/welcome.html")
    memberships = my_memberships()
    return render_template(
        "core/home.html",
        memberships=memberships,
        sections=home_sections(current_user.id, memberships),
        paused={m.panel_id: panels.is_paused(m) for m in memberships},
    )


@bp.get("/support")
@public_page
def support() -> ResponseReturnValue:
    memberships = my_memberships()
    return render_template(
        "core/support.html",
        contacts=service.support_contacts(),
        crisis_lines=crisis_lines(),
        memberships=memberships,
        panel_contacts=panel_contacts([m.panel_id for m in memberships]),
    )


@bp.route("/support/edit", methods=["GET", "POST"])
@admin_page
@csrf_checked_by_form
def edit_support() -> ResponseReturnValue:
    form = SupportContactsForm()
    if not form.is_submitted():
        form.load(service.support_contacts())
    elif form.validate():
        service.replace_support_contacts(form.contacts_to_save())
        flash(gettext("The support page has been updated."), "success")
        return redirect(url_for("core.support"))
    return render_template("core/edit_support.html", form=form)


@bp.get("/accessibility")
@public_page
def accessibility() -> ResponseReturnValue:
    return render_template("core/accessibility.html")


@bp.get("/privacy")
@public_page
def privacy() -> ResponseReturnValue:
    return render_template("core/privacy.html")


@bp.get("/contact")
@public_page
def contact() -> ResponseReturnValue:
    return render_template("core/contact.html")


@bp.get("/health")
@public_page
def health() -> ResponseReturnValue:
    """For load balancers: the process is up and can reach its database."""
    service.check_database()
    return {"status": "ok"}


@bp.post("/language")
@public_page
def choose_language() -> ResponseReturnValue:
    """The footer's and the sign-in page's language menu: kept in this browser, and on the
    person's account when they are signed in. Goes back to the page it was chosen on."""
    back = safe_next(request.form.get("next"))
    code = request.form.get("language", "")
    if not languages.supported(code):
        flash(gettext("Choose one of the languages in the list."))
        return redirect(back)
    if current_user.is_authenticated:
        account.change_language(current_user, code)
    return remember_in_browser(redirect(back), code)
