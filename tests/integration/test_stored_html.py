"""Stored safe HTML never shows words that were changed or taken back.

Members' words are rendered to HTML once, when saved, and kept beside the text. These tests
walk every page that shows a comment, as each person who can see it, after the member changes
it and after they withdraw it; and every page that shows a meeting's venue, its accessibility
information and a member's access note, after they are changed, erased or forgotten; and the
pages of drafts, review rounds, minutes, actions, meeting packs, questionnaires and panels after
their words are changed. One test walks every page that shows saved words with the ``user_text``
filter made to fail, so none of them renders those words again on view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.drafts.models import DraftKind, DraftVersion
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft
from portal.drafts.service import publish as publish_draft
from portal.extensions import db
from portal.meetings.jobs import send_due_packs
from portal.meetings.models import AgendaItem, Meeting, MeetingAction, Rsvp
from portal.panels.models import Panel
from portal.questionnaires.models import Question, QuestionType
from portal.questionnaires.service import QuestionDetails
from portal.rights import retention
from tests.conftest import hidden_inputs, submit_form
from tests.factories import add_to_panel, make_user, sign_in
from tests.integration.feedback_helpers import (
    entry_for,
    last_comment,
    post_comment,
    published_draft,
    version_url,
)
from tests.integration.meeting_helpers import (
    add_meeting,
    future_day,
    meeting_form,
    open_poll,
    publish,
)
from tests.integration.questionnaire_helpers import make_questionnaire
from tests.integration.round_helpers import items_of, open_round
from tests.integration.round_helpers import published_draft as round_draft
from tests.outbox import mail_to
from tests.papers_data import make_meeting
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


def _meeting_url(cast: Cast, meeting: Meeting) -> str:
    return f"/panels/{cast.panel.id}/meetings/{meeting.id}"


def _published_meeting(cast: Cast, chair: FlaskClient) -> tuple[Meeting, str]:
    """A meeting the chair has made and published, and its page's address."""
    meeting = add_meeting(chair, cast.panel.id)
    publish(chair, meeting)
    return meeting, _meeting_url(cast, meeting)


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


# Where a member's access note shows: their own meeting page, and the replies the team read.
def _note_pages(url: str) -> dict[str, list[str]]:
    return {"member": [url], "chair": [url + "/replies"], "researcher": [url + "/replies"]}


def _each_page(
    client_as: Callable[[str], FlaskClient], pages: dict[str, list[str]]
) -> Iterator[tuple[tuple[str, str], str]]:
    """Each page as its role sees it: ((role, address), the page's HTML)."""
    for role, urls in pages.items():
        client = client_as(role)
        for url in urls:
            yield (role, url), _page(client, url)


def test_an_edited_meetings_venue_and_accessibility_information_show_the_new_words_never_the_old(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    chair = client_as("chair")
    day = future_day()
    meeting = add_meeting(
        chair,
        cast.panel.id,
        day=day,
        venue="The **Old Town Hall**",
        access_info="A **ramp** by the side door",
    )
    publish(chair, meeting)
    assert str(meeting.venue_html) == '<p dir="auto">The <strong>Old Town Hall</strong></p>'
    url = _meeting_url(cast, meeting)
    assert "<strong>ramp</strong> by the side door" in _page(client_as("member"), url)

    changed = submit_form(
        chair,
        url + "/edit",
        meeting_form(
            day=day, venue="The *Riverside Library*", access_info="A *lift* to every floor"
        ),
    )
    assert changed.status_code == 302
    for role in ("member", "chair", "researcher"):
        html = _page(client_as(role), url)
        assert "The <em>Riverside Library</em>" in html, role
        assert "A <em>lift</em> to every floor" in html, role
        assert "Old Town Hall" not in html and "side door" not in html, role


def test_a_changed_meeting_access_note_shows_its_new_words_and_never_the_old(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    chair = client_as("chair")
    meeting, url = _published_meeting(cast, chair)
    member = client_as("member")
    reply = {"answer": "attending", "access_note": "A **sign language interpreter**"}
    assert submit_form(member, url + "/reply", reply).status_code == 302
    assert "<strong>sign language interpreter</strong>" in _page(chair, url + "/replies")

    reply = {"answer": "attending", "access_note": "A *space for my wheelchair*"}
    assert submit_form(member, url + "/reply", reply).status_code == 302
    for seen_by, html in _each_page(client_as, _note_pages(url)):
        assert "A <em>space for my wheelchair</em>" in html, seen_by
        assert "interpreter" not in html, seen_by

    # Taking the note away leaves nothing of it behind.
    reply = {"answer": "attending", "access_note": ""}
    assert submit_form(member, url + "/reply", reply).status_code == 302
    for seen_by, html in _each_page(client_as, _note_pages(url)):
        assert "wheelchair" not in html, seen_by


def test_an_erased_members_meeting_access_note_shows_to_nobody(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    person = make_user(name="A member to be erased")
    add_to_panel(cast.panel, person)
    client = app.test_client()
    sign_in(client, person)
    chair = client_as("chair")
    meeting, url = _published_meeting(cast, chair)
    reply = {"answer": "attending", "access_note": "I bring my **assistance dog**"}
    assert submit_form(client, url + "/reply", reply).status_code == 302
    assert "<strong>assistance dog</strong>" in _page(chair, url + "/replies")

    erased = submit_form(client_as("admin"), f"/admin/people/{person.id}/erase", {"words": "keep"})
    assert erased.status_code == 302

    for role in ("chair", "researcher"):
        for page_url in (url, url + "/replies"):
            assert "assistance dog" not in _page(client_as(role), page_url), (role, page_url)
    db.session.expire_all()
    note = db.session.scalars(select(Rsvp).where(Rsvp.user_id == person.id)).one()
    assert (note.access_note, str(note.access_note_html)) == ("", "")


def test_meeting_access_notes_forgotten_when_their_time_is_up_show_to_nobody(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    chair = client_as("chair")
    meeting, url = _published_meeting(cast, chair)
    member = client_as("member")
    reply = {"answer": "attending", "access_note": "I need the papers in **large print**"}
    assert submit_form(member, url + "/reply", reply).status_code == 302

    retention.forget_involvement_administration(cast.panel.id)
    db.session.commit()

    for seen_by, html in _each_page(client_as, _note_pages(url)):
        assert "large print" not in html, seen_by
    db.session.expire_all()
    note = db.session.scalars(select(Rsvp).where(Rsvp.meeting_id == meeting.id)).one()
    assert (note.access_note, str(note.access_note_html)) == ("", "")


# --- drafts, rounds, meetings' minutes and packs, questionnaires and panels -----------------
#
# Each text is first written with the word "lantern" and then changed to say "harbour": every
# page that shows it must show the new words as HTML and never the old.

OLD = "lantern"


def _shows_new_never_old(html: str, *new: str, where: object) -> None:
    for words in new:
        assert words in html, (where, words)
    assert OLD not in html, where


def test_a_drafts_changed_words_show_on_every_page_and_never_the_old(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    researcher = client_as("researcher")
    draft = create_draft(
        cast.panel.id,
        DraftDetails(
            kind=DraftKind.IMPLEMENTATION_PLAN,
            title="East London plan",
            summary="What the **lantern** showed us.",
        ),
        cast.people["researcher"].id,
    )
    item = add_item(
        draft,
        ItemDetails(
            title="Peer support",
            description="The **lantern** item.",
            what="Light the **lantern**.",
            resources="One **lantern**.",
        ),
        draft.lock_version,
    )
    publish_draft(draft, cast.people["researcher"].id, draft.lock_version)
    db.session.commit()
    assert str(item.description_html) == '<p dir="auto">The <strong>lantern</strong> item.</p>'
    drafts = f"/panels/{cast.panel.id}/drafts/{draft.id}"

    details = {
        "kind": "implementation_plan",
        "title": "East London plan",
        "site_id": "",
        "source": "",
        "summary": "What the *harbour* showed us.",
        "content_note": "",
    }
    assert submit_form(researcher, drafts + "/edit", details).status_code == 302
    words = {
        "title": "Peer support",
        "description": "The *harbour* item.",
        "theme": "",
        "what": "Sail to the *harbour*.",
        "who": "",
        "by_when": "",
        "resources": "One *harbour* map.",
    }
    changed = submit_form(researcher, f"{drafts}/items/{item.id}/edit", words)
    assert changed.status_code == 302
    summary = "What the <em>harbour</em> showed us."
    description = "The <em>harbour</em> item."
    _shows_new_never_old(_page(researcher, drafts), summary, description, where="working copy")

    assert submit_form(researcher, drafts + "/publish", {}).status_code == 302
    db.session.expire_all()
    version = db.session.scalars(
        select(DraftVersion).where(DraftVersion.draft_id == draft.id, DraftVersion.number == 2)
    ).one()
    plan = (summary, description, "Sail to the <em>harbour</em>.", "One <em>harbour</em> map.")
    for role in ("member", "chair", "researcher"):
        html = _page(client_as(role), f"{drafts}/versions/2")
        _shows_new_never_old(html, *plan, where=role)

    review_round = open_round(cast, draft, version)
    (version_item,) = items_of(version)
    rounds = f"{drafts}/rounds/{review_round.id}"
    instructions = "Tell us what <strong>matters</strong> to you."
    member = client_as("member")
    _shows_new_never_old(_page(member, rounds + "/check"), instructions, where="check start")
    item_page = _page(member, f"{rounds}/check/items/{version_item.id}")
    _shows_new_never_old(item_page, description, where="check item")
    _shows_new_never_old(_page(researcher, rounds), instructions, where="round")


def test_a_draft_saved_by_someone_else_shows_their_words_on_the_conflict_page(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = create_draft(
        cast.panel.id,
        DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title="Actions", summary="A **lantern**."),
        cast.people["researcher"].id,
    )
    db.session.commit()
    url = f"/panels/{cast.panel.id}/drafts/{draft.id}/edit"
    first, second = client_as("researcher"), client_as("researcher")
    second_page = second.get(url).get_data(as_text=True)
    details = {"kind": "priority_actions", "title": "Actions", "site_id": ""}
    saved = submit_form(first, url, {**details, "summary": "A *harbour*."})
    assert saved.status_code == 302

    conflict = second.post(
        url,
        data={**hidden_inputs(second_page), **details, "summary": "A quiet bay."},
    )
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert '<p dir="auto">A <em>harbour</em>.</p>' in html  # what is saved now
    assert OLD not in html


def test_changed_minutes_and_actions_show_their_new_words_and_never_the_old(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = make_meeting(cast.panel, title="Workshop 2", days_ahead=-7)
    url = _meeting_url(cast, meeting)
    chair, researcher = client_as("chair"), client_as("researcher")
    for body in ("We chose the **lantern** plan.", "We chose the *harbour* plan."):
        written = submit_form(chair, url + "/minutes/write", {"body": body, "share": "yes"})
        assert written.status_code == 302
    action = {"owner": "Study team", "due_on": "", "status": "open"}
    added = submit_form(
        chair, url + "/actions/new", {**action, "description": "Print the **lantern** leaflet"}
    )
    assert added.status_code == 302
    db.session.expire_all()
    action_id = db.session.scalars(select(MeetingAction.id)).one()
    changed = submit_form(
        chair,
        f"{url}/actions/{action_id}/edit",
        {**action, "description": "Print the *harbour* leaflet"},
    )
    assert changed.status_code == 302

    minutes = "We chose the <em>harbour</em> plan."
    leaflet = "Print the <em>harbour</em> leaflet"
    for role in ("member", "chair", "researcher"):
        html = _page(client_as(role), url + "/minutes")
        _shows_new_never_old(html, minutes, leaflet, where=role)
    _shows_new_never_old(_page(researcher, url + "/actions"), leaflet, where="action log")
    _shows_new_never_old(_page(researcher, url + "/minutes/versions/2"), minutes, where="v2")

    # A newer revision saved while someone writes is shown to them as it was saved.
    writing = researcher.get(url + "/minutes/write").get_data(as_text=True)
    newest = {"body": "We chose the *beacon* plan.", "share": "no"}
    assert submit_form(chair, url + "/minutes/write", newest).status_code == 302
    conflict = researcher.post(
        url + "/minutes/write",
        data={**hidden_inputs(writing), "body": "My own minutes.", "share": "no"},
    )
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "We chose the <em>beacon</em> plan." in html and OLD not in html


def test_a_changed_pack_summary_and_agenda_show_their_new_words_on_pages_and_in_the_email(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = make_meeting(cast.panel, days_ahead=3, agenda=("Welcome",))
    url = _meeting_url(cast, meeting)
    chair = client_as("chair")
    db.session.expire_all()
    item_id = db.session.scalars(
        select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)
    ).one()
    agenda_item = {"title": "Welcome", "minutes": "20", "lead": ""}
    for words in ("Why the **lantern** matters.", "Why the *harbour* matters."):
        changed = submit_form(
            chair, f"{url}/agenda/items/{item_id}/edit", {**agenda_item, "description": words}
        )
        assert changed.status_code == 302
    for summary in ("You said the **lantern** was too dim.", "You said the *harbour* was busy."):
        published = submit_form(chair, url + "/pack/publish", {"summary": summary})
        assert published.status_code == 302

    summary = "You said the <em>harbour</em> was busy."
    agenda = "Why the <em>harbour</em> matters."
    _shows_new_never_old(_page(chair, url + "/agenda"), agenda, where="agenda")
    for role in ("member", "chair", "researcher"):
        _shows_new_never_old(_page(client_as(role), url + "/pack"), summary, where=role)

    assert send_due_packs(app) == 3
    (email,) = [
        message
        for message in mail_to(cast.people["member"].email)
        if message.subject.startswith("Read the papers for the meeting")
    ]
    _shows_new_never_old(email.html_body, summary, where="email")


def test_pages_showing_saved_words_never_render_them_on_view(
    app: Flask,
    cast: Cast,
    client_as: Callable[[str], FlaskClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    researcher_id = cast.people["researcher"].id
    draft = create_draft(
        cast.panel.id,
        DraftDetails(kind=DraftKind.IMPLEMENTATION_PLAN, title="Plan", summary="A *summary*."),
        researcher_id,
    )
    item = ItemDetails(title="Peer", description="*Why*.", what="*What*.", resources="*Money*.")
    add_item(draft, item, draft.lock_version)
    version = publish_draft(draft, researcher_id, draft.lock_version)
    db.session.commit()
    review_round = open_round(cast, draft, version)
    (version_item,) = items_of(version)
    meeting = make_meeting(cast.panel, days_ahead=3, agenda=("Welcome",))
    questionnaire = make_questionnaire(
        cast,
        introduction="An *introduction*.",
        privacy_note="A *privacy* note.",
        questions=(
            QuestionDetails(QuestionType.SECTION, "About the meeting", "Say what you *think*."),
            QuestionDetails(QuestionType.YES_NO_NOT_SURE, "Could you hear everyone?"),
        ),
    )
    chair, member = client_as("chair"), client_as("member")
    poll = open_poll(chair, cast.panel.id)
    meeting_url = _meeting_url(cast, meeting)
    agenda_id = db.session.scalars(
        select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)
    ).one()
    rounds = f"/panels/{cast.panel.id}/drafts/{draft.id}/rounds/{review_round.id}/check"
    for client, url, data in (
        (
            chair,
            f"{meeting_url}/agenda/items/{agenda_id}/edit",
            {"title": "Welcome", "minutes": "20", "lead": "", "description": "*Hello*."},
        ),
        (chair, meeting_url + "/pack/publish", {"summary": "You *said*."}),
        (chair, meeting_url + "/minutes/write", {"body": "We *met*.", "share": "yes"}),
        (
            chair,
            meeting_url + "/actions/new",
            {"description": "*Print*.", "owner": "", "due_on": "", "status": "open"},
        ),
        (
            client_as("admin"),
            f"/admin/panels/{cast.panel.id}/edit",
            {"name": "Study panel", "description": "*Ours*."},
        ),
        (
            member,
            f"{rounds}/items/{version_item.id}",
            {"resonance": "strongly", "comment": "*Yes*."},
        ),
        (member, rounds + "/rewording", {"text": "*Reword*."}),
    ):
        assert submit_form(client, url, data).status_code == 302, url
    post_comment(member, cast, draft, "*Mine*.")
    comment = last_comment()

    def rendered_on_view(source: object) -> None:
        raise AssertionError(f"rendered on view: {source!r}")

    monkeypatch.setitem(app.jinja_env.filters, "user_text", rendered_on_view)
    drafts = f"/panels/{cast.panel.id}/drafts/{draft.id}"
    questionnaires = f"/panels/{cast.panel.id}/questionnaires/{questionnaire.id}"
    # (who, which page, words it shows as HTML)
    pages: tuple[tuple[str, str, tuple[str, ...]], ...] = (
        ("researcher", drafts, ("<em>summary</em>", "<em>Why</em>")),
        (
            "member",
            f"{drafts}/versions/1",
            ("<em>summary</em>", "<em>Why</em>", "<em>What</em>", "<em>Money</em>"),
        ),
        ("researcher", f"{drafts}/rounds/{review_round.id}", ("<strong>matters</strong>",)),
        ("member", rounds, ("<strong>matters</strong>",)),
        ("member", f"{rounds}/items/{version_item.id}", ("<em>Why</em>",)),
        ("member", rounds + "/answers", ("<em>Yes</em>", "<em>Reword</em>")),
        (
            "member",
            f"/panels/{cast.panel.id}/polls/{poll.id}",
            ('<p dir="auto">Online, about 90 minutes.</p>',),
        ),
        ("member", meeting_url + "/minutes", ("<em>met</em>", "<em>Print</em>")),
        ("researcher", meeting_url + "/minutes/versions/1", ("<em>met</em>",)),
        ("researcher", meeting_url + "/actions", ("<em>Print</em>",)),
        ("member", meeting_url + "/pack", ("<em>said</em>", "<em>Hello</em>")),
        ("chair", meeting_url + "/agenda", ("<em>Hello</em>",)),
        ("researcher", questionnaires, ("<em>introduction</em>", "<em>privacy</em>")),
        (
            "member",
            questionnaires + "/answer/1",
            ("<em>introduction</em>", "<em>privacy</em>", "<em>think</em>"),
        ),
        ("admin", f"/admin/panels/{cast.panel.id}", ("<em>Ours</em>",)),
        ("member", f"/panels/{cast.panel.id}/comments/{comment.id}/withdraw", ("<em>Mine</em>",)),
    )
    for role, url, shown in pages:
        html = _page(client_as(role), url)
        for words in shown:
            assert words in html, (role, url, words)
    # The pack's email is made from the kept HTML too.
    assert send_due_packs(app) == 3
    (email,) = [
        message
        for message in mail_to(cast.people["member"].email)
        if message.subject.startswith("Read the papers for the meeting")
    ]
    assert "<em>said</em>" in email.html_body


def test_a_changed_questionnaire_introduction_privacy_note_and_help_show_the_new_words(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(
        cast,
        introduction="It takes a **lantern** minute.",
        privacy_note="Only the **lantern** team reads it.",
        questions=(
            QuestionDetails(QuestionType.SECTION, "About the meeting", "Why the **lantern**."),
            QuestionDetails(QuestionType.YES_NO_NOT_SURE, "Could you hear everyone?"),
        ),
    )
    url = f"/panels/{cast.panel.id}/questionnaires/{questionnaire.id}"
    today = datetime.now(UTC).date()
    details = {
        "title": "How did it go?",
        "introduction": "It takes a *harbour* minute.",
        "privacy_note": "Only the *harbour* team reads it.",
        "content_note": "",
        "anonymous": "named",
        "audience": "panel",
        "meeting_id": "",
        "opens_on": (today - timedelta(days=1)).isoformat(),
        "opens_time": "09:00",
        "closes_on": (today + timedelta(days=7)).isoformat(),
        "closes_time": "17:00",
    }
    researcher = client_as("researcher")
    assert submit_form(researcher, url + "/edit", details).status_code == 302
    section_id = db.session.scalars(
        select(Question.id).where(
            Question.questionnaire_id == questionnaire.id, Question.kind == QuestionType.SECTION
        )
    ).one()
    section = {"kind": "section", "text": "About the meeting", "help_text": "Why the *harbour*."}
    changed = submit_form(researcher, f"{url}/questions/{section_id}/edit", section)
    assert changed.status_code == 302

    introduction = "It takes a <em>harbour</em> minute."
    privacy = "Only the <em>harbour</em> team reads it."
    builder = _page(researcher, url)
    _shows_new_never_old(builder, introduction, privacy, where="builder")
    answering = _page(client_as("member"), url + "/answer/1")
    help_text = "Why the <em>harbour</em>."
    _shows_new_never_old(answering, introduction, privacy, help_text, where="answer page")


def test_a_changed_panel_description_shows_its_new_words_and_never_the_old(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    admin = client_as("admin")
    url = f"/admin/panels/{cast.panel.id}"
    for words in ("We carry the **lantern**.", "We sail to the *harbour*."):
        saved = submit_form(admin, url + "/edit", {"name": "Study panel", "description": words})
        assert saved.status_code == 302
    db.session.expire_all()
    panel = db.session.get(Panel, cast.panel.id)
    assert panel is not None
    assert str(panel.description_html) == '<p dir="auto">We sail to the <em>harbour</em>.</p>'
    _shows_new_never_old(_page(admin, url), "We sail to the <em>harbour</em>.", where="panel")


def test_a_changed_answer_in_the_omission_check_shows_its_new_words_before_it_is_sent(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, version = round_draft(cast)
    review_round = open_round(cast, draft, version)
    first = items_of(version)[0]
    member = client_as("member")
    rounds = f"/panels/{cast.panel.id}/drafts/{draft.id}/rounds/{review_round.id}/check"
    item_url = f"{rounds}/items/{first.id}?change=1"
    for comment in ("A **lantern** for everyone", "A *harbour* for everyone"):
        answered = submit_form(member, item_url, {"resonance": "strongly", "comment": comment})
        assert answered.status_code == 302
    for words in ("Say **lantern**", "Say *harbour*"):
        assert submit_form(member, rounds + "/rewording", {"text": words}).status_code == 302
    html = _page(member, rounds + "/answers")
    _shows_new_never_old(html, "A <em>harbour</em> for everyone", "Say <em>harbour</em>", where=1)
