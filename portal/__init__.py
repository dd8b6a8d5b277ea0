"""LEAP Portal: where a Lived Experience Advisory Panel and a study team work together."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask, send_from_directory
from flask.typing import ResponseReturnValue
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.components import ComponentLoader
from portal.config import load_config
from portal.extensions import babel, csrf, db, limiter, login_manager
from portal.language_choice import select_locale

ROOT = Path(__file__).resolve().parent.parent
VENDOR_ASSETS = ROOT / "static" / "vendor" / "nhsuk" / "assets"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application. Reads configuration; opens no connections and writes nothing."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, config)
    logging.getLogger("portal").setLevel(app.config["LOG_LEVEL"])
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
        )

    # NHS.UK frontend macros expect chained look-ups of missing parameters to be empty.
    app.jinja_options = {
        **app.jinja_options,
        "undefined": ChainableUndefined,
        # Flask escapes only .html files by default; NHS.UK's macros are .jinja files and print
        # what they are given (form values, error messages), so they are escaped too.
        "autoescape": _autoescape,
        "extensions": ["jinja2.ext.do"],
        "loader": ChoiceLoader(
            [
                FileSystemLoader(str(ROOT / "templates")),
                # Each component rendered once for each set of parameters: portal.components.
                ComponentLoader(PackageLoader("nhsuk_frontend_jinja")),
            ]
        ),
    }

    from portal.ids import init_ids
    from portal.incoming import init_incoming
    from portal.request_scope import init_request_scope

    init_request_scope(app)
    init_ids(app)  # before any route is added
    init_incoming(app)
    _init_extensions(app)
    _register_blueprints(app)

    from portal.access import init_access, public_page
    from portal.core.errors import register_error_handlers
    from portal.security import init_security
    from portal.static_files import init_static_files
    from portal.templating import init_templating
    from portal.text import init_text

    init_security(app)
    init_access(app)
    init_templating(app)
    init_text(app)
    register_error_handlers(app)
    init_static_files(app)

    from portal.cli import register_cli

    register_cli(app)

    @app.get("/assets/<path:filename>")
    @public_page
    def nhsuk_assets(filename: str) -> ResponseReturnValue:
        """NHS.UK frontend's images, at the address its stylesheet expects."""
        return send_from_directory(VENDOR_ASSETS, filename, max_age=86400)

    return app


def _autoescape(template_name: str | None) -> bool:
    return template_name is None or template_name.endswith(
        (".html", ".htm", ".xml", ".xhtml", ".svg", ".jinja")
    )


def _init_extensions(app: Flask) -> None:
    import portal.models  # noqa: F401  (every model, so the metadata is complete)

    db.init_app(app)
    from portal.transaction import init_commit_point

    init_commit_point(app)
    from portal.schema import init_migrations

    init_migrations(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    from portal.accounts.sessions import init_sessions

    init_sessions(app, login_manager)


# Every module that adds routes to a domain's ``bp``. Importing one adds its routes; none of them
# imports another, so the order here is only the order of the list.
VIEW_MODULES = (
    "portal.core.views",
    "portal.accounts.views",
    "portal.accounts.invitation_views",
    "portal.accounts.link_views",
    "portal.accounts.account_views",
    "portal.accounts.two_step_views",
    "portal.accounts.single_sign_on_views",
    "portal.admin.views",
    "portal.admin.audit_views",
    "portal.admin.invitation_views",
    "portal.admin.member_views",
    "portal.admin.people_views",
    "portal.drafts.views",
    "portal.rounds.views",
    "portal.rounds.check_views",
    "portal.rounds.results_views",
    "portal.feedback.views",
    "portal.feedback.triage_views",
    "portal.meetings.views",
    "portal.meetings.agenda_views",
    "portal.meetings.minutes_views",
    "portal.meetings.poll_views",
    "portal.questionnaires.views",
    "portal.questionnaires.answer_views",
    "portal.questionnaires.results_views",
    "portal.involvement.member_views",
    "portal.involvement.team_views",
    "portal.involvement.rate_views",
    "portal.involvement.expense_views",
    "portal.involvement.batch_views",
    "portal.involvement.organisation_views",
    "portal.notifications.views",
    "portal.notifications.panel_views",
    "portal.notifications.callback_views",
    "portal.agreements.member_views",
    "portal.agreements.team_views",
    "portal.rights.care_views",
    "portal.rights.data_views",
    "portal.rights.settings_views",
    "portal.summaries.views",
)


def _register_blueprints(app: Flask) -> None:
    for name in VIEW_MODULES:
        import_module(name)
    from portal.accounts.blueprint import bp as accounts_bp
    from portal.admin.blueprint import bp as admin_bp
    from portal.agreements.blueprint import bp as agreements_bp
    from portal.core.blueprint import bp as core_bp
    from portal.drafts.blueprint import bp as drafts_bp
    from portal.feedback.blueprint import bp as feedback_bp
    from portal.involvement.blueprint import bp as involvement_bp
    from portal.meetings.blueprint import bp as meetings_bp
    from portal.notifications.blueprint import bp as notifications_bp
    from portal.questionnaires.blueprint import bp as questionnaires_bp
    from portal.rights.blueprint import bp as rights_bp
    from portal.rounds.blueprint import bp as rounds_bp
    from portal.summaries.blueprint import bp as summaries_bp

    for blueprint in (
        core_bp,
        accounts_bp,
        admin_bp,
        drafts_bp,
        rounds_bp,
        feedback_bp,
        meetings_bp,
        questionnaires_bp,
        involvement_bp,
        notifications_bp,
        agreements_bp,
        rights_bp,
        summaries_bp,
    ):
        app.register_blueprint(blueprint)
