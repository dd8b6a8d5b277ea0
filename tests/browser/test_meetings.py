"""Meetings in a real browser: the chair runs a poll through to a published meeting without
JavaScript; a member answers a poll with the keyboard alone, replies and saves the calendar
file. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.meetings.models import (
    Availability,
    AvailabilityPoll,
    Meeting,
    MeetingStatus,
    PollAnswer,
    Rsvp,
    RsvpAnswer,
)
from portal.meetings.polls import choose_slot, create_poll, get_poll, save_answers
from portal.meetings.service import MeetingDetails, create_meeting, publish_meeting, set_rsvp
from portal.meetings.times import london_to_utc
from portal.panels.models import Role
from tests import ical
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import (
    assert_accessible,
    focused_text,
    reload,
    sign_in_as,
    tab_to,
)
from tests.factories import add_to_panel, make_panel, make_user
from tests.language import is_right_to_left, tr

pytestmark = pytest.mark.browser


def typed(days: int) -> str:
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return f"{day.day} {day.month} {day.year}"


def clock(typed_time: str) -> str:
    """A clock time typed as "6:30pm", worded as the page words it in the test's language."""
    return tr(f"%(time)s{typed_time[-2:]}", time=typed_time[:-2])


def time_span(start: str, end: str) -> str:
    """The end of "Tuesday 14 March, 6pm to 7:30pm", composed as the page composes it."""
    return tr("%(day)s, %(start)s to %(end)s", day="", start=clock(start), end=clock(end))


def test_the_chair_offers_times_in_a_poll_and_makes_the_meeting_without_javascript(
    no_js_page: Page, live_server: LiveServer
) -> None:
    panel = make_panel("Browser panel")
    chair = make_user(name="Browser chair")
    member = make_user(name="Browser member")
    add_to_panel(panel, chair, Role.CHAIR)
    add_to_panel(panel, member, Role.MEMBER)

    # The chair, without JavaScript, offers three times.
    chair_page = no_js_page
    sign_in_as(chair_page, live_server, chair)
    chair_page.goto(live_server.url(f"/panels/{panel.id}/meetings"))
    assert_accessible(chair_page)
    chair_page.get_by_role("button", name="Find a date with a poll").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Find a date with a poll")
    assert_accessible(chair_page)
    chair_page.get_by_label("What is the meeting?").fill("Panel meeting 7")
    chair_page.get_by_label("Closing date").fill(typed(10))
    for number, days in ((1, 20), (2, 21), (3, 22)):
        group = chair_page.get_by_role("group", name=f"Time {number}")
        group.get_by_label("Date").fill(typed(days))
        group.get_by_label("Start time").fill("6pm")
        group.get_by_label("End time").fill("7:30pm")
    chair_page.get_by_role("button", name="Open the poll").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Answers so far")
    assert_accessible(chair_page)

    # The member answers (their side is the test below).
    reload()
    poll = db.session.scalars(select(AvailabilityPoll)).one()
    loaded = get_poll(panel.id, poll.id)
    assert loaded is not None
    first, second, third = loaded.slots
    save_answers(
        loaded,
        member.id,
        {
            first.id: (Availability.YES, "I may be a few minutes late"),
            second.id: (Availability.IF_NEED_BE, ""),
            third.id: (Availability.NO, ""),
        },
    )
    db.session.commit()

    # The chair sees the counts and picks the first time.
    chair_page.reload()
    assert_accessible(chair_page)
    chair_page.get_by_role("link", name="Choose this time").first.click()
    assert_accessible(chair_page)
    chair_page.get_by_label("Online joining link (optional)").fill("javascript:alert(1)")
    chair_page.get_by_role("button", name="Publish the meeting").click()
    expect(chair_page.get_by_role("alert")).to_contain_text("https://")
    assert_accessible(chair_page)
    chair_page.get_by_role("link", name="Enter a web address").click()
    chair_page.get_by_label("Online joining link (optional)").fill("https://meet.example.org/p7")
    chair_page.get_by_role("button", name="Publish the meeting").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Panel meeting 7")
    assert_accessible(chair_page)
    reload()
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.status is MeetingStatus.PUBLISHED


def poll_at_six(panel_id: int, chair_id: int) -> int:
    """The poll the chair opens in the test above: three evenings, 6pm to 7:30pm."""
    spans = []
    for days in (20, 21, 22):
        day = (datetime.now(UTC) + timedelta(days=days)).date()
        spans.append((london_to_utc(day, time(18)), london_to_utc(day, time(19, 30))))
    poll = create_poll(
        panel_id, "Panel meeting 7", "", utcnow() + timedelta(days=10), spans, chair_id
    )
    db.session.commit()
    return poll.id


def test_a_member_answers_a_poll_by_keyboard_replies_and_saves_the_calendar_file(
    page: Page, live_server: LiveServer, tmp_path: Path, language: Language
) -> None:
    panel = make_panel("Browser panel")
    chair = make_user(name="Browser chair")
    member = make_user(name="Browser member")
    add_to_panel(panel, chair, Role.CHAIR)
    add_to_panel(panel, member, Role.MEMBER)
    poll_id = poll_at_six(panel.id, chair.id)
    language.of(member)

    # The member answers with the keyboard alone.
    sign_in_as(page, live_server, member)
    tab_to(page, tr("Meetings"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings")
    assert_accessible(page)
    tab_to(page, "Panel meeting 7")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("When can you come?"))
    assert_accessible(page)
    tab_to(page, "yes")  # the first time's Yes
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # its note
    page.keyboard.type("I may be a few minutes late")
    # Across a row of choices the arrow that points the way the page reads goes to the next one.
    onwards = "ArrowLeft" if is_right_to_left() else "ArrowRight"
    page.keyboard.press("Tab")  # the second time's group
    page.keyboard.press(onwards)  # If need be
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the third time's group
    page.keyboard.press(onwards)
    page.keyboard.press(onwards)  # No
    tab_to(page, tr("Save your answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(tr("Thank you. Your answers have been saved."))).to_be_visible()
    assert_accessible(page)
    reload()
    answers = sorted(
        (answer.slot_id, answer.availability.value, answer.note)
        for answer in db.session.scalars(select(PollAnswer))
    )
    assert [value for _slot, value, _note in answers] == ["yes", "if_need_be", "no"]
    assert answers[0][2] == "I may be a few minutes late"
    first_radio = page.get_by_role("group").first.get_by_label(tr("Yes"))
    expect(first_radio).to_be_checked()

    # The chair picks the first time (their side is the test above).
    reload()
    poll = get_poll(panel.id, poll_id)
    assert poll is not None
    meeting = choose_slot(poll, poll.slots[0], chair.id, joining_link="https://meet.example.org/p7")
    db.session.commit()

    # The member replies and saves the calendar file.
    page.goto(live_server.url(f"/panels/{panel.id}/meetings/{meeting.id}"))
    assert_accessible(page)
    expect(page.get_by_text("https://meet.example.org/p7")).to_be_visible()
    expect(page.get_by_text(time_span("6pm", "7:30pm"))).to_be_visible()
    page.get_by_role("group", name=tr("Are you coming?")).get_by_label(
        tr("Attending"), exact=True
    ).check()
    page.get_by_label(tr("Anything we should know about your access needs? (optional)")).fill(
        "Captions please"
    )
    page.get_by_role("button", name=tr("Send your reply")).click()
    expect(page.get_by_text(tr("You said: %(answer)s.", answer=tr("Attending")))).to_be_visible()
    assert_accessible(page)
    reload()
    assert db.session.scalars(select(Rsvp.access_note)).one() == "Captions please"

    with page.expect_download() as download_info:
        page.get_by_role("link", name=tr("Add this meeting to your calendar (.ics file)")).click()
    saved = tmp_path / "meeting.ics"
    download_info.value.save_as(saved)
    (event,) = ical.parse(saved.read_bytes().decode()).events()
    assert event.get("UID") == meeting.calendar_uid
    assert event.text("SUMMARY") == "Panel meeting 7"


def test_the_chair_adds_publishes_moves_and_cancels_a_meeting(
    page: Page, live_server: LiveServer
) -> None:
    panel = make_panel("Arranging panel")
    chair = make_user(name="Arranging chair")
    member = make_user(name="Phone member")
    add_to_panel(panel, chair, Role.CHAIR)
    add_to_panel(panel, member, Role.MEMBER)
    sign_in_as(page, live_server, chair)
    page.goto(live_server.url(f"/panels/{panel.id}/meetings"))
    assert_accessible(page)
    page.get_by_role("button", name="Add a meeting").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Extra meeting")
    page.get_by_label("Date").fill(typed(15))
    page.get_by_label("Start time").fill("7pm")
    page.get_by_label("End time").fill("6pm")
    page.get_by_role("button", name="Save as a draft").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The end time must be after the start time")
    assert_accessible(page)
    summary.get_by_role("link").click()
    assert focused_text(page) == "6pm"
    page.keyboard.press("Control+A")
    page.keyboard.type("8:15pm")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Extra meeting")
    expect(page.get_by_text("Draft – members cannot see it")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Publish and tell everyone").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish and tell everyone").click()
    expect(page.get_by_text("Meeting published")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change the time or details").click()
    assert_accessible(page)
    page.get_by_label("Start time").fill("6:30pm")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Everyone has been sent the new details")).to_be_visible()
    expect(page.get_by_text(", 6:30pm to 8:15pm")).to_be_visible()  # the chair's, in English
    assert_accessible(page)

    # A member replies (their side is the test below).
    reload()
    meeting = db.session.scalars(select(Meeting)).one()
    set_rsvp(meeting, member.id, RsvpAnswer.MAYBE, "")
    db.session.commit()

    page.get_by_role("link", name="See who is coming").click()
    expect(page.get_by_role("cell", name="Phone member")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the meeting").click()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel the meeting").click()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel the meeting").click()
    expect(page.get_by_text("This meeting has been cancelled")).to_be_visible()
    assert_accessible(page)


def test_a_member_on_a_phone_sees_a_meeting_and_replies(
    phone_page: Page, live_server: LiveServer, language: Language
) -> None:
    panel = make_panel("Arranging panel")
    member = make_user(name="Phone member")
    add_to_panel(panel, member, Role.MEMBER)
    day = (datetime.now(UTC) + timedelta(days=15)).date()
    meeting = create_meeting(
        panel.id,
        MeetingDetails(
            title="Extra meeting",
            starts_at=london_to_utc(day, time(18, 30)),
            ends_at=london_to_utc(day, time(20, 15)),
        ),
        None,
    )
    publish_meeting(meeting)
    language.of(member)

    # A member on a phone sees it, with the time in words.
    sign_in_as(phone_page, live_server, member)
    phone_page.goto(live_server.url(f"/panels/{panel.id}/meetings"))
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Extra meeting").click()
    expect(phone_page.get_by_text(time_span("6:30pm", "8:15pm"))).to_be_visible()
    assert_accessible(phone_page)
    phone_page.get_by_role("group", name=tr("Are you coming?")).get_by_label(tr("Maybe")).check()
    phone_page.get_by_role("button", name=tr("Send your reply")).click()
    expect(phone_page.get_by_text(tr("You said: %(answer)s.", answer=tr("Maybe")))).to_be_visible()
    assert_accessible(phone_page)
    reload()
    assert db.session.scalars(select(Rsvp.answer)).one() is RsvpAnswer.MAYBE
