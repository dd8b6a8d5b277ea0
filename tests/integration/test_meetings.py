"""Meetings: the chair arranges, publishes, moves and cancels; members see, reply and get
calendar files that both the writing library and an independent reader accept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import icalendar
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.meetings.models import Meeting, MeetingStatus, Rsvp
from tests import ical
from tests.conftest import hidden_inputs, submit_form
from tests.integration.meeting_helpers import (
    add_meeting,
    attachments_to,
    future_day,
    meeting_form,
    publish,
)
from tests.roles import Cast

Clients = Callable[[str], FlaskClient]


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_draft_meeting_is_hidden_from_members_until_the_chair_publishes_it(
    cast: Cast, client_as: Clients
) -> None:
    chair, member = client_as("chair"), client_as("member")
    meeting = add_meeting(chair, cast.panel.id, title="Workshop on recruitment")
    assert meeting.status is MeetingStatus.DRAFT
    url = f"/panels/{cast.panel.id}/meetings/{meeting.id}"
    assert member.get(url).status_code == 404
    assert "Workshop on recruitment" not in _page(member, f"/panels/{cast.panel.id}/meetings")
    assert attachments_to(cast.people["member"].email) == []

    publish(chair, meeting)

    page = _page(member, url)
    assert "Workshop on recruitment" in page
    assert "https://meet.example.org/leap-3" in page
    assert "Captions are on." in page
    assert "Workshop on recruitment" in _page(member, f"/panels/{cast.panel.id}/meetings")
    # Everyone in the panel is told, each with a calendar invitation; nobody outside it.
    for role in ("member", "chair", "researcher"):
        (message,) = attachments_to(cast.people[role].email)
        assert message.attachment_type == "text/calendar; method=REQUEST"
        assert message.attachment_name == "meeting.ics"
        assert "Workshop on recruitment" in message.subject
    assert attachments_to(cast.people["other_panel_member"].email) == []


def _invitation(address: str, index: int = -1) -> tuple[ical.Component, icalendar.Calendar]:
    body = attachments_to(address)[index].attachment_body
    assert body is not None
    return ical.parse(body), icalendar.Calendar.from_ical(body)


def test_moving_and_cancelling_send_updates_with_the_same_uid_and_a_higher_sequence(
    cast: Cast, client_as: Clients
) -> None:
    chair = client_as("chair")
    day = future_day(40)
    meeting = add_meeting(chair, cast.panel.id, day=day)
    publish(chair, meeting)
    address = cast.people["member"].email

    first, first_lib = _invitation(address)
    (event,) = first.events()
    uid = event.get("UID")
    assert first.get("METHOD") == "REQUEST"
    assert event.get("SEQUENCE") == "0"
    assert first_lib.walk("VEVENT")[0]["UID"] == uid

    moved = meeting_form(day=day, start="5pm", end="6:30pm")
    url = f"/panels/{cast.panel.id}/meetings/{meeting.id}/edit"
    assert submit_form(chair, url, moved).status_code == 302
    second, second_lib = _invitation(address)
    (event,) = second.events()
    assert second.get("METHOD") == "REQUEST"
    assert event.get("UID") == uid
    assert event.get("SEQUENCE") == "1"
    assert "changed" in attachments_to(address)[-1].subject
    library_event = second_lib.walk("VEVENT")[0]
    assert library_event.decoded("DTEND") - library_event.decoded("DTSTART") == (
        event.moment("DTEND") - event.moment("DTSTART")
    )

    # Saving without changing the time or place tells nobody again.
    assert submit_form(chair, url, moved).status_code == 302
    assert len(attachments_to(address)) == 2

    cancel = f"/panels/{cast.panel.id}/meetings/{meeting.id}/cancel"
    assert submit_form(chair, cancel, {}).status_code == 302
    third, third_lib = _invitation(address)
    (event,) = third.events()
    assert third.get("METHOD") == "CANCEL"
    assert event.get("UID") == uid
    assert event.get("SEQUENCE") == "2"
    assert event.get("STATUS") == "CANCELLED"
    assert third_lib["METHOD"] == "CANCEL"
    assert attachments_to(address)[-1].attachment_type == "text/calendar; method=CANCEL"
    page = _page(client_as("member"), f"/panels/{cast.panel.id}/meetings/{meeting.id}")
    assert "This meeting has been cancelled" in page


def _clock_change_meeting(client: FlaskClient, cast: Cast, day: date) -> Meeting:
    return add_meeting(client, cast.panel.id, day=day, start="6pm", end="7:30pm")


def test_times_are_right_on_the_days_the_clocks_change(cast: Cast, client_as: Clients) -> None:
    chair = client_as("chair")
    year = future_day(400).year
    march = max(date(year, 3, d) for d in range(25, 32) if date(year, 3, d).weekday() == 6)
    october = max(date(year, 10, d) for d in range(25, 32) if date(year, 10, d).weekday() == 6)

    spring = _clock_change_meeting(chair, cast, march)
    autumn = _clock_change_meeting(chair, cast, october)

    # 6pm in London is 17:00 UTC after the clocks go forward and 18:00 UTC after they go back.
    assert spring.starts_at == datetime(year, 3, march.day, 17, 0, tzinfo=UTC)
    assert autumn.starts_at == datetime(year, 10, october.day, 18, 0, tzinfo=UTC)
    for meeting, day in ((spring, march), (autumn, october)):
        page = _page(chair, f"/panels/{cast.panel.id}/meetings/{meeting.id}")
        assert f"Sunday {day.day} {day.strftime('%B')} {year}, 6pm to 7:30pm" in page
        publish(chair, meeting)
    spring_file = _page(chair, f"/panels/{cast.panel.id}/meetings/{spring.id}/calendar.ics")
    (event,) = ical.parse(spring_file).events()
    assert event.moment("DTSTART") == datetime(year, 3, march.day, 17, 0, tzinfo=UTC)

    # 1:30am on the day the clocks go forward never happens in London.
    response = submit_form(
        chair,
        f"/panels/{cast.panel.id}/meetings/new",
        meeting_form(day=march, start="1:30am", end="3am"),
    )
    assert response.status_code == 200
    assert "The clocks go forward at that time" in response.get_data(as_text=True)


def test_bad_meeting_details_are_explained_and_what_was_typed_is_kept(
    cast: Cast, client_as: Clients
) -> None:
    chair = client_as("chair")
    url = f"/panels/{cast.panel.id}/meetings/new"
    cases = {
        "The end time must be after the start time": meeting_form(start="7pm", end="6pm"),
        "Enter a web address that starts with https://": meeting_form(
            link="javascript:alert(document.cookie)"
        ),
        "Enter a real date": meeting_form() | {"when-day": "31 2 2027"},
        "Enter a start time": meeting_form(start="teatime"),
        "Enter a title": meeting_form(title=""),
    }
    for message, form in cases.items():
        response = submit_form(chair, url, form)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "There is a problem" in page
        assert message in page
        assert "Captions are on." in page  # nothing typed is lost
    assert db.session.scalars(select(Meeting)).all() == []
    assert "javascript:" not in _page(chair, url)


def test_members_and_other_panels_cannot_arrange_or_see_meetings(
    cast: Cast, client_as: Clients
) -> None:
    chair = client_as("chair")
    meeting = add_meeting(chair, cast.panel.id)
    publish(chair, meeting)
    base = f"/panels/{cast.panel.id}/meetings/{meeting.id}"
    outsider = client_as("other_panel_member")
    for path in ("", "/calendar.ics", "/edit", "/replies"):
        assert outsider.get(base + path).status_code == 404
    # The meeting's id under the other panel's URL is not found either.
    other = f"/panels/{cast.other_panel.id}/meetings/{meeting.id}"
    assert outsider.get(other).status_code == 404
    member = client_as("member")
    for path in ("/edit", "/cancel", "/publish", "/replies"):
        assert member.get(base + path).status_code == 403
    assert member.get(f"/panels/{cast.panel.id}/meetings/new").status_code == 403


def test_replies_and_private_access_notes(cast: Cast, client_as: Clients, app: object) -> None:
    from tests.factories import add_to_panel, make_user, sign_in

    chair = client_as("chair")
    meeting = add_meeting(chair, cast.panel.id)
    publish(chair, meeting)
    url = f"/panels/{cast.panel.id}/meetings/{meeting.id}"
    member = client_as("member")
    response = submit_form(
        member,
        url + "/reply",
        {"answer": "attending", "access_note": "I need a quiet room for the break"},
    )
    assert response.status_code == 302
    page = _page(member, url)
    assert "You said: Attending" in page
    assert "I need a quiet room for the break" in page

    # A second member sees their own reply form, never the first member's note.
    second = make_user(name="Second member")
    add_to_panel(cast.panel, second)
    other = app.test_client()  # type: ignore[attr-defined]
    sign_in(other, second)
    assert "quiet room" not in _page(other, url)
    assert other.get(url + "/replies").status_code == 403

    for role in ("chair", "researcher"):
        replies = _page(client_as(role), url + "/replies")
        assert "A member" in replies
        assert "I need a quiet room for the break" in replies
        assert "Attending: <strong>1</strong>" in replies

    # Changing a reply keeps one row.
    submit_form(member, url + "/reply", {"answer": "not_attending", "access_note": ""})
    rows = db.session.scalars(select(Rsvp)).all()
    assert [row.answer.value for row in rows] == ["not_attending"]
    assert "You said: Not attending" in _page(member, url)


def test_a_reply_with_no_answer_is_explained(cast: Cast, client_as: Clients) -> None:
    chair = client_as("chair")
    meeting = add_meeting(chair, cast.panel.id)
    publish(chair, meeting)
    url = f"/panels/{cast.panel.id}/meetings/{meeting.id}/reply"
    response = submit_form(client_as("member"), url, {"access_note": "Step-free please"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose whether you are coming" in page
    assert "Step-free please" in page


def test_calendar_download_reads_the_same_in_two_parsers(cast: Cast, client_as: Clients) -> None:
    chair = client_as("chair")
    meeting = add_meeting(chair, cast.panel.id, title="Panel meeting, with commas; and semicolons")
    publish(chair, meeting)
    response = client_as("member").get(
        f"/panels/{cast.panel.id}/meetings/{meeting.id}/calendar.ics"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    (event,) = ical.parse(body).events()
    library = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert event.text("SUMMARY") == str(library["SUMMARY"])
    assert event.text("SUMMARY") == "Panel meeting, with commas; and semicolons"
    assert event.moment("DTSTART") == library.decoded("DTSTART")
    assert event.get("UID") == meeting.calendar_uid
    assert "https://meet.example.org/leap-3" in event.text("DESCRIPTION")


def test_personal_calendar_feed_shows_only_my_panels_published_meetings(
    cast: Cast, client_as: Clients
) -> None:
    chair = client_as("chair")
    published = add_meeting(chair, cast.panel.id, title="Published meeting")
    publish(chair, published)
    add_meeting(chair, cast.panel.id, title="Draft meeting")
    member = client_as("member")
    list_url = f"/panels/{cast.panel.id}/meetings"
    assert "/calendar-feed/" not in _page(member, list_url)
    form_page = _page(member, list_url)
    from tests.conftest import csrf_token_from

    token = csrf_token_from(form_page)
    reset = f"/panels/{cast.panel.id}/meetings/calendar-address"
    assert member.post(reset, data={"csrf_token": token}).status_code == 302
    page = _page(member, list_url)
    import re

    match = re.search(r"http://localhost(/calendar-feed/[^<\s]+\.ics)", page)
    assert match, page
    feed_path = match.group(1)

    anonymous = client_as("anonymous")
    feed = anonymous.get(feed_path)
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    assert feed.headers["Cache-Control"] == "no-store"
    calendar = ical.parse(feed.get_data(as_text=True))
    assert [event.text("SUMMARY") for event in calendar.events()] == ["Published meeting"]
    icalendar.Calendar.from_ical(feed.get_data(as_text=True))

    # The address is not stored anywhere readable, and a reset makes the old one stop working.
    assert member.post(reset, data={"csrf_token": token}).status_code == 302
    assert anonymous.get(feed_path).status_code == 404
    new_path = re.search(r"http://localhost(/calendar-feed/[^<\s]+\.ics)", _page(member, list_url))
    assert new_path and new_path.group(1) != feed_path
    assert anonymous.get(new_path.group(1)).status_code == 200
    # A made-up or tampered address is not found.
    assert anonymous.get(feed_path[:-8] + "0000.ics").status_code == 404
    assert anonymous.get("/calendar-feed/nonsense.ics").status_code == 404


def test_list_and_meeting_page_queries_do_not_grow_with_meetings(
    cast: Cast, client_as: Clients, count_queries: Callable[[], object]
) -> None:
    from portal.meetings import service

    chair = client_as("chair")
    meeting = add_meeting(chair, cast.panel.id)
    publish(chair, meeting)

    def counts() -> tuple[int, int]:
        with count_queries() as listing:  # type: ignore[attr-defined]
            _page(chair, f"/panels/{cast.panel.id}/meetings")
        with count_queries() as showing:  # type: ignore[attr-defined]
            _page(chair, f"/panels/{cast.panel.id}/meetings/{meeting.id}")
        # The meeting page's exact count: a new query must be a deliberate change. The last
        # loads the meeting's translated summaries, which the chair manages there.
        assert showing.queries == 9  # type: ignore[attr-defined]
        return listing.count, showing.count

    def add_meetings(how_many: int) -> None:
        for number in range(how_many):
            service.create_meeting(
                cast.panel.id,
                service.MeetingDetails(
                    title=f"Meeting {number}",
                    starts_at=datetime(2027, 1, 1, 18, tzinfo=UTC),
                    ends_at=datetime(2027, 1, 1, 19, tzinfo=UTC),
                ),
                None,
            )
        db.session.commit()

    add_meetings(2)
    three = counts()
    add_meetings(297)
    assert counts() == three  # 300 meetings: no more queries than with 3


def test_a_past_meeting_takes_no_more_replies(cast: Cast, client_as: Clients) -> None:
    from datetime import timedelta

    from portal.db import utcnow
    from portal.meetings import service

    start = utcnow() - timedelta(days=3)
    meeting = service.create_meeting(
        cast.panel.id,
        service.MeetingDetails(
            title="Last month", starts_at=start, ends_at=start + timedelta(hours=1)
        ),
        None,
    )
    meeting.status = MeetingStatus.PUBLISHED
    db.session.commit()
    member = client_as("member")
    listing = _page(member, f"/panels/{cast.panel.id}/meetings")
    assert listing.index("Past meetings") < listing.index("Last month")
    url = f"/panels/{cast.panel.id}/meetings/{meeting.id}"
    assert "Send your reply" not in _page(member, url)
    response = member.get(url + "/reply")
    assert response.status_code == 302
    assert db.session.scalars(select(Rsvp)).all() == []


def test_two_people_changing_a_meeting_at_once_the_second_sees_a_conflict_and_keeps_their_text(
    cast: Cast, client_as: Clients
) -> None:
    chair, researcher = client_as("chair"), client_as("researcher")
    day = future_day(30)
    meeting = add_meeting(chair, cast.panel.id, day=day)
    url = f"/panels/{cast.panel.id}/meetings/{meeting.id}/edit"
    chair_page = _page(chair, url)
    researcher_page = _page(researcher, url)

    first = chair.post(
        url, data={**hidden_inputs(chair_page), **meeting_form("Chair's title", day)}
    )
    assert first.status_code == 302
    second = researcher.post(
        url,
        data={
            **hidden_inputs(researcher_page),
            **meeting_form("Researcher's title", day, venue="Room 4, Community Centre"),
        },
    )
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Someone else saved this meeting while you were changing it" in html
    assert "Chair&#39;s title" in html  # what is saved now
    assert 'value="Researcher&#39;s title"' in html  # their own text, kept
    assert "Room 4, Community Centre</textarea>" in html
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Chair's title"  # type: ignore[union-attr]

    # Saving from the conflict page is a deliberate choice: it replaces what is saved.
    again = researcher.post(
        url, data={**hidden_inputs(html), **meeting_form("Researcher's title", day)}
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Researcher's title"  # type: ignore[union-attr]


def test_publishing_and_cancelling_a_meeting_are_in_the_audit_log(
    cast: Cast, client_as: Clients
) -> None:
    chair = client_as("chair")
    meeting = add_meeting(chair, cast.panel.id, day=future_day(20))
    publish(chair, meeting)
    url = f"/panels/{cast.panel.id}/meetings/{meeting.id}/cancel"
    assert submit_form(chair, url, {}).status_code == 302
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.panel_id == cast.panel.id).order_by(AuditEvent.id)
    ).all()
    chair_id = cast.people["chair"].id
    assert [
        (e.action, e.actor_id, e.detail) for e in events if e.action.startswith("meeting_")
    ] == [
        ("meeting_published", chair_id, f"meeting {meeting.id}"),
        ("meeting_cancelled", chair_id, f"meeting {meeting.id}"),
    ]
