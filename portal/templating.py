"""What every template can use: the service's name, the header's links, and date filters."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, request, url_for
from flask_babel import format_datetime, get_locale, gettext
from flask_login import current_user
from wtforms import Field, Form
from wtforms.fields import FieldList, FormField

LONDON = ZoneInfo("Europe/London")


# The header's panel links: (endpoint, label, action needed in the panel). A link appears once
# its endpoint exists and the person's role in the panel allows the action.
PANEL_LINKS: tuple[tuple[str, str, str], ...] = (
    ("drafts.list_drafts", "Drafts", "draft.read"),
    ("meetings.list_meetings", "Meetings", "meeting.read"),
    ("questionnaires.list_questionnaires", "Questionnaires", "questionnaire.read"),
    ("feedback.my_feedback", "My feedback", "feedback.own"),
    ("feedback.inbox", "Inbox", "triage.manage"),
    ("admin.panel_members", "Members", "members.view"),
)


def _panel_label(label: str) -> str:
    labels = {
        "Drafts": gettext("Drafts"),
        "Meetings": gettext("Meetings"),
        "Questionnaires": gettext("Questionnaires"),
        "My feedback": gettext("My feedback"),
        "Inbox": gettext("Inbox"),
        "Members": gettext("Members"),
    }
    return labels[label]


def current_panel_id() -> int | None:
    """The panel the header's links are for: the one in the URL, else the person's only panel."""
    from portal.panels.service import memberships_of

    # An error page never looks anything up with the address's values: they may be what failed.
    panel_id = None if g.get("error_page") else (request.view_args or {}).get("panel_id")
    if isinstance(panel_id, int):
        return panel_id
    if "only_panel_id" not in g:
        memberships = memberships_of(current_user.id)
        # The access policy's per-request cache learns these too, so no second look-up.
        known = g.setdefault("memberships", {})
        for membership in memberships:
            known.setdefault(membership.panel_id, membership)
        g.only_panel_id = memberships[0].panel_id if len(memberships) == 1 else None
    return g.only_panel_id  # type: ignore[no-any-return]


def navigation() -> list[dict[str, Any]]:
    """The header's links for whoever is looking. ``current`` marks the page they are on."""
    from portal.access import ACTIONS, can, membership_in

    items: list[dict[str, Any]] = [
        {"href": url_for("core.home"), "text": gettext("Home"), "endpoint": "core.home"},
    ]
    if current_user.is_authenticated:
        panel_id = current_panel_id()
        if panel_id is not None and membership_in(panel_id) is not None:
            for endpoint, label, action in PANEL_LINKS:
                if endpoint not in current_app.view_functions or action not in ACTIONS:
                    continue
                if can(action, panel_id):
                    items.append(
                        {
                            "href": url_for(endpoint, panel_id=panel_id),
                            "text": _panel_label(label),
                            "endpoint": endpoint,
                        }
                    )
        if "accounts.account" in current_app.view_functions:
            items.append(
                {
                    "href": url_for("accounts.account"),
                    "text": gettext("Your account"),
                    "endpoint": "accounts.account",
                }
            )
        if current_user.is_admin:
            endpoint = "admin.index" if "admin.index" in current_app.view_functions else None
            items.append(
                {
                    "href": url_for(endpoint or "core.edit_support"),
                    "text": gettext("Administration"),
                    "endpoint": endpoint or "core.edit_support",
                }
            )
    for item in items:
        item["current"] = request.endpoint == item.pop("endpoint")
    return items


def london_time(value: datetime, format: str = "EEEE d MMMM yyyy, h:mma") -> str:
    """A UTC moment as people in England read it, right across clock changes."""
    return format_datetime(value.astimezone(LONDON), format).replace("AM", "am").replace("PM", "pm")


def form_errors(form: Form) -> list[tuple[str, str]]:
    """Every error in a form, nested forms included, as (id of the field, message) pairs.

    The CSRF field is hidden, so its error links to the message shown at the top of the form.
    """
    found: list[tuple[str, str]] = []
    for field in form:
        if isinstance(field, FormField):
            found.extend(form_errors(field.form))
        elif isinstance(field, FieldList):
            for entry in field:
                if isinstance(entry, FormField):
                    found.extend(form_errors(entry.form))
                else:
                    found.extend((entry.id, str(message)) for message in entry.errors)
        elif field.errors:
            target = f"{field.id}-error" if field.type == "CSRFTokenField" else field.id
            found.extend((target, str(message)) for message in field.errors)
    return found


def length_limit(field: Field) -> int | None:
    """The most characters a field takes, read from its validators, so that every limited
    text box shows a count without each template repeating the number."""
    limits = [
        limit
        for validator in field.validators
        for limit in (getattr(validator, "max", None), getattr(validator, "limit", None))
        if isinstance(limit, int) and limit > 0
    ]
    return min(limits) if limits else None


def _template_globals() -> dict[str, Any]:
    config = current_app.config
    return {
        "service_name": config["SERVICE_NAME"],
        "organisation_name": config["ORGANISATION_NAME"],
        "logo_url": config["LOGO_URL"],
        "navigation": navigation,
        "role_names": {
            "member": gettext("Member"),
            "chair": gettext("Chair"),
            "researcher": gettext("Researcher"),
        },
    }


def init_templating(app: Flask) -> None:
    app.context_processor(_template_globals)
    app.add_template_filter(london_time)
    # Globals, unlike context variables, are seen by imported macro files too.
    app.jinja_env.globals.update(
        form_errors=form_errors, get_locale=get_locale, length_limit=length_limit
    )
