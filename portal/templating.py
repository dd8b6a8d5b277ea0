"""What every template can use: the service's name, the header's links, and the filters that
put dates, times, lengths and file sizes into words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask.globals import _cv_app
from flask_babel import (
    get_locale,
    get_translations,
    gettext,
    lazy_gettext,
    ngettext,
)
from flask_login import current_user
from jinja2 import Template
from wtforms import Field, Form
from wtforms.fields import FieldList, FormField

from portal import languages
from portal.components import init_components
from portal.dates import format_date, format_datetime
from portal.panels.models import Membership
from portal.panels.service import is_paused
from portal.readability import advice

LONDON = ZoneInfo("Europe/London")


# The header's panel links: (endpoint, label, action needed in the panel). A link appears once
# its endpoint exists and the person's role in the panel allows the action.
PANEL_LINKS: tuple[tuple[str, str, str], ...] = (
    ("drafts.list_drafts", "Drafts", "draft.read"),
    ("meetings.list_meetings", "Meetings", "meeting.read"),
    ("questionnaires.list_questionnaires", "Questionnaires", "questionnaire.read"),
    ("feedback.my_feedback", "My feedback", "feedback.own"),
    ("feedback.inbox", "Inbox", "triage.manage"),
    ("involvement.my_involvement", "My involvement", "involvement.own"),
    ("involvement.owed_list", "Payments", "involvement.view_all"),
    ("admin.panel_members", "Members", "members.view"),
)


# Translated when a link is built: one look-up for the label shown, not one for every label.
PANEL_LABELS = {
    "Drafts": lazy_gettext("Drafts"),
    "Meetings": lazy_gettext("Meetings"),
    "Questionnaires": lazy_gettext("Questionnaires"),
    "My feedback": lazy_gettext("My feedback"),
    "Inbox": lazy_gettext("Inbox"),
    "My involvement": lazy_gettext("My involvement"),
    "Payments": lazy_gettext("Payments"),
    "Members": lazy_gettext("Members"),
}


def _panel_label(label: str) -> str:
    return str(PANEL_LABELS[label])


def _header_panel_id(memberships: list[Membership]) -> int | None:
    """The panel the header's links are for: the one in the URL when the person is in it, else
    their only panel. The URL's value is only looked up among the person's own memberships,
    never sent to the database, so an error page for a wrong address runs no query with it."""
    panel_ids = [membership.panel_id for membership in memberships]
    in_url = (request.view_args or {}).get("panel_id")
    if isinstance(in_url, int):
        return in_url if in_url in panel_ids else None
    return panel_ids[0] if len(panel_ids) == 1 else None


def _panel_links(panel_id: int) -> list[dict[str, Any]]:
    from portal.access import ACTIONS, can

    links = []
    for endpoint, label, action in PANEL_LINKS:
        if endpoint not in current_app.view_functions or action not in ACTIONS:
            continue
        if can(action, panel_id):
            links.append(
                {
                    "href": url_for(endpoint, panel_id=panel_id),
                    "text": _panel_label(label),
                    "endpoint": endpoint,
                }
            )
    return links


def load_navigation() -> list[dict[str, Any]]:
    """The header's links for whoever is looking. ``current`` marks the page they are on.

    Loaded once per request, before the first page template renders, in one query (the
    person's memberships with their panels); the layout only reads the list.
    """
    if "navigation" in g:
        return g.navigation  # type: ignore[no-any-return]
    items: list[dict[str, Any]] = [
        {"href": url_for("core.home"), "text": gettext("Home"), "endpoint": "core.home"},
    ]
    if current_user.is_authenticated:
        from portal.access import my_memberships

        memberships = my_memberships()
        panel_id = _header_panel_id(memberships)
        if panel_id is not None:
            items.extend(_panel_links(panel_id))
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
    g.navigation = items
    return items


def london_time(value: datetime, format: str = "EEEE d MMMM yyyy, h:mma") -> str:
    """A UTC moment as people in England read it, right across clock changes."""
    return format_datetime(value.astimezone(LONDON), format).replace("AM", "am").replace("PM", "pm")


def duration_words(minutes: int) -> str:
    """A length of time as people say it: "1 hour 30 minutes"."""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if rest or not hours:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", rest))
    return " ".join(parts)


def file_size_words(size_bytes: int) -> str:
    """A file's size as people read it: "340 KB", "2.5 MB"."""
    if size_bytes < 1024 * 1024:
        return gettext("%(size)s KB", size=max(1, round(size_bytes / 1024)))
    return gettext("%(size).1f MB", size=size_bytes / (1024 * 1024))


def long_date(value: date) -> str:
    """A date as people write it: "14 March 2027"."""
    return format_date(value, "d MMMM yyyy")


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
        # Outside a request (mail rendered by the worker) there is no header to fill.
        "navigation": load_navigation() if has_request_context() else [],
        "role_names": {
            "member": gettext("Member"),
            "chair": gettext("Chair"),
            "researcher": gettext("Researcher"),
        },
    }


class PortalTemplate(Template):
    """Jinja's template with a cheaper check, made each time a macro file is imported, for
    globals that the importing page has and the macro file lacks.

    Jinja answers it with a set difference against a ``ChainMap`` of the globals, which looks
    every name up in Python: a page that shows 25 NHS.UK checkboxes imports macro files about
    400 times, and the check was a fifth of its time. The same difference, taken against each
    mapping of the chain in C, gives the same names.
    """

    def _get_default_module(self, ctx: Any = None) -> Any:
        if ctx is not None:
            own = self.globals
            maps = getattr(own, "maps", None)
            keys = ctx.globals_keys.difference(*maps) if maps else ctx.globals_keys - own.keys()
            if keys:
                return self.make_module({key: ctx.parent[key] for key in keys})
        if self._module is None:
            self._module = self.make_module()
        return self._module


def _translations() -> Any:
    """This request's translations, looked up once for each language the request uses.

    Flask-Babel finds them again for every string, through several context look-ups; a page of
    results translates some 400 strings. The translations are kept beside the locale Flask-Babel
    chose, so ``force_locale`` (mail in its reader's language) and ``refresh`` are still seen.
    """
    app_context = _cv_app.get(None)
    babel_context = app_context.g.__dict__.get("_flask_babel") if app_context else None
    locale = getattr(babel_context, "babel_locale", None)
    if locale is None:
        return get_translations()
    kept = babel_context.__dict__.get("portal_translations")
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    babel_context.portal_translations = (locale, translations)
    return translations


def _install_fast_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )


def init_templating(app: Flask) -> None:
    app.jinja_env.template_class = PortalTemplate
    init_components(app.jinja_env)
    _install_fast_gettext(app)
    app.context_processor(_template_globals)
    app.add_template_filter(london_time)
    app.add_template_filter(duration_words, "duration")
    app.add_template_filter(file_size_words, "file_size")
    app.add_template_filter(long_date)
    # "Paused" beside a member, for the team; never why.
    app.add_template_test(is_paused, "paused")
    # Globals, unlike context variables, are seen by imported macro files too.
    app.jinja_env.globals.update(
        form_errors=form_errors,
        get_locale=get_locale,
        length_limit=length_limit,
        languages=languages,
        reading_advice=advice,
    )
