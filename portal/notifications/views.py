"""A person's own page of choices ("How we contact you") and the one-click unsubscribe page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from portal.access import public_page, signed_in_page
from portal.accounts.models import User
from portal.accounts.reauthentication import signed_in_person
from portal.extensions import db
from portal.notifications import preferences
from portal.notifications.blueprint import bp
from portal.notifications.forms import (
    UnsubscribeForm,
    delivery_field,
    person_choices_form,
    text_field,
)
from portal.notifications.kinds import OPTIONAL_KINDS, RULES, TRANSACTIONAL_KINDS, Delivery, Kind
from portal.notifications.texts import uk_mobile
from portal.notifications.unsubscribe import read_token
from portal.panels.models import Role
from portal.panels.service import memberships_of
from portal.security import authorised_without_session, csrf_checked_by_form


def _kinds_for(person: User) -> tuple[Kind, ...]:
    """The optional kinds a person can receive: study-team ones only for the study team."""
    roles = {membership.role for membership in memberships_of(person.id)}
    team = Role.RESEARCHER in roles or person.is_admin
    return tuple(kind for kind in OPTIONAL_KINDS if team or not RULES[kind].team_only)


def _always_for(person: User) -> tuple[Kind, ...]:
    """The kinds always sent that can reach this person: requests for the study team reach the
    chair, researchers and administrators only."""
    roles = {membership.role for membership in memberships_of(person.id)}
    staff = bool(roles & {Role.CHAIR, Role.RESEARCHER}) or person.is_admin
    return tuple(kind for kind in TRANSACTIONAL_KINDS if staff or not RULES[kind].team_only)


def _first_panel(person: User) -> int | None:
    memberships = memberships_of(person.id)
    return memberships[0].panel_id if memberships else None


@bp.route("/account/notifications", methods=["GET", "POST"])
@signed_in_page
@csrf_checked_by_form
def contact_choices() -> ResponseReturnValue:
    person = signed_in_person()
    kinds = _kinds_for(person)
    settings = preferences.contact_settings(person.id)
    current = preferences.effective_choices(person, _first_panel(person))
    data: dict[str, object] = {
        "mobile": settings.mobile,
        "weekly_day": str(settings.weekly_day),
        "quiet_from": str(settings.quiet_from),
        "quiet_until": str(settings.quiet_until),
    }
    for kind in kinds:
        data[delivery_field(kind)] = current[kind].delivery.value
        if RULES[kind].text_allowed:
            data[text_field(kind)] = current[kind].by_text
    form = person_choices_form(kinds, data=data)
    if form.validate_on_submit():
        preferences.save_choices(person.id, form.routes())
        preferences.save_contact(
            person.id,
            uk_mobile(form.mobile.data or "") or "",
            int(form.weekly_day.data or 0),
            int(form.quiet_from.data or 21),
            int(form.quiet_until.data or 8),
        )
        flash(gettext("How we contact you has been saved."), "success")
        return redirect(url_for("accounts.account"))
    return render_template(
        "notifications/choices.html",
        form=form,
        kinds=kinds,
        rules=RULES,
        always=_always_for(person),
        settings=settings,
    )


def _link_problem() -> ResponseReturnValue:
    return render_template("notifications/unsubscribe_problem.html"), 404


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public_page
@authorised_without_session
def unsubscribe(token: str) -> ResponseReturnValue:
    """GET only shows the choice (mail scanners open links); a POST, with the signed token as its
    only proof, makes it: the page's buttons, or a mail program's one-click
    ``List-Unsubscribe=One-Click`` (RFC 8058)."""
    found = read_token(token)
    person = db.session.get(User, found.user_id) if found is not None else None
    if found is None or person is None:
        return _link_problem()
    kind_name = RULES[found.kind].name
    if request.method == "GET":
        current = preferences.route_for(person, found.kind, None)
        return render_template(
            "notifications/unsubscribe.html",
            kind_name=kind_name,
            already_off=current.delivery is Delivery.OFF,
            token=token,
        )
    form = UnsubscribeForm()
    if request.form.get("List-Unsubscribe") == "One-Click":
        wanted = Delivery.OFF
    elif form.choice.data == "weekly":
        wanted = Delivery.WEEKLY
    elif form.choice.data == "undo":
        try:
            wanted = Delivery(form.previous.data or "")
        except ValueError:
            wanted = Delivery.NOW
    elif form.choice.data == "off":
        wanted = Delivery.OFF
    else:
        return _link_problem()
    before = preferences.unsubscribe(person.id, found.kind, wanted)
    if before is None:
        return _link_problem()
    return render_template(
        "notifications/unsubscribed.html",
        kind_name=kind_name,
        now=wanted,
        before=before,
        token=token,
        undone=form.choice.data == "undo",
    )
