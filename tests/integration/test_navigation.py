"""The header's links: loaded before the page renders, for the panel the person is looking at."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from portal.panels.models import Role
from tests.factories import add_to_panel, make_panel, make_user, sign_in


def _header_links(client: FlaskClient, url: str) -> list[str]:
    response = client.get(url)
    header = response.get_data(as_text=True).split("</header>")[0]
    return re.findall(r'class="nhsuk-header__navigation-link" href="([^"]+)"', header)


def test_the_header_links_to_the_panel_in_the_address(client: FlaskClient) -> None:
    first, second = make_panel("First study"), make_panel("Second study")
    member = make_user()
    add_to_panel(first, member, Role.MEMBER)
    add_to_panel(second, member, Role.CHAIR)
    sign_in(client, member)

    # In two panels and on the home page: no one panel to link to.
    assert _header_links(client, "/") == ["/", "/account"]
    on_first = _header_links(client, f"/panels/{first.id}/drafts")
    assert f"/panels/{first.id}/drafts" in on_first
    assert not any(f"/panels/{second.id}/" in link for link in on_first)
    assert f"/panels/{second.id}/members" in _header_links(client, f"/panels/{second.id}/drafts")


def test_a_page_of_another_panel_shows_no_panel_links(client: FlaskClient) -> None:
    mine, theirs = make_panel(), make_panel()
    member = make_user()
    add_to_panel(mine, member, Role.MEMBER)
    sign_in(client, member)

    assert f"/panels/{mine.id}/drafts" in _header_links(client, "/")  # their only panel
    response = client.get(f"/panels/{theirs.id}/drafts")
    assert response.status_code == 404
    header = response.get_data(as_text=True).split("</header>")[0]
    assert "/drafts" not in header
    assert "Page not found" in response.get_data(as_text=True)
