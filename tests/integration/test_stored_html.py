"""Stored safe HTML never shows words that were changed or taken back.

Members' words are rendered to HTML once, when saved, and kept beside the text. These tests
walk every page that shows a comment, as each person who can see it, after the member changes
it and after they withdraw it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.conftest import submit_form
from tests.integration.feedback_helpers import (
    entry_for,
    last_comment,
    post_comment,
    published_draft,
    version_url,
)
from tests.roles import Cast


def pages_showing_the_comment(cast: Cast, draft_url: str, entry_id: int) -> dict[str, list[str]]:
    """Who looks where: each role with the pages that would show the comment to them."""
    panel = f"/panels/{cast.panel.id}"
    return {
        "member": [draft_url, f"{panel}/my-feedback", "/"],
        "chair": [draft_url],
        "researcher": [draft_url, f"{panel}/inbox", f"{panel}/inbox/{entry_id}"],
    }


def test_an_edited_comment_shows_its_new_words_everywhere_and_never_the_old(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    member = client_as("member")
    post_comment(member, cast, draft, "My **first** thoughts", visibility="panel")
    comment = last_comment()
    assert "<strong>first</strong>" in str(comment.body_html)
    changed = submit_form(
        member,
        f"/panels/{cast.panel.id}/comments/{comment.id}/edit",
        {"body": "My *second* thoughts", "visibility": "panel", "shown_as": "name"},
    )
    assert changed.status_code == 302

    pages = pages_showing_the_comment(cast, version_url(cast, draft), entry_for(comment).id)
    for role, urls in pages.items():
        client = client_as(role)
        for url in urls:
            html = client.get(url).get_data(as_text=True)
            assert "first" not in html, (role, url)
            if url != "/":
                assert "My <em>second</em> thoughts" in html, (role, url)


def test_a_withdrawn_comments_words_show_to_nobody(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    member = client_as("member")
    post_comment(member, cast, draft, "Words I **regret**", visibility="panel")
    comment = last_comment()
    withdrawn = submit_form(member, f"/panels/{cast.panel.id}/comments/{comment.id}/withdraw", {})
    assert withdrawn.status_code == 302

    pages = pages_showing_the_comment(cast, version_url(cast, draft), entry_for(comment).id)
    for role, urls in pages.items():
        client = client_as(role)
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, (role, url)
            assert "regret" not in answer.get_data(as_text=True), (role, url)
