"""Administrators' pages about people: finding them, their panels and roles, closing and
reopening accounts, and the administrator flag."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import found_or_404
from portal.accounts import two_step
from portal.accounts.models import User
from portal.admin import people
from portal.admin.blueprint import bp
from portal.admin.forms import ROLE_HINTS, ConfirmForm, RoleForm, SearchPeopleForm, role_from
from portal.admin.people import LastAdministrator, OwnAccount
from portal.extensions import db
from portal.ids import page_number
from portal.panels.models import Membership
from portal.security import csrf_checked_by_form


def _load_person(user_id: int) -> User:
    return found_or_404(db.session.get(User, user_id))


def _load_membership(user_id: int, membership_id: int) -> Membership:
    membership = people.get_membership(user_id, membership_id)
    if membership is None or not membership.active:
        abort(404)
    return membership


def _back_to(person: User) -> ResponseReturnValue:
    return redirect(url_for(".show_person", user_id=person.id))


@bp.get("/admin/people")
def list_people() -> ResponseReturnValue:
    form = SearchPeopleForm(request.args)
    query = (form.q.data or "") if form.validate() else ""
    found = people.search_people(query, request.args.get("page", 1, type=page_number) or 1)
    return render_template("admin/people.html", form=form, query=query, found=found)


@bp.get("/admin/people/<int:user_id>")
def show_person(user_id: int) -> ResponseReturnValue:
    person = _load_person(user_id)
    return render_template(
        "admin/person.html",
        person=person,
        memberships=people.memberships_of_person(person.id),
        session_count=people.open_session_count(person.id),
        is_self=person.id == current_user.id,
    )


@bp.route(
    "/admin/people/<int:user_id>/memberships/<int:membership_id>/role", methods=["GET", "POST"]
)
@csrf_checked_by_form
def change_role(user_id: int, membership_id: int) -> ResponseReturnValue:
    person = _load_person(user_id)
    membership = _load_membership(user_id, membership_id)
    form = RoleForm(role=membership.role.value)
    if form.validate_on_submit():
        role = role_from(form.role.data)
        if role is None:
            abort(400)
        message = gettext(
            "%(name)s's role in %(panel)s has been changed.",
            name=person.display_name,
            panel=membership.panel.name,
        )
        if people.change_role(membership, role):
            db.session.commit()
            flash(message, "success")
        return _back_to(person)
    return render_template(
        "admin/change_role.html",
        form=form,
        person=person,
        membership=membership,
        role_hints=ROLE_HINTS,
    )


@bp.route(
    "/admin/people/<int:user_id>/memberships/<int:membership_id>/remove",
    methods=["GET", "POST"],
)
@csrf_checked_by_form
def remove_membership(user_id: int, membership_id: int) -> ResponseReturnValue:
    person = _load_person(user_id)
    membership = _load_membership(user_id, membership_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        message = gettext(
            "%(name)s has been taken out of %(panel)s.",
            name=person.display_name,
            panel=membership.panel.name,
        )
        people.end_membership(membership)
        db.session.commit()
        flash(message, "success")
        return _back_to(person)
    return render_template(
        "admin/remove_membership.html", form=form, person=person, membership=membership
    )


@bp.route("/admin/people/<int:user_id>/deactivate", methods=["GET", "POST"])
@csrf_checked_by_form
def deactivate_person(user_id: int) -> ResponseReturnValue:
    person = _load_person(user_id)
    if person.id == current_user.id:
        flash(gettext("You cannot close your own account. Ask another administrator."))
        return _back_to(person)
    if not person.is_active_account:
        return _back_to(person)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            people.deactivate(person, current_user.id)
        except (LastAdministrator, OwnAccount):
            db.session.rollback()
            flash(gettext("This is the only administrator, so their account cannot be closed."))
            return _back_to(person)
        db.session.commit()
        flash(
            gettext(
                "%(name)s's account is closed. They have been signed out everywhere.",
                name=person.display_name,
            ),
            "success",
        )
        return _back_to(person)
    return render_template("admin/deactivate.html", form=form, person=person)


@bp.post("/admin/people/<int:user_id>/reactivate")
def reactivate_person(user_id: int) -> ResponseReturnValue:
    person = _load_person(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if people.reactivate(person):
        db.session.commit()
        flash(
            gettext(
                "%(name)s's account is open again. They can sign in as before.",
                name=person.display_name,
            ),
            "success",
        )
    return _back_to(person)


@bp.route("/admin/people/<int:user_id>/administrator", methods=["GET", "POST"])
@csrf_checked_by_form
def set_administrator(user_id: int) -> ResponseReturnValue:
    """Make someone an administrator, or stop them being one (the same page, either way)."""
    person = _load_person(user_id)
    granting = not person.is_admin
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            people.set_administrator(person, granting)
        except LastAdministrator:
            db.session.rollback()
            flash(
                gettext(
                    "There must always be at least one administrator, so this one stays. "
                    "Make someone else an administrator first."
                )
            )
            return _back_to(person)
        db.session.commit()
        if granting:
            message = gettext("%(name)s is now an administrator.", name=person.display_name)
        else:
            message = gettext("%(name)s is no longer an administrator.", name=person.display_name)
        flash(message, "success")
        if person.id == current_user.id and not granting:
            return redirect(url_for("core.home"))
        return _back_to(person)
    return render_template(
        "admin/set_administrator.html",
        form=form,
        person=person,
        granting=granting,
        is_self=person.id == current_user.id,
    )


@bp.route("/admin/people/<int:user_id>/two-step-verification/turn-off", methods=["GET", "POST"])
def turn_off_two_step(user_id: int) -> ResponseReturnValue:
    """For someone who has lost both their phone and their recovery codes."""
    person = _load_person(user_id)
    if person.two_step_enabled_at is None:
        return _back_to(person)
    form = ConfirmForm()
    if form.validate_on_submit():
        two_step.turn_off(person)
        db.session.commit()
        flash(
            gettext(
                "Two-step verification is off for %(name)s. They can set it up again from their "
                "account page.",
                name=person.display_name,
            ),
            "success",
        )
        return _back_to(person)
    return render_template("admin/turn_off_two_step.html", form=form, person=person)
