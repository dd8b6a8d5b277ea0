"""What every template can use: the service's name, the header's links, and date filters."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request, url_for
from flask_babel import format_datetime, get_locale, gettext
from flask_login import current_user
from wtforms import Form
from wtforms.fields import FieldList, FormField

LONDON = ZoneInfo("Europe/London")


def navigation() -> list[dict[str, Any]]:
    """The header's links for whoever is looking. ``current`` marks the page they are on."""
    items: list[dict[str, Any]] = [
        {"href": url_for("core.home"), "text": gettext("Home"), "endpoint": "core.home"},
    ]
    if current_user.is_authenticated and current_user.is_admin:
        items.append(
            {
                "href": url_for("core.edit_support"),
                "text": gettext("Administration"),
                "endpoint": "core.edit_support",
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
    app.jinja_env.globals.update(form_errors=form_errors, get_locale=get_locale)
