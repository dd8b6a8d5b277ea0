"""Drafts: the study team writes, reorders, publishes and compares; the panel reads versions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.drafts.models import Draft, DraftItem, DraftKind, DraftVersion
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from tests.conftest import csrf_token_from, hidden_inputs, submit_form
from tests.roles import Cast


def make_draft(cast: Cast, titles: tuple[str, ...] = ("Peer support in every ward",)) -> Draft:
    researcher = cast.people["researcher"]
    draft = create_draft(
        cast.panel.id,
        DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title="East London priority actions"),
        researcher.id,
    )
    for title in titles:
        add_item(draft, ItemDetails(title=title), draft.lock_version)
    db.session.commit()
    return draft


def drafts_url(cast: Cast, rest: str = "") -> str:
    return f"/panels/{cast.panel.id}/drafts{rest}"


def test_a_researcher_creates_a_draft_and_adds_items(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("researcher")
    response = submit_form(
        client,
        drafts_url(cast, "/new"),
        {
            "lock_version": "0",
            "kind": "priority_actions",
            "title": "Sheffield priority actions",
            "site_id": "",
            "source": "focus group: service users and carers",
            "summary": "What **we heard** in the focus groups.",
        },
    )
    assert response.status_code == 302
    draft = db.session.scalars(select(Draft)).one()
    assert draft.title == "Sheffield priority actions" and draft.panel_id == cast.panel.id

    response = submit_form(
        client,
        drafts_url(cast, f"/{draft.id}/items/new"),
        {"title": "Training on ethnicity and cultures", "description": "For all staff"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Item added." in html and "Training on ethnicity and cultures" in html
    assert "<strong>we heard</strong>" in html


def test_bad_input_keeps_what_was_typed_and_links_the_error(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("researcher")
    response = submit_form(
        client,
        drafts_url(cast, "/new"),
        {"lock_version": "0", "kind": "priority_actions", "title": "", "source": "my source"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#title"' in html and "Enter a title" in html
    assert 'value="my source"' in html
    assert db.session.scalars(select(Draft)).first() is None


def test_items_are_reordered_with_buttons(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = make_draft(cast, ("First", "Second", "Third"))
    third = db.session.scalars(select(DraftItem).where(DraftItem.title == "Third")).one()
    client = client_as("researcher")
    page = client.get(drafts_url(cast, f"/{draft.id}")).get_data(as_text=True)
    response = client.post(
        drafts_url(cast, f"/{draft.id}/items/{third.id}/move"),
        data={
            "csrf_token": csrf_token_from(page),
            "lock_version": str(draft.lock_version),
            "direction": "up",
        },
    )
    assert response.status_code == 302
    html = client.get(drafts_url(cast, f"/{draft.id}")).get_data(as_text=True)
    assert html.index("Third") < html.index("Second")


def test_publishing_freezes_a_version_that_later_edits_never_change(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = make_draft(cast, ("Reaching out to communities",))
    client = client_as("researcher")
    response = submit_form(
        client,
        drafts_url(cast, f"/{draft.id}/publish"),
        {"lock_version": str(draft.lock_version)},
        follow_redirects=True,
    )
    assert "Version 1 published." in response.get_data(as_text=True)

    item = db.session.scalars(select(DraftItem)).one()
    submit_form(
        client,
        drafts_url(cast, f"/{draft.id}/items/{item.id}/edit"),
        {"title": "Reaching out to faith communities"},
    )
    version_one = client.get(drafts_url(cast, f"/{draft.id}/versions/1")).get_data(as_text=True)
    assert "Reaching out to communities" in version_one
    assert "faith" not in version_one


def test_members_read_the_latest_published_version_only(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = make_draft(cast)
    member = client_as("member")
    assert "East London" not in member.get(drafts_url(cast)).get_data(as_text=True)
    assert member.get(drafts_url(cast, f"/{draft.id}")).status_code == 404

    publish(draft, cast.people["researcher"].id, draft.lock_version)
    db.session.commit()
    response = member.get(drafts_url(cast, f"/{draft.id}"))
    assert response.status_code == 302 and response.location.endswith("/versions/1")
    assert "Peer support in every ward" in member.get(response.location).get_data(as_text=True)
    assert member.get(drafts_url(cast, f"/{draft.id}/edit")).status_code == 403


def test_another_panels_draft_is_not_found(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = make_draft(cast)
    publish(draft, cast.people["researcher"].id, draft.lock_version)
    db.session.commit()
    outsider = client_as("other_panel_member")
    assert outsider.get(drafts_url(cast, f"/{draft.id}/versions/1")).status_code == 404
    # The draft's id under the outsider's own panel is not found either.
    own = f"/panels/{cast.other_panel.id}/drafts/{draft.id}/versions/1"
    assert outsider.get(own).status_code == 404


def test_comparing_versions_shows_added_removed_and_reworded_items_in_words(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = make_draft(cast, ("Open discussion of racism", "Working with schools"))
    researcher_id = cast.people["researcher"].id
    publish(draft, researcher_id, draft.lock_version)
    items = {item.title: item for item in db.session.scalars(select(DraftItem))}
    from portal.drafts.service import remove_item, update_item

    update_item(
        draft,
        items["Open discussion of racism"],
        ItemDetails(title="Open and safe discussion of racism"),
        draft.lock_version,
    )
    remove_item(draft, items["Working with schools"], draft.lock_version)
    add_item(draft, ItemDetails(title="Peer support"), draft.lock_version)
    publish(draft, researcher_id, draft.lock_version)
    db.session.commit()

    html = client_as("member").get(drafts_url(cast, f"/{draft.id}/compare")).get_data(as_text=True)
    assert "from version 1 to version 2" in html
    for label in ("Added", "Removed", "Reworded"):
        assert label in html
    assert "[added: </span> and safe" in html


def test_a_draft_without_a_summary_or_content_note_says_not_given(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = make_draft(cast)
    html = client_as("researcher").get(drafts_url(cast, f"/{draft.id}")).get_data(as_text=True)
    for key in ("Summary", "Content note"):
        row = re.search(rf"{key}\s*</dt>\s*<dd[^>]*>\s*(.*?)\s*</dd>", html, re.S)
        assert row is not None and row.group(1) == "Not given", key
    assert "None" not in html


def test_two_researchers_saving_the_same_draft_the_second_sees_a_conflict(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = make_draft(cast)
    item = db.session.scalars(select(DraftItem)).one()
    url = drafts_url(cast, f"/{draft.id}/items/{item.id}/edit")
    first, second = client_as("researcher"), client_as("researcher")
    first_page = first.get(url).get_data(as_text=True)
    second_page = second.get(url).get_data(as_text=True)

    def save(client: FlaskClient, page: str, title: str) -> Any:
        return client.post(
            url,
            data={
                "csrf_token": csrf_token_from(page),
                "lock_version": hidden_inputs(page)["lock_version"],
                "title": title,
            },
        )

    assert save(first, first_page, "Peer support on every ward, every day").status_code == 302
    conflict = save(second, second_page, "Peer workers in every team")
    html = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "Someone else saved this draft" in html
    assert "Peer support on every ward, every day" in html  # what is saved now
    assert 'value="Peer workers in every team"' in html  # what they typed, kept
    db.session.expire_all()
    assert db.session.get(DraftItem, item.id).title == "Peer support on every ward, every day"

    # Saving again from the conflict page is a deliberate choice, and it is saved.
    resubmit = second.post(
        url,
        data={
            "csrf_token": csrf_token_from(html),
            "lock_version": csrf_lock(html),
            "title": "Peer workers in every team",
        },
    )
    assert resubmit.status_code == 302
    db.session.expire_all()
    assert db.session.get(DraftItem, item.id).title == "Peer workers in every team"


def csrf_lock(html: str) -> str:
    return hidden_inputs(html)["lock_version"]


def test_draft_pages_make_the_same_number_of_queries_however_much_they_hold(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    client = client_as("researcher")
    draft = make_draft(cast, ("One", "Two"))
    publish(draft, cast.people["researcher"].id, draft.lock_version)
    db.session.commit()
    pages = [
        drafts_url(cast),
        drafts_url(cast, f"/{draft.id}"),
        drafts_url(cast, f"/{draft.id}/versions/1"),
    ]
    before = {}
    for page in pages:
        with count_queries() as log:
            assert client.get(page).status_code == 200
        before[page] = log.count

    for number in range(20):
        add_item(
            draft, ItemDetails(title=f"Item {number}", theme="Staff diversity"), draft.lock_version
        )
        make_draft(cast, ("More",))
    db.session.execute(DraftVersion.__table__.delete().where(DraftVersion.draft_id == draft.id))
    draft.latest_version_number = 0
    publish(draft, cast.people["researcher"].id, draft.lock_version)
    db.session.commit()
    for page in pages:
        with count_queries() as log:
            assert client.get(page).status_code == 200
        assert log.count == before[page], page
