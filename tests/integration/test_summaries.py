"""Translated summaries: the study team writes one per language, members read theirs above the
English, and a summary is marked out of date once the English it was written against changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.db import utcnow
from portal.drafts.models import Draft
from portal.extensions import db
from portal.meetings import service as meetings
from portal.meetings.models import Meeting, MeetingStatus
from portal.panels.models import Role
from portal.summaries import service
from portal.summaries.english import fingerprint
from portal.summaries.models import SubjectKind, TranslatedSummary
from tests.conftest import submit_form
from tests.factories import add_to_panel, make_panel
from tests.integration.questionnaire_helpers import base, make_questionnaire
from tests.integration.summary_helpers import publish_a_change, published_draft, summary_url
from tests.roles import Cast

URDU = "یہ خلاصہ ہے۔ ہم نے جو سنا"


def _subject(draft: Draft) -> service.Subject:
    return service.Subject(SubjectKind.DRAFT, draft.id, draft.panel_id, draft.title)


def _reads_urdu(cast: Cast, role: str = "member") -> None:
    cast.people[role].language = "ur"
    db.session.commit()


def _summary(draft: Draft, language: str = "ur") -> TranslatedSummary | None:
    db.session.expire_all()
    return db.session.scalar(
        select(TranslatedSummary).where(
            TranslatedSummary.draft_id == draft.id, TranslatedSummary.language == language
        )
    )


# --- the service ---------------------------------------------------------------------------


def test_a_summary_keeps_the_fingerprint_of_the_english_and_is_out_of_date_when_it_changes(
    cast: Cast,
) -> None:
    draft = published_draft(cast)
    subject = _subject(draft)
    english = service.current_english(subject)
    assert english is not None
    assert "Priority actions" in english.text and "Peer support in every clinic" in english.text
    researcher = cast.people["researcher"].id
    summary = service.save_summary(subject, "ur", URDU, researcher, 0)
    db.session.commit()
    assert summary.english_sha256 == fingerprint(english.text) == english.fingerprint
    assert summary.text_html.startswith("<p") and summary.lock_version == 1
    assert not service.reader_summary(SubjectKind.DRAFT, draft.id, "ur").out_of_date  # type: ignore[union-attr]

    publish_a_change(cast, draft)
    assert service.reader_summary(SubjectKind.DRAFT, draft.id, "ur").out_of_date  # type: ignore[union-attr]
    rows = {row.language: row for row in service.team_rows(subject)}
    assert rows["ur"].out_of_date and rows["bn"].summary is None and not rows["bn"].out_of_date

    # Saving it again is writing it against the English as it is now.
    service.save_summary(subject, "ur", URDU + " اور", researcher, 1)
    db.session.commit()
    assert not service.reader_summary(SubjectKind.DRAFT, draft.id, "ur").out_of_date  # type: ignore[union-attr]


def test_saving_the_same_english_again_changes_nothing_and_english_readers_get_no_summary(
    cast: Cast,
) -> None:
    draft = published_draft(cast)
    subject = _subject(draft)
    before = service.current_fingerprint(subject)
    service.save_summary(subject, "bn", "বাংলায় সারাংশ", cast.people["researcher"].id, 0)
    db.session.commit()
    assert service.current_fingerprint(subject) == before
    assert service.reader_summary(SubjectKind.DRAFT, draft.id, "en") is None
    assert service.reader_summary(SubjectKind.DRAFT, draft.id, "pa") is None
    assert service.reader_summary(SubjectKind.DRAFT, draft.id, "bn") is not None


def test_confirming_that_it_still_matches_makes_it_current_and_says_who_checked(
    cast: Cast,
) -> None:
    draft = published_draft(cast)
    subject = _subject(draft)
    summary = service.save_summary(subject, "ur", URDU, cast.people["researcher"].id, 0)
    db.session.commit()
    publish_a_change(cast, draft)
    summary = service.get_summary(subject, "ur")
    assert summary is not None
    service.confirm_still_matches(subject, summary, cast.people["researcher"].id, 1)
    db.session.commit()
    saved = _summary(draft)
    assert saved is not None and saved.checked_at is not None and saved.lock_version == 2
    assert saved.text == URDU
    assert not service.reader_summary(SubjectKind.DRAFT, draft.id, "ur").out_of_date  # type: ignore[union-attr]


def test_a_stale_save_is_a_conflict_and_changes_nothing(cast: Cast) -> None:
    draft = published_draft(cast)
    subject = _subject(draft)
    service.save_summary(subject, "ur", URDU, cast.people["researcher"].id, 0)
    db.session.commit()
    try:
        service.save_summary(subject, "ur", "Someone else's words", cast.people["chair"].id, 0)
    except service.EditConflict:
        db.session.rollback()
    else:
        raise AssertionError("a save from an older version was not a conflict")
    saved = _summary(draft)
    assert saved is not None and saved.text == URDU


def test_the_meeting_english_takes_in_the_agenda_once_the_pack_is_shared(cast: Cast) -> None:
    start = utcnow() + timedelta(days=20)
    meeting = meetings.create_meeting(
        cast.panel.id,
        meetings.MeetingDetails(
            title="Workshop", starts_at=start, ends_at=start + timedelta(hours=1)
        ),
        cast.people["chair"].id,
    )
    meeting.status = MeetingStatus.PUBLISHED
    db.session.commit()
    subject = service.Subject(SubjectKind.MEETING, meeting.id, cast.panel.id, meeting.title)
    service.save_summary(subject, "pa", "ਵਰਕਸ਼ਾਪ", cast.people["chair"].id, 0)
    db.session.commit()
    from portal.meetings.models import AgendaItem

    db.session.add(AgendaItem(meeting_id=meeting.id, position=1, title="Welcome"))
    db.session.commit()
    # Members cannot read the agenda yet: their English has not changed.
    assert not service.reader_summary(SubjectKind.MEETING, meeting.id, "pa").out_of_date  # type: ignore[union-attr]
    fresh = db.session.get(Meeting, meeting.id)
    assert fresh is not None
    fresh.pack_published_at = utcnow()
    db.session.commit()
    assert service.reader_summary(SubjectKind.MEETING, meeting.id, "pa").out_of_date  # type: ignore[union-attr]


# --- the pages ------------------------------------------------------------------------------


def test_a_researcher_adds_a_summary_and_a_member_reading_urdu_sees_it_above_the_english(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    researcher = client_as("researcher")
    team_page = researcher.get(f"/panels/{cast.panel.id}/drafts/{draft.id}").get_data(as_text=True)
    assert 'id="translated-summaries"' in team_page and 'id="summary-missing-ur"' in team_page
    form_page = researcher.get(summary_url(cast, draft)).get_data(as_text=True)
    assert re.search(r'<textarea[^>]*lang="ur"[^>]*dir="rtl"|<textarea[^>]*dir="rtl"', form_page)
    assert "fluently" in form_page and "machine" in form_page
    # The English it summarises is on the page, for the writer to check against.
    assert "The English it summarises" in form_page
    assert "<p>Peer support in every clinic</p>" in form_page
    saved = submit_form(researcher, summary_url(cast, draft), {"text": URDU})
    assert saved.status_code == 302
    team_page = researcher.get(f"/panels/{cast.panel.id}/drafts/{draft.id}").get_data(as_text=True)
    assert 'id="summary-written-ur"' in team_page and "A researcher" in team_page

    _reads_urdu(cast)
    member = client_as("member")
    version = member.get(f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/1")
    html = version.get_data(as_text=True)
    assert version.status_code == 200
    card = re.search(r'<div class="nhsuk-card" id="translated-summary" ([^>]*)>', html)
    assert card and 'lang="ur"' in card.group(1) and 'dir="rtl"' in card.group(1)
    assert URDU in html and 'id="version-of-record"' in html
    assert html.index('id="translated-summary"') < html.index("Peer support in every clinic")
    assert 'id="translated-summary-out-of-date"' not in html
    # The chair reads English: no summary for them.
    chair_html = client_as("chair").get(f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/1")
    assert 'id="translated-summary"' not in chair_html.get_data(as_text=True)

    publish_a_change(cast, draft)
    html = member.get(f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/2").get_data(
        as_text=True
    )
    assert 'id="translated-summary-out-of-date"' in html and URDU in html
    # An older version is not what the summary is shown beside.
    old = member.get(f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/1").get_data(as_text=True)
    assert 'id="translated-summary"' not in old
    team_page = researcher.get(f"/panels/{cast.panel.id}/drafts/{draft.id}").get_data(as_text=True)
    assert 'id="summary-out-of-date-ur"' in team_page
    home = researcher.get("/").get_data(as_text=True)
    assert 'id="summaries-to-check"' in home

    # Saving it again makes it current for its readers and its author.
    again = submit_form(researcher, summary_url(cast, draft), {"text": URDU + " ۔"})
    assert again.status_code == 302
    html = member.get(f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/2").get_data(
        as_text=True
    )
    assert 'id="translated-summary-out-of-date"' not in html
    assert 'id="summaries-to-check"' not in researcher.get("/").get_data(as_text=True)


def test_the_still_matches_button_makes_it_current_again(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    researcher = client_as("researcher")
    submit_form(researcher, summary_url(cast, draft), {"text": URDU})
    publish_a_change(cast, draft)
    page = researcher.get(summary_url(cast, draft)).get_data(as_text=True)
    assert "The summary still matches the English" in page
    token = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[-1]
    confirmed = researcher.post(
        summary_url(cast, draft, action="/still-matches"),
        data={"csrf_token": token, "lock_version": "1"},
    )
    assert confirmed.status_code == 302
    saved = _summary(draft)
    assert saved is not None and saved.checked_by_id == cast.people["researcher"].id
    team_page = researcher.get(f"/panels/{cast.panel.id}/drafts/{draft.id}").get_data(as_text=True)
    assert (
        'id="summary-out-of-date-ur"' not in team_page
        and "Checked against the English" in team_page
    )


def test_two_editors_the_second_sees_what_was_saved_and_keeps_their_text(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    add_to_panel(cast.panel, cast.people["admin"], Role.RESEARCHER)
    first, second = client_as("researcher"), client_as("admin")
    url = summary_url(cast, draft)
    second_page = second.get(url).get_data(as_text=True)
    assert submit_form(first, url, {"text": URDU}).status_code == 302
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', second_page)
    assert token
    clash = second.post(
        url, data={"csrf_token": token.group(1), "lock_version": "0", "text": "Mine"}
    )
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert 'id="saved-summary"' in html and URDU in html and ">Mine</textarea>" in html
    saved = _summary(draft)
    assert saved is not None and saved.text == URDU
    # Saving from the conflict page is a deliberate choice: it replaces what was saved.
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert token and 'name="lock_version" type="hidden" value="1"' in html
    replaced = second.post(
        url, data={"csrf_token": token.group(1), "lock_version": "1", "text": "Mine"}
    )
    assert replaced.status_code == 302
    saved = _summary(draft)
    assert saved is not None and saved.text == "Mine"


def test_form_errors_keep_the_text(cast: Cast, client_as: Callable[[str], FlaskClient]) -> None:
    draft = published_draft(cast)
    researcher = client_as("researcher")
    empty = submit_form(researcher, summary_url(cast, draft), {"text": "  "})
    assert "Enter the summary" in empty.get_data(as_text=True)
    long = URDU * 300
    too_long = submit_form(researcher, summary_url(cast, draft), {"text": long})
    html = too_long.get_data(as_text=True)
    assert "4,000 characters or fewer" in html and long in html
    assert _summary(draft) is None


def test_removing_a_summary_asks_first(cast: Cast, client_as: Callable[[str], FlaskClient]) -> None:
    draft = published_draft(cast)
    researcher = client_as("researcher")
    submit_form(researcher, summary_url(cast, draft), {"text": URDU})
    ask = researcher.get(summary_url(cast, draft, action="/remove"))
    assert ask.status_code == 200 and URDU in ask.get_data(as_text=True)
    assert _summary(draft) is not None
    removed = submit_form(researcher, summary_url(cast, draft, action="/remove"), {})
    assert removed.status_code == 302 and _summary(draft) is None


def test_other_panels_languages_without_summaries_and_unpublished_drafts(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    researcher = client_as("researcher")
    other = make_panel("Elsewhere")
    add_to_panel(other, cast.people["researcher"], Role.RESEARCHER)
    theirs = published_draft(cast)
    theirs.panel_id = other.id
    db.session.commit()
    # The draft is in another panel than the URL's: not found.
    assert researcher.get(summary_url(cast, theirs)).status_code == 404
    draft = published_draft(cast, title="Ours")
    for language in ("en", "fr", "UR"):
        assert researcher.get(summary_url(cast, draft, language)).status_code == 404
    assert researcher.get(summary_url(cast, draft, action="/remove")).status_code == 404
    unpublished = published_draft(cast, title="Not yet")
    unpublished.latest_version_number = 0
    db.session.commit()
    sent_back = researcher.get(summary_url(cast, unpublished), follow_redirects=True)
    assert "Publish a version first" in sent_back.get_data(as_text=True)


def test_questionnaires_and_meetings_show_the_summary_to_urdu_readers(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, introduction="Tell us how it went.")
    chair = client_as("chair")
    url = f"{base(cast, questionnaire)}/summaries/ur"
    assert submit_form(chair, url, {"text": "سوالنامہ"}).status_code == 302
    builder = chair.get(base(cast, questionnaire)).get_data(as_text=True)
    assert 'id="summary-written-ur"' in builder
    _reads_urdu(cast)
    member = client_as("member")
    first = member.get(f"{base(cast, questionnaire)}/answer/1").get_data(as_text=True)
    assert 'id="translated-summary"' in first and "سوالنامہ" in first
    assert 'id="translated-summary"' not in member.get(
        f"{base(cast, questionnaire)}/answer/2"
    ).get_data(as_text=True)

    start = utcnow() + timedelta(days=20)
    meeting = meetings.create_meeting(
        cast.panel.id,
        meetings.MeetingDetails(
            title="Workshop", starts_at=start, ends_at=start + timedelta(hours=1)
        ),
        cast.people["chair"].id,
    )
    meeting.status = MeetingStatus.PUBLISHED
    db.session.commit()
    meeting_url = f"/panels/{cast.panel.id}/meetings/{meeting.id}"
    assert submit_form(chair, f"{meeting_url}/summaries/ur", {"text": "ملاقات"}).status_code == 302
    page = member.get(meeting_url).get_data(as_text=True)
    assert 'id="translated-summary"' in page and "ملاقات" in page
    assert 'id="translated-summaries"' not in page  # the team's section is not for members
    assert 'id="translated-summaries"' in chair.get(meeting_url).get_data(as_text=True)
