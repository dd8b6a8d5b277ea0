"""Download my data and erasure: a person's own pages, and the administrators' pages for a
subject access request, an erasure and the requests waiting for them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import admin_page, found_or_404, signed_in_page
from portal.accounts.models import User
from portal.extensions import db
from portal.rights import data_copy, erasure
from portal.rights.blueprint import bp
from portal.rights.forms import ConfirmForm, EraseForm
from portal.security import csrf_checked_by_form


@bp.route("/account/my-data", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
def my_data() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        data_copy.ask_for_copy(current_user.id, current_user.id)
        flash(
            gettext("We are making your copy. We will email you a link when it is ready."),
            "success",
        )
        return redirect(url_for(".my_data"))
    return render_template(
        "rights/my_data.html",
        form=form,
        copies=data_copy.copies_asked_by(current_user.id, current_user.id),
        asked_erasure=erasure.has_asked(current_user._get_current_object()),
    )


@bp.route("/my-data/<token>", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
def download_copy(token: str) -> ResponseReturnValue:
    export = data_copy.copy_for_link(token, current_user.id)
    if export is None:
        return render_template("rights/copy_link_used.html"), 404
    # Opening the link only shows the button: a mail scanner that follows links cannot use it up.
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("rights/download_copy.html", form=form, export=export)
    content = data_copy.hand_over(export)
    return (
        content,
        200,
        {
            "Content-Type": "application/zip",
            "Content-Disposition": 'attachment; filename="my-data.zip"',
        },
    )


@bp.route("/account/erasure", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
def ask_erasure() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        erasure.ask_for_erasure(current_user._get_current_object())
        flash(gettext("We have sent your request to the administrators."), "success")
        return redirect(url_for(".my_data"))
    return render_template("rights/ask_erasure.html", form=form)


def _load_person(user_id: int) -> User:
    return found_or_404(db.session.get(User, user_id))


@bp.route("/admin/people/<int:user_id>/data-copy", methods=["GET", "POST"])
@admin_page
@csrf_checked_by_form
def person_data_copy(user_id: int) -> ResponseReturnValue:
    person = _load_person(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        data_copy.ask_for_copy(person.id, current_user.id)
        flash(
            gettext("The copy is being made. We will email you a link when it is ready."), "success"
        )
        return redirect(url_for("admin.show_person", user_id=person.id))
    return render_template("rights/person_data_copy.html", person=person, form=form)


@bp.route("/admin/people/<int:user_id>/erase", methods=["GET", "POST"])
@admin_page
@csrf_checked_by_form
def erase_person(user_id: int) -> ResponseReturnValue:
    person = _load_person(user_id)
    if erasure.is_erased(person):
        abort(404)
    if person.id == current_user.id:
        flash(gettext("You cannot erase your own account. Ask another administrator."), "error")
        return redirect(url_for("admin.show_person", user_id=person.id))
    form = EraseForm()
    if form.validate_on_submit():
        known_as = erasure.erase(person, delete_words=form.words.data == "delete")
        flash(gettext("Erased. They are now known only as %(code)s.", code=known_as), "success")
        return redirect(url_for(".erasure_requests"))
    return render_template(
        "rights/erase_person.html", person=person, form=form, preview=erasure.preview(person)
    )


@bp.get("/admin/erasure-requests")
@admin_page
def erasure_requests() -> ResponseReturnValue:
    return render_template("rights/erasure_requests.html", requests=erasure.erasure_requests())
