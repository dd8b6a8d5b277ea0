"""Administration: the dashboard, panels (create, change with edit conflicts, archive) and sites."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.drafts.models import Draft, DraftKind
from portal.drafts.service import DraftDetails, create_draft
from portal.extensions import db
from portal.panels.models import Panel, Role, Site
from tests.conftest import csrf_token_from, hidden_inputs, submit_form
from tests.factories import add_to_panel, make_panel, make_user, sign_in
from tests.roles import Cast


def audit_actions() -> list[str]:
    """What the audit log holds, apart from signing in and out."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.not_in(("sign_in", "sign_out")))
            .order_by(AuditEvent.id)
        )
    )


def test_the_header_links_administrators_to_a_dashboard_of_every_section(
    client_as: Callable[[str], FlaskClient],
) -> None:
    admin = client_as("admin")
    home = admin.get("/").get_data(as_text=True)
    assert 'href="/admin"' in home and "Administration" in home
    page = admin.get("/admin").get_data(as_text=True)
    for section, href in (
        ("Panels", "/admin/panels"),
        ("People", "/admin/people"),
        ("Audit log", "/admin/audit"),
        ("Support contacts", "/support/edit"),
    ):
        assert section in page and f'href="{href}"' in page
    researcher_home = client_as("researcher").get("/").get_data(as_text=True)
    assert 'href="/admin"' not in researcher_home


def test_an_administrator_creates_a_panel_and_it_is_recorded(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    admin = client_as("admin")
    response = submit_form(
        admin,
        "/admin/panels/new",
        {"name": "  Sheffield young people's LEAP ", "description": "Advises the study."},
    )
    assert response.status_code == 302
    panel = db.session.scalars(select(Panel).where(Panel.name.like("Sheffield%"))).one()
    assert panel.name == "Sheffield young people's LEAP"
    assert response.headers["Location"] == f"/admin/panels/{panel.id}"
    page = admin.get(f"/admin/panels/{panel.id}").get_data(as_text=True)
    assert "Panel created" in page and "Advises the study." in page
    listing = admin.get("/admin/panels").get_data(as_text=True)
    assert "Sheffield young people&#39;s LEAP" in listing and "Study panel" in listing
    assert audit_actions() == ["panel_created"]


def test_a_panel_without_a_name_is_refused_with_the_typed_text_kept(
    client_as: Callable[[str], FlaskClient],
) -> None:
    response = submit_form(
        client_as("admin"), "/admin/panels/new", {"name": " ", "description": "Kept text"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#name"' in html
    assert "Enter the name of the panel" in html and "Kept text" in html


def test_changing_a_panel_saves_and_a_stale_save_shows_both_versions(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    first = client_as("admin")
    other_admin = make_user(name="Second administrator", is_admin=True)
    second = first.application.test_client()
    sign_in(second, other_admin)
    url = f"/admin/panels/{cast.panel.id}/edit"
    # Both open the edit page before either saves.
    first_page = first.get(url).get_data(as_text=True)
    second_page = second.get(url).get_data(as_text=True)
    assert hidden_inputs(first_page)["lock_version"] == "1"

    saved = first.post(
        url,
        data={
            **hidden_inputs(first_page),
            "name": "Study panel (renamed)",
            "description": "First description",
        },
    )
    assert saved.status_code == 302
    conflict = second.post(
        url,
        data={
            **hidden_inputs(second_page),
            "name": "My new name",
            "description": "My careful description",
        },
    )
    html = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "Someone else saved this panel" in html
    assert "Study panel (renamed)" in html and "First description" in html
    assert "My new name" in html and "My careful description" in html
    db.session.expire_all()
    assert db.session.get(Panel, cast.panel.id).name == "Study panel (renamed)"

    # Saving from the conflict page is a deliberate choice: it replaces what was saved.
    again = second.post(
        url,
        data={
            **hidden_inputs(html),
            "csrf_token": csrf_token_from(html),
            "name": "My new name",
            "description": "My careful description",
        },
    )
    assert again.status_code == 302
    db.session.expire_all()
    panel = db.session.get(Panel, cast.panel.id)
    assert panel.name == "My new name" and panel.lock_version == 3
    assert audit_actions() == ["panel_changed", "panel_changed"]


def test_archiving_stops_invitations_and_can_be_undone(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    admin = client_as("admin")
    url = f"/admin/panels/{cast.panel.id}/archive"
    assert "Archive Study panel?" in admin.get(url).get_data(as_text=True)
    assert submit_form(admin, url, {}).status_code == 302
    page = admin.get(f"/admin/panels/{cast.panel.id}").get_data(as_text=True)
    assert "Panel archived." in page and "Nobody new can join it" in page
    assert "Invite someone" not in page
    refused = admin.get(f"/admin/panels/{cast.panel.id}/invitations/new", follow_redirects=True)
    assert "archived, so nobody new can join" in refused.get_data(as_text=True)
    assert client_as("researcher").get(f"/panels/{cast.panel.id}/members/invite").status_code == (
        403
    )

    assert "Bring back Study panel?" in admin.get(url).get_data(as_text=True)
    submit_form(admin, url, {})
    db.session.expire_all()
    assert db.session.get(Panel, cast.panel.id).archived_at is None
    assert audit_actions() == ["panel_archived", "panel_restored"]


def test_sites_are_added_renamed_and_removed_per_panel(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    admin = client_as("admin")
    base = f"/admin/panels/{cast.panel.id}/sites"
    assert submit_form(admin, f"{base}/new", {"name": "Greater Manchester"}).status_code == 302
    site = db.session.scalars(select(Site).where(Site.name == "Greater Manchester")).one()
    assert site.panel_id == cast.panel.id
    site_id = site.id

    # The same name twice in one panel is refused, whatever the case; another panel may have it.
    taken = submit_form(admin, f"{base}/new", {"name": "greater manchester"})
    assert "already has a site with that name" in taken.get_data(as_text=True)
    other = f"/admin/panels/{cast.other_panel.id}/sites/new"
    assert submit_form(admin, other, {"name": "Greater Manchester"}).status_code == 302

    renamed = submit_form(admin, f"{base}/{site.id}/rename", {"name": "Manchester"})
    assert renamed.status_code == 302
    page = admin.get(f"/admin/panels/{cast.panel.id}").get_data(as_text=True)
    assert "Manchester" in page and "Site renamed." in page
    clash = submit_form(admin, f"{base}/{site.id}/rename", {"name": "East London"})
    assert "already has a site with that name" in clash.get_data(as_text=True)

    # A site of another panel is not found through this panel's address.
    other_site = db.session.scalars(select(Site).where(Site.panel_id == cast.other_panel.id))
    other_site_id = other_site.first().id
    assert admin.get(f"{base}/{other_site_id}/rename").status_code == 404
    assert admin.get(f"{base}/{other_site_id}/remove").status_code == 404

    draft = create_draft(
        cast.panel.id,
        DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title="Manchester list", site_id=site.id),
        cast.people["researcher"].id,
    )
    db.session.commit()
    assert submit_form(admin, f"{base}/{site_id}/remove", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Site, site_id) is None
    assert db.session.get(Draft, draft.id).site_id is None  # the draft stays, for all sites
    assert audit_actions() == ["site_added", "site_added", "site_renamed", "site_removed"]


def test_the_panel_list_takes_the_same_queries_however_many_panels(
    client_as: Callable[[str], FlaskClient], count_queries: Callable
) -> None:
    admin = client_as("admin")
    admin.get("/admin/panels")
    with count_queries() as few:
        admin.get("/admin/panels")
    for number in range(6):
        panel = make_panel(f"Extra panel {number}")
        add_to_panel(panel, make_user(), Role.MEMBER)
    with count_queries() as many:
        page = admin.get("/admin/panels").get_data(as_text=True)
    assert "Extra panel 5" in page
    assert many.count == few.count


def test_the_panel_page_takes_the_same_queries_however_many_members(
    client_as: Callable[[str], FlaskClient], cast: Cast, count_queries: Callable
) -> None:
    admin = client_as("admin")
    url = f"/admin/panels/{cast.panel.id}"
    admin.get(url)
    with count_queries() as few:
        admin.get(url)
    for _ in range(5):
        add_to_panel(cast.panel, make_user(), Role.MEMBER)
    with count_queries() as many:
        admin.get(url)
    assert many.count == few.count
