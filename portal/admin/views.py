"""Administration pages (administrators) and panel membership pages (chair and study team).

Administrators' pages are under /admin: every one is for administrators only (the rule in
``portal.access``). Each view loads what it changes (404 when it does not belong to the panel in
the URL) → calls the service → commits once → redirects, or renders.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import found_or_404
from portal.admin import panels as panel_service
from portal.admin.blueprint import bp
from portal.admin.forms import ConfirmForm, PanelForm, SiteForm
from portal.admin.loaders import load_panel
from portal.admin.members import panel_members
from portal.admin.panels import PanelEditConflict, SiteNameTaken
from portal.extensions import db
from portal.panels.models import Site
from portal.panels.service import sites_of
from portal.security import csrf_checked_by_form


def _load_site(panel_id: int, site_id: int) -> Site:
    return found_or_404(panel_service.get_site(panel_id, site_id))


@bp.get("/admin")
def index() -> ResponseReturnValue:
    return render_template("admin/index.html")


# --- panels ---------------------------------------------------------------------------------


@bp.get("/admin/panels")
def list_panels() -> ResponseReturnValue:
    return render_template("admin/panels.html", rows=panel_service.panel_rows())


@bp.route("/admin/panels/new", methods=["GET", "POST"])
@csrf_checked_by_form
def new_panel() -> ResponseReturnValue:
    form = PanelForm()
    if form.validate_on_submit():
        panel = panel_service.create_panel(form.details(), current_user.id)
        db.session.commit()
        flash(gettext("Panel created. Now add its sites and invite people."), "success")
        return redirect(url_for(".show_panel", panel_id=panel.id))
    return render_template("admin/edit_panel.html", form=form, panel=None)


@bp.get("/admin/panels/<int:panel_id>")
def show_panel(panel_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    return render_template(
        "admin/panel.html",
        panel=panel,
        sites=sites_of(panel_id),
        members=panel_members(panel_id),
    )


@bp.route("/admin/panels/<int:panel_id>/edit", methods=["GET", "POST"])
@csrf_checked_by_form
def edit_panel(panel_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    form = PanelForm(obj=panel if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            panel_service.update_panel(panel, form.details(), form.lock_version.data or 0)
        except PanelEditConflict:
            db.session.rollback()
            fresh = load_panel(panel_id)
            db.session.refresh(fresh)
            # Saving from the conflict page is a deliberate choice to replace what is saved.
            form.lock_version.data = fresh.lock_version
            form.lock_version.raw_data = [str(fresh.lock_version)]
            return render_template("admin/panel_conflict.html", form=form, panel=fresh), 409
        db.session.commit()
        flash(gettext("Your changes have been saved."), "success")
        return redirect(url_for(".show_panel", panel_id=panel.id))
    return render_template("admin/edit_panel.html", form=form, panel=panel)


@bp.route("/admin/panels/<int:panel_id>/archive", methods=["GET", "POST"])
@csrf_checked_by_form
def archive_panel(panel_id: int) -> ResponseReturnValue:
    """Archive an open panel, or bring back an archived one (the same page, either way)."""
    panel = load_panel(panel_id)
    form = ConfirmForm()
    archiving = panel.archived_at is None
    if form.validate_on_submit():
        panel_service.set_archived(panel, archiving)
        db.session.commit()
        flash(
            gettext("Panel archived.") if archiving else gettext("Panel brought back."),
            "success",
        )
        return redirect(url_for(".show_panel", panel_id=panel.id))
    return render_template("admin/archive_panel.html", form=form, panel=panel, archiving=archiving)


# --- sites ----------------------------------------------------------------------------------


@bp.route("/admin/panels/<int:panel_id>/sites/new", methods=["GET", "POST"])
@csrf_checked_by_form
def new_site(panel_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    form = SiteForm()
    if form.validate_on_submit():
        try:
            panel_service.add_site(panel.id, (form.name.data or "").strip())
        except SiteNameTaken:
            db.session.rollback()
            form.name.errors = [gettext("This panel already has a site with that name")]
        else:
            db.session.commit()
            flash(gettext("Site added."), "success")
            return redirect(url_for(".show_panel", panel_id=panel.id, _anchor="sites"))
    return render_template("admin/edit_site.html", form=form, panel=panel, site=None)


@bp.route("/admin/panels/<int:panel_id>/sites/<int:site_id>/rename", methods=["GET", "POST"])
@csrf_checked_by_form
def rename_site(panel_id: int, site_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    site = _load_site(panel_id, site_id)
    form = SiteForm(obj=site if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            panel_service.rename_site(site, (form.name.data or "").strip())
        except SiteNameTaken:
            db.session.rollback()
            form.name.errors = [gettext("This panel already has a site with that name")]
            site = _load_site(panel_id, site_id)
        else:
            db.session.commit()
            flash(gettext("Site renamed."), "success")
            return redirect(url_for(".show_panel", panel_id=panel.id, _anchor="sites"))
    return render_template("admin/edit_site.html", form=form, panel=panel, site=site)


@bp.route("/admin/panels/<int:panel_id>/sites/<int:site_id>/remove", methods=["GET", "POST"])
@csrf_checked_by_form
def remove_site(panel_id: int, site_id: int) -> ResponseReturnValue:
    panel = load_panel(panel_id)
    site = _load_site(panel_id, site_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        panel_service.remove_site(site)
        db.session.commit()
        flash(gettext("Site removed."), "success")
        return redirect(url_for(".show_panel", panel_id=panel.id, _anchor="sites"))
    return render_template("admin/remove_site.html", form=form, panel=panel, site=site)
