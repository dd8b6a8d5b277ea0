"""Draft pages have a heading outline a screen reader can follow: it never skips a level (an h3
straight after the h1 leaves people wondering what they missed), and no markup that is not
valid HTML, such as ``<span role="text">``."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

from flask.testing import FlaskClient

from portal.drafts.service import DraftDetails, ItemDetails, add_item, publish, update_draft
from portal.extensions import db
from tests.conftest import csrf_token_from, hidden_inputs
from tests.integration.round_helpers import items_of, open_round, published_draft, round_url
from tests.roles import Cast


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def heading_levels(html: str) -> list[int]:
    parser = _Headings()
    parser.feed(html)
    return parser.levels


def assert_outline_is_sound(url: str, html: str) -> None:
    levels = heading_levels(html)
    assert 1 in levels, f"{url} has no h1"
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"{url} skips from h{before} to h{after}: {levels}"
    assert 'role="text"' not in html, url


def test_the_outline_checker_notices_a_skipped_level() -> None:
    assert heading_levels("<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>") == [1, 2, 3, 2]
    try:
        assert_outline_is_sound("/", "<h1>A</h1><h3>B</h3>")
    except AssertionError as error:
        assert "skips from h1 to h3" in str(error)
    else:
        raise AssertionError("a skipped level went unnoticed")


def test_draft_pages_with_a_content_note_never_skip_a_heading_level(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, version = published_draft(
        cast, content_note="Some actions talk about racism and being detained."
    )
    review_round = open_round(cast, draft, version)
    first, _second = items_of(version)
    base = f"/panels/{cast.panel.id}/drafts"
    round_base = round_url(cast, draft, review_round)
    member_pages = [
        base,
        f"{base}/{draft.id}/versions/1",
        f"{round_base}/check",
        f"{round_base}/check/items/{first.id}",
        f"{round_base}/check/missing",
        f"{round_base}/check/rewording",
        f"{round_base}/check/answers",
    ]
    member = client_as("member")
    for url in member_pages:
        response = member.get(url)
        assert response.status_code == 200, url
        assert_outline_is_sound(url, response.get_data(as_text=True))
    start = member.get(f"{round_base}/check").get_data(as_text=True)
    assert "Important: </span>Before you start</h2>" in start

    # A second version, so the study team's comparison page exists too.
    item = add_item(draft, ItemDetails(title="Longer appointments"), draft.lock_version)
    publish(draft, cast.people["researcher"].id, draft.lock_version)
    db.session.commit()
    researcher_pages = [
        base,
        f"{base}/new",
        f"{base}/{draft.id}",
        f"{base}/{draft.id}/edit",
        f"{base}/{draft.id}/items/new",
        f"{base}/{draft.id}/items/{item.id}/edit",
        f"{base}/{draft.id}/items/{item.id}/remove",
        f"{base}/{draft.id}/publish",
        f"{base}/{draft.id}/versions/1",
        f"{base}/{draft.id}/compare",
        round_base,
        f"{round_base}/results",
        f"{round_base}/deadline",
        f"{round_base}/close",
    ]
    team = client_as("researcher")
    for url in researcher_pages:
        response = team.get(url)
        assert response.status_code == 200, url
        assert_outline_is_sound(url, response.get_data(as_text=True))


def test_the_draft_conflict_page_never_skips_a_heading_level(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, _version = published_draft(cast)
    url = f"/panels/{cast.panel.id}/drafts/{draft.id}/edit"
    client = client_as("researcher")
    page = client.get(url).get_data(as_text=True)
    update_draft(
        draft,
        DraftDetails(kind=draft.kind, title="Saved first by a colleague"),
        draft.lock_version,
    )
    db.session.commit()
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "lock_version": hidden_inputs(page)["lock_version"],
            "kind": draft.kind.value,
            "title": "My title",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert_outline_is_sound(url, html)
    # The component used to print a plain heading twice: once as the heading, once as text.
    assert html.count("Your changes have not been saved yet") == 1
