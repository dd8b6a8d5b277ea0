"""Comments on a published draft: who sees them, how they look, changing and withdrawing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.drafts.models import DraftVersion
from portal.extensions import db
from portal.feedback.comments import COMMENT_MAX_LENGTH
from portal.feedback.models import EntryKind, Visibility
from tests.conftest import submit_form
from tests.integration.feedback_helpers import (
    entry_for,
    item_key,
    last_comment,
    post_comment,
    published_draft,
    version_url,
)
from tests.roles import Cast


def test_a_member_comments_for_the_study_team_only_by_default(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    member = client_as("member")
    form = member.get(version_url(cast, draft) + "/comments/new").get_data(as_text=True)
    assert 'value="team" checked' in form

    response = post_comment(
        member, cast, draft, "Peer workers **must** be paid.", follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "Your comment has been sent to the study team." in html
    assert "Peer workers <strong>must</strong> be paid." in html
    assert "Study team only" in html

    comment = last_comment()
    assert comment.visibility is Visibility.TEAM and comment.version_id is not None
    entry = entry_for(comment)
    assert entry.kind is EntryKind.COMMENT and entry.text == "Peer workers **must** be paid."
    assert entry.draft_id == draft.id

    researcher_page = client_as("researcher").get(version_url(cast, draft)).get_data(as_text=True)
    assert "Peer workers <strong>must</strong> be paid." in researcher_page
    assert "A member (LEAP-01)" in researcher_page
    chair_page = client_as("chair").get(version_url(cast, draft)).get_data(as_text=True)
    assert "Peer workers" not in chair_page and "There are no comments yet." in chair_page


def test_a_comment_shared_with_the_panel_shows_the_name_or_code_the_member_chose(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    member = client_as("member")
    post_comment(member, cast, draft, "Use plain words.", visibility="panel", shown_as="pseudonym")
    post_comment(
        member,
        cast,
        draft,
        "Schools matter.",
        visibility="panel",
        about=item_key(draft, "Training on ethnicity"),
    )
    chair_page = client_as("chair").get(version_url(cast, draft)).get_data(as_text=True)
    first = chair_page[chair_page.index("LEAP-01") :]
    assert "Use plain words." in first
    assert "A member</strong>" in chair_page  # the second comment, under their name
    assert "About: Training on ethnicity" in chair_page
    assert entry_for(last_comment()).item_title == "Training on ethnicity"


def test_markdown_subset_is_shown_and_anything_else_is_made_harmless(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    body = "*Ideas*:\n\n- one\n- two\n\n[our group](https://example.org) <script>alert(1)</script>"
    html = post_comment(client_as("member"), cast, draft, body, follow_redirects=True).get_data(
        as_text=True
    )
    assert "<em>Ideas</em>" in html and '<li dir="auto">one</li>' in html
    assert 'href="https://example.org"' in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_comment_over_the_limit_is_refused_and_the_text_is_kept(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    too_long = "</textarea><b>x</b>" + "a" * COMMENT_MAX_LENGTH
    response = post_comment(client_as("member"), cast, draft, too_long, visibility="panel")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#body"' in html
    assert "You have 19 characters too many." in html
    assert "&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;" + "a" * 50 in html  # kept, escaped
    assert "</textarea><b>" not in html
    assert 'value="panel" checked' in html  # their other choices are kept too
    assert "You can enter up to 2000 characters" in html  # the count works without scripts
    from sqlalchemy import func, select

    from portal.feedback.models import Comment

    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_an_empty_comment_asks_for_words(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    html = post_comment(client_as("member"), cast, draft, "").get_data(as_text=True)
    assert "Enter your comment" in html and 'href="#body"' in html


def test_a_comment_can_be_changed_for_15_minutes_then_no_longer(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    member = client_as("member")
    post_comment(member, cast, draft, "First words")
    comment = last_comment()
    edit_url = f"/panels/{cast.panel.id}/comments/{comment.id}/edit"
    response = submit_form(
        member,
        edit_url,
        {"body": "Better words", "visibility": "panel", "shown_as": "name"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Your comment has been changed." in html and "Better words" in html
    assert "(changed)" in html
    assert entry_for(comment).text == "Better words"

    page = member.get(edit_url).get_data(as_text=True)
    comment = last_comment()
    comment.created_at = comment.created_at - timedelta(minutes=16)
    db.session.commit()
    from tests.conftest import csrf_token_from

    late = member.post(
        edit_url,
        data={
            "csrf_token": csrf_token_from(page),
            "body": "Too late words",
            "visibility": "panel",
            "shown_as": "name",
        },
    )
    html = late.get_data(as_text=True)
    assert "You can no longer change this comment" in html
    assert "Comments can be changed for 15 minutes" in html
    assert "Too late words" in html  # what they typed is shown so they can copy it
    assert last_comment().body == "Better words"
    page = client_as("member").get(version_url(cast, draft)).get_data(as_text=True)
    assert "Withdraw" in page and f"comments/{comment.id}/edit" not in page


def test_withdrawing_hides_the_words_and_the_team_sees_it_was_withdrawn(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    member = client_as("member")
    post_comment(member, cast, draft, "Words to take back", visibility="panel")
    comment = last_comment()
    response = submit_form(
        member,
        f"/panels/{cast.panel.id}/comments/{comment.id}/withdraw",
        {},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Your comment has been withdrawn." in html
    assert "Words to take back" not in html and "You withdrew this comment" in html
    assert entry_for(comment).withdrawn

    chair_page = client_as("chair").get(version_url(cast, draft)).get_data(as_text=True)
    assert "Words to take back" not in chair_page and "withdrew" not in chair_page
    researcher = client_as("researcher")
    team_page = researcher.get(version_url(cast, draft)).get_data(as_text=True)
    assert "Words to take back" not in team_page
    assert "The member withdrew this comment" in team_page
    inbox = researcher.get(f"/panels/{cast.panel.id}/inbox").get_data(as_text=True)
    assert "Words to take back" not in inbox and "The member withdrew this" in inbox


def test_only_the_author_can_change_or_withdraw_a_comment(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    post_comment(client_as("member"), cast, draft, "Mine", visibility="panel")
    comment = last_comment()
    chair = client_as("chair")
    for action in ("edit", "withdraw"):
        url = f"/panels/{cast.panel.id}/comments/{comment.id}/{action}"
        assert chair.get(url).status_code == 404
        assert client_as("researcher").get(url).status_code == 403
        assert client_as("other_panel_member").get(url).status_code == 404


def test_a_comment_on_another_panels_draft_is_not_found(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    outsider = client_as("other_panel_member")
    assert outsider.get(version_url(cast, draft) + "/comments/new").status_code == 404
    own_panel = f"/panels/{cast.other_panel.id}/drafts/{draft.id}/versions/1/comments/new"
    assert outsider.get(own_panel).status_code == 404


def test_a_comment_during_an_open_round_can_be_found_by_that_round(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    from portal.db import utcnow
    from portal.drafts.models import DraftVersion
    from portal.rounds.models import ReviewRound

    draft = published_draft(cast)
    version = db.session.scalars(select(DraftVersion)).one()
    review = ReviewRound(
        panel_id=cast.panel.id, version_id=version.id, closes_at=utcnow() + timedelta(days=7)
    )
    db.session.add(review)
    db.session.commit()
    post_comment(client_as("member"), cast, draft, "During the round")
    assert entry_for(last_comment()).round_id == review.id
    inbox = client_as("researcher").get(f"/panels/{cast.panel.id}/inbox?round={review.id}")
    assert "During the round" in inbox.get_data(as_text=True)


def test_the_version_page_makes_the_same_queries_however_many_comments(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    draft = published_draft(cast)
    member, researcher = client_as("member"), client_as("researcher")
    post_comment(member, cast, draft, "One", visibility="panel")
    counts = {}
    for name, client in (("member", member), ("researcher", researcher)):
        with count_queries() as log:
            assert client.get(version_url(cast, draft)).status_code == 200
        counts[name] = log.count
    version = db.session.scalars(select(DraftVersion)).one()
    db.session.refresh(version, ["items"])
    from portal.feedback.comments import CommentDetails, add_comment

    for number in range(30):
        add_comment(
            draft,
            version,
            cast.people["chair"].id,
            CommentDetails(body=f"More {number}", visibility=Visibility.PANEL),
        )
    db.session.commit()
    for name, client in (("member", member), ("researcher", researcher)):
        with count_queries() as log:
            html = client.get(version_url(cast, draft)).get_data(as_text=True)
        assert log.count == counts[name], name
        assert "More 29" in html
