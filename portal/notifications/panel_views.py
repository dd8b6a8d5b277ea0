"""The panel's pages about messages: the study team's defaults and the chair's calls to make."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from portal.access import Action, found_or_404, panel_page
from portal.db import utcnow
from portal.notifications import preferences
from portal.notifications.blueprint import bp
from portal.notifications.calls import calls_to_make
from portal.notifications.forms import delivery_field, panel_defaults_form, text_field
from portal.notifications.kinds import DEFAULT_DELIVERY, OPTIONAL_KINDS, RULES
from portal.notifications.preferences import Route
from portal.panels.service import get_panel
from portal.security import csrf_checked_by_form

PANEL = "/panels/<int:panel_id>"


@bp.route(PANEL + "/message-defaults", methods=["GET", "POST"])
@panel_page(Action.NOTIFICATION_DEFAULTS)
@csrf_checked_by_form
def panel_defaults(panel_id: int) -> ResponseReturnValue:
    panel = found_or_404(get_panel(panel_id))
    current = preferences.panel_defaults(panel_id)
    data: dict[str, object] = {}
    for kind in OPTIONAL_KINDS:
        route = current.get(kind, Route(DEFAULT_DELIVERY, False))
        data[delivery_field(kind)] = route.delivery.value
        if RULES[kind].text_allowed:
            data[text_field(kind)] = route.by_text
    form = panel_defaults_form(OPTIONAL_KINDS, data=data)
    if form.validate_on_submit():
        preferences.save_panel_defaults(panel_id, form.routes())
        flash(gettext("The panel's defaults have been saved."), "success")
        return redirect(url_for(".panel_defaults", panel_id=panel_id))
    return render_template(
        "notifications/panel_defaults.html",
        panel=panel,
        form=form,
        kinds=OPTIONAL_KINDS,
        rules=RULES,
    )


@bp.get(PANEL + "/calls-to-make")
@panel_page(Action.CALLS_VIEW)
def calls(panel_id: int) -> ResponseReturnValue:
    panel = found_or_404(get_panel(panel_id))
    return render_template(
        "notifications/calls.html", panel=panel, calls=calls_to_make(panel_id, utcnow())
    )
