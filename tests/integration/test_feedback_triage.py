"""The study team's inbox: filters, statuses, assignment, answers, conflicts, and My feedback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.feedback.models import Comment, EntryKind, FeedbackEntry, TriageStatus
from portal.panels.models import Role, Site
from tests.conftest import csrf_token_from, hidden_inputs, submit_form
from tests.factories import add_to_panel, make_user, sign_in
from tests.integration.feedback_helpers import (
    entry_for,
    last_comment,
    post_comment,
    published_draft,
)
from tests.outbox import last_mail_to, mail_to
from tests.roles import Cast


def inbox_url(cast: Cast, rest: str = "") -> str:
    return f"/panels/{cast.panel.id}/inbox{rest}"


def commented_entry(cast: Cast, client_as: Callable[[str], FlaskClient], body: str) -> Any:
    draft = published_draft(cast)
    post_comment(client_as("member"), cast, draft, body)
    return entry_for(last_comment())


def make_entries(cast: Cast, count: int, **values: Any) -> None:
    """Many inbox entries at once, as if members had commented."""
    author = cast.people["member"]
    for number in range(count):
        comment = Comment(panel_id=cast.panel.id, author_id=author.id, body=f"Bulk {number}")
        db.session.add(comment)
        db.session.flush()
        db.session.add(
            FeedbackEntry(
                panel_id=cast.panel.id,
                kind=EntryKind.COMMENT,
                author_id=author.id,
                comment_id=comment.id,
                text=f"Bulk comment number {number}",
                **values,
            )
        )
    db.session.commit()


def test_the_inbox_lists_what_members_said_with_filters(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    site = db.session.scalars(select(Site).where(Site.panel_id == cast.panel.id)).one()
    local = published_draft(cast, site_id=site.id, title="Local list")
    general = published_draft(cast, title="Whole-study list")
    member = client_as("member")
    post_comment(member, cast, local, "About the local list")
    post_comment(member, cast, general, "About the whole study")
    researcher = client_as("researcher")
    html = researcher.get(inbox_url(cast)).get_data(as_text=True)
    assert "About the local list" in html and "About the whole study" in html
    assert "From A member (LEAP-01)" in html and "2 entries" in html

    by_site = researcher.get(inbox_url(cast, f"?site={site.id}")).get_data(as_text=True)
    assert "About the local list" in by_site and "About the whole study" not in by_site
    by_draft = researcher.get(inbox_url(cast, f"?draft={general.id}")).get_data(as_text=True)
    assert "About the whole study" in by_draft and "About the local list" not in by_draft
    done = researcher.get(inbox_url(cast, "?status=actioned")).get_data(as_text=True)
    assert "There are no entries to show." in done
    unassigned = researcher.get(inbox_url(cast, "?assignee=0&round=")).get_data(as_text=True)
    assert "2 entries" in unassigned
    # Nonsense in the address is ignored, never an error.
    assert researcher.get(inbox_url(cast, "?status=<x>&draft=abc&page=-4")).status_code == 200


def test_a_researcher_assigns_and_answers_and_the_member_sees_it(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    colleague = make_user(name="Another researcher", email="colleague@example.org")
    add_to_panel(cast.panel, colleague, Role.RESEARCHER)
    entry = commented_entry(cast, client_as, "Please add peer support in schools")
    researcher = client_as("researcher")
    response = submit_form(
        researcher,
        inbox_url(cast, f"/{entry.id}"),
        {
            "status": "acknowledged",
            "assignee_id": str(colleague.id),
            "response": "We added **peer support in schools** to version 2.",
        },
        follow_redirects=True,
    )
    assert f"Entry {entry.id} saved." in response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(FeedbackEntry, entry.id)
    assert saved.status is TriageStatus.ACKNOWLEDGED and saved.assignee_id == colleague.id
    assert saved.responded_by_id == cast.people["researcher"].id

    colleague_client = client_as("anonymous")
    sign_in(colleague_client, colleague)
    assert "1 entry to look at" in colleague_client.get("/").get_data(as_text=True)
    assigned = last_mail_to("colleague@example.org")
    assert f"/panels/{cast.panel.id}/inbox/{entry.id}" in assigned.text_body
    answer = last_mail_to(cast.people["member"].email)
    assert "We added **peer support in schools** to version 2." in answer.text_body
    assert "<strong>peer support in schools</strong>" in answer.html_body
    assert "Please add peer support in schools" in answer.text_body

    member = client_as("member")
    home = member.get("/").get_data(as_text=True)
    assert "1 new answer from the study team" in home
    mine = member.get(f"/panels/{cast.panel.id}/my-feedback").get_data(as_text=True)
    assert "Please add peer support in schools" in mine
    assert "<strong>peer support in schools</strong>" in mine
    assert "Seen by the study team" in mine and "New answer" in mine

    read = member.post(
        f"/panels/{cast.panel.id}/my-feedback/read",
        data={"csrf_token": csrf_token_from(mine)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Answers marked as read." in read and "New answer" not in read
    assert "new answer" not in member.get("/").get_data(as_text=True)

    # Saving again without changing the answer does not email the member again.
    before = len(mail_to(cast.people["member"].email))
    submit_form(researcher, inbox_url(cast, f"/{entry.id}"), {"status": "actioned"})
    assert len(mail_to(cast.people["member"].email)) == before


def test_not_actioned_needs_a_reason_and_keeps_what_was_typed(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    entry = commented_entry(cast, client_as, "Longer meetings")
    response = submit_form(
        client_as("researcher"),
        inbox_url(cast, f"/{entry.id}"),
        {"status": "not_actioned", "reason": "  ", "response": "Thanks for this idea."},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#reason"' in html
    assert "Enter why it was not actioned" in html
    assert "Thanks for this idea.</textarea>" in html
    db.session.expire_all()
    assert db.session.get(FeedbackEntry, entry.id).status is TriageStatus.NEW

    response = submit_form(
        client_as("researcher"),
        inbox_url(cast, f"/{entry.id}"),
        {"status": "not_actioned", "reason": "The budget is fixed."},
    )
    assert response.status_code == 302
    mine = client_as("member").get(f"/panels/{cast.panel.id}/my-feedback").get_data(as_text=True)
    assert "Not acted on" in mine and "The budget is fixed." in mine


def test_a_duplicate_names_another_entry_of_the_same_inbox(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    entry = commented_entry(cast, client_as, "Same point")
    make_entries(cast, 1)
    original = db.session.scalars(select(FeedbackEntry).where(FeedbackEntry.id != entry.id)).one()
    researcher = client_as("researcher")
    url = inbox_url(cast, f"/{entry.id}")
    for bad in ("", str(entry.id), "999999"):
        html = submit_form(researcher, url, {"status": "duplicate", "duplicate_of": bad}).get_data(
            as_text=True
        )
        assert 'href="#duplicate_of"' in html, bad
    assert (
        submit_form(
            researcher, url, {"status": "duplicate", "duplicate_of": str(original.id)}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(FeedbackEntry, entry.id).duplicate_of_id == original.id


def test_two_researchers_triaging_one_entry_the_second_keeps_their_text(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    entry = commented_entry(cast, client_as, "Interpreters at every meeting")
    url = inbox_url(cast, f"/{entry.id}")
    first, second = client_as("researcher"), client_as("researcher")
    first_page = first.get(url).get_data(as_text=True)
    second_page = second.get(url).get_data(as_text=True)

    def save(client: FlaskClient, page: str, response: str) -> Any:
        return client.post(
            url,
            data={
                **hidden_inputs(page),
                "status": "acknowledged",
                "assignee_id": "",
                "response": response,
            },
        )

    assert save(first, first_page, "We are booking interpreters.").status_code == 302
    conflict = save(second, second_page, "We will ask the trust about interpreters.")
    html = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "Someone else saved this entry" in html
    assert "We are booking interpreters." in html  # what is saved now
    assert "We will ask the trust about interpreters.</textarea>" in html  # kept
    db.session.expire_all()
    assert db.session.get(FeedbackEntry, entry.id).response == "We are booking interpreters."

    again = second.post(
        url,
        data={
            **hidden_inputs(html),
            "status": "acknowledged",
            "assignee_id": "",
            "response": "We will ask the trust about interpreters.",
        },
    )
    assert again.status_code == 302
    db.session.expire_all()
    saved = db.session.get(FeedbackEntry, entry.id)
    assert saved.response == "We will ask the trust about interpreters."


def test_bulk_status_change_with_checkboxes(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    make_entries(cast, 3)
    ids = list(db.session.scalars(select(FeedbackEntry.id).order_by(FeedbackEntry.id)))
    researcher = client_as("researcher")
    page = researcher.get(inbox_url(cast)).get_data(as_text=True)
    token = csrf_token_from(page)
    missing_reason = researcher.post(
        inbox_url(cast, "/change-status"),
        data={"csrf_token": token, "entry_ids": [str(ids[0])], "status": "not_actioned"},
    )
    html = missing_reason.get_data(as_text=True)
    assert "Enter why they were not actioned" in html and 'href="#reason"' in html
    assert f'value="{ids[0]}" checked' in html  # the choice is kept

    nothing_chosen = researcher.post(
        inbox_url(cast, "/change-status"), data={"csrf_token": token, "status": "actioned"}
    ).get_data(as_text=True)
    assert "Choose at least one entry" in nothing_chosen

    done = researcher.post(
        inbox_url(cast, "/change-status?status=new"),
        data={"csrf_token": token, "entry_ids": [str(ids[0]), str(ids[1])], "status": "actioned"},
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert "2 entries changed to Actioned." in html
    assert "1 entry" in html  # the filter "new" is kept after the change
    db.session.expire_all()
    statuses = {e.id: e.status for e in db.session.scalars(select(FeedbackEntry))}
    assert statuses == {
        ids[0]: TriageStatus.ACTIONED,
        ids[1]: TriageStatus.ACTIONED,
        ids[2]: TriageStatus.NEW,
    }


def test_another_panels_entry_is_not_found(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    outsider = make_user(name="Other study researcher")
    add_to_panel(cast.other_panel, outsider, Role.RESEARCHER)
    make_entries(cast, 1)
    entry_id = db.session.scalars(select(FeedbackEntry.id)).one()
    client = client_as("anonymous")
    sign_in(client, outsider)
    assert client.get(f"/panels/{cast.other_panel.id}/inbox/{entry_id}").status_code == 404
    assert client.get(inbox_url(cast, f"/{entry_id}")).status_code == 404
    # Bulk changes never reach another panel's entries.
    page = client.get(f"/panels/{cast.other_panel.id}/inbox").get_data(as_text=True)
    response = client.post(
        f"/panels/{cast.other_panel.id}/inbox/change-status",
        data={
            "csrf_token": csrf_token_from(page),
            "entry_ids": [str(entry_id)],
            "status": "actioned",
        },
        follow_redirects=True,
    )
    assert "0 entries changed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FeedbackEntry, entry_id).status is TriageStatus.NEW


def test_inbox_my_feedback_and_home_make_the_same_queries_with_many_entries(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    published_draft(cast)
    assigned = {"assignee_id": cast.people["researcher"].id}
    make_entries(cast, 3, response="Answered", status=TriageStatus.ACTIONED)
    make_entries(cast, 2, **assigned)
    _answer_all()
    researcher, member = client_as("researcher"), client_as("member")
    pages = [
        (researcher, inbox_url(cast)),
        (researcher, inbox_url(cast, "?status=actioned&page=2")),
        (researcher, "/"),
        (member, f"/panels/{cast.panel.id}/my-feedback"),
        (member, "/"),
    ]
    before = []
    for client, url in pages:
        with count_queries() as log:
            assert client.get(url).status_code == 200
        before.append(log.count)
        if url == inbox_url(cast):
            assert log.queries == 10  # the inbox's exact count: a new query is a deliberate change

    make_entries(cast, 120, response="Answered", status=TriageStatus.ACTIONED)
    make_entries(cast, 40, **assigned)
    _answer_all()
    for (client, url), count in zip(pages, before, strict=True):
        with count_queries() as log:
            html = client.get(url).get_data(as_text=True)
        assert log.count == count, url
    assert "42 entries to look at" in researcher.get("/").get_data(as_text=True)
    assert "165 new answers from the study team" in html
    assert "Page 2 of 7" in researcher.get(inbox_url(cast)).get_data(as_text=True)


def _answer_all() -> None:
    from portal.db import utcnow

    for entry in db.session.scalars(select(FeedbackEntry)):
        entry.responded_at = entry.responded_at or utcnow()
    db.session.commit()
