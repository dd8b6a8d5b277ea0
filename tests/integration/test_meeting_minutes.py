"""After a meeting: attendance, minutes shared for comment and agreed, and the action log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.feedback.models import EntryKind, FeedbackEntry, TriageStatus
from portal.meetings.models import ActionStatus, Attendance, Meeting, MeetingAction, MinutesRevision
from tests.conftest import csrf_token_from, hidden_inputs, submit_form
from tests.factories import add_to_panel, make_user
from tests.outbox import mail_to
from tests.papers_data import make_meeting
from tests.roles import Cast


def url(meeting: Meeting, rest: str = "") -> str:
    return f"/panels/{meeting.panel_id}/meetings/{meeting.id}{rest}"


def past_meeting(cast: Cast) -> Meeting:
    return make_meeting(cast.panel, title="Workshop 2", days_ahead=-7)


def test_the_chair_records_attendance_for_each_member(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = past_meeting(cast)
    second = make_user(name="Blessing Okafor")
    add_to_panel(cast.panel, second)
    member, chair = cast.people["member"], cast.people["chair"]
    client = client_as("chair")
    assert client_as("researcher").get(url(meeting, "/attendance")).status_code == 403

    missing = submit_form(
        client,
        url(meeting, "/attendance"),
        {f"attendance-{member.id}": "attended", f"attendance-{chair.id}": "attended"},
    )
    html = missing.get_data(as_text=True)
    assert missing.status_code == 200
    assert "Choose whether Blessing Okafor attended" in html
    assert f'href="#attendance-{second.id}"' in html
    assert db.session.scalars(select(Attendance)).all() == []

    response = submit_form(
        client,
        url(meeting, "/attendance"),
        {
            f"attendance-{member.id}": "attended",
            f"attendance-{chair.id}": "attended",
            f"attendance-{second.id}": "apologies",
        },
    )
    assert response.status_code == 302
    records = {
        r.user_id: (r.attended, r.sent_apologies) for r in db.session.scalars(select(Attendance))
    }
    assert records == {member.id: (True, False), chair.id: (True, False), second.id: (False, True)}
    # Changing it later replaces what was recorded.
    submit_form(
        client,
        url(meeting, "/attendance"),
        {
            f"attendance-{member.id}": "absent",
            f"attendance-{chair.id}": "attended",
            f"attendance-{second.id}": "apologies",
        },
    )
    db.session.expire_all()
    record = db.session.scalars(select(Attendance).where(Attendance.user_id == member.id)).one()
    assert (record.attended, record.sent_apologies) == (False, False)
    page = client_as("researcher").get(url(meeting, "/minutes")).get_data(as_text=True)
    assert "Blessing Okafor: sent apologies" in page


def test_minutes_are_shared_revised_and_agreed_with_every_revision_kept(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = past_meeting(cast)
    researcher = client_as("researcher")
    member = client_as("member")
    response = submit_form(
        researcher,
        url(meeting, "/minutes/write"),
        {"body": "First draft of the minutes.", "share": "no"},
    )
    assert response.status_code == 302
    assert "not ready yet" in member.get(url(meeting, "/minutes")).get_data(as_text=True)
    assert mail_to(cast.people["member"].email) == []

    page = researcher.get(url(meeting, "/minutes")).get_data(as_text=True)
    token = csrf_token_from(page)
    researcher.post(url(meeting, "/minutes/versions/1/share"), data={"csrf_token": token})
    page = member.get(url(meeting, "/minutes")).get_data(as_text=True)
    assert "First draft of the minutes." in page and "For comment" in page
    assert len(mail_to(cast.people["member"].email)) == 1

    submit_form(
        client_as("chair"),
        url(meeting, "/minutes/write"),
        {"body": "Second version, with the leaflet discussion.", "share": "yes"},
    )
    page = member.get(url(meeting, "/minutes")).get_data(as_text=True)
    assert "Second version" in page and "First draft" not in page
    assert member.get(url(meeting, "/minutes/versions/1")).status_code == 403
    old = researcher.get(url(meeting, "/minutes/versions/1")).get_data(as_text=True)
    assert "First draft of the minutes." in old
    bodies = [
        r.body for r in db.session.scalars(select(MinutesRevision).order_by(MinutesRevision.number))
    ]
    assert bodies == ["First draft of the minutes.", "Second version, with the leaflet discussion."]

    assert submit_form(researcher, url(meeting, "/minutes/agree"), {}).status_code == 302
    page = member.get(url(meeting, "/minutes")).get_data(as_text=True)
    assert "Agreed" in page and "The panel agreed these minutes" in page


def test_two_people_writing_minutes_at_once_the_second_keeps_their_text(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = past_meeting(cast)
    chair, researcher = client_as("chair"), client_as("researcher")
    chair_page = chair.get(url(meeting, "/minutes/write")).get_data(as_text=True)
    researcher_page = researcher.get(url(meeting, "/minutes/write")).get_data(as_text=True)
    chair.post(
        url(meeting, "/minutes/write"),
        data={**hidden_inputs(chair_page), "body": "The chair's minutes.", "share": "no"},
    )
    response = researcher.post(
        url(meeting, "/minutes/write"),
        data={**hidden_inputs(researcher_page), "body": "The researcher's minutes.", "share": "no"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved the minutes first" in html
    assert ">The researcher&#39;s minutes.</textarea>" in html  # their text, kept to save again
    assert '<p dir="auto">The chair\'s minutes.</p>' in html  # beside what is saved now
    assert len(db.session.scalars(select(MinutesRevision)).all()) == 1
    # Saving from the conflict page makes a newer version on top of the chair's.
    again = researcher.post(
        url(meeting, "/minutes/write"),
        data={**hidden_inputs(html), "body": "The researcher's minutes.", "share": "no"},
    )
    assert again.status_code == 302
    assert len(db.session.scalars(select(MinutesRevision)).all()) == 2


def test_a_members_comment_on_the_minutes_reaches_the_study_teams_inbox(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = past_meeting(cast)
    submit_form(
        client_as("chair"), url(meeting, "/minutes/write"), {"body": "Minutes.", "share": "yes"}
    )
    member = client_as("member")
    empty = submit_form(member, url(meeting, "/minutes/comment"), {"body": "  "})
    assert "Write your comment" in empty.get_data(as_text=True)
    response = submit_form(
        member,
        url(meeting, "/minutes/comment"),
        {"body": "My point about interpreters is missing."},
        follow_redirects=True,
    )
    assert "Your comment has been sent to the study team" in response.get_data(as_text=True)
    assert "My point about interpreters is missing." in response.get_data(as_text=True)
    entry = db.session.scalars(select(FeedbackEntry)).one()
    assert entry.panel_id == cast.panel.id and entry.author_id == cast.people["member"].id
    assert entry.kind is EntryKind.COMMENT and entry.status is TriageStatus.NEW
    assert "Minutes of Workshop 2" in entry.item_title
    # The chair and the researcher do not comment through this page.
    assert client_as("researcher").get(url(meeting, "/minutes/comment")).status_code == 403


def test_the_action_log_is_kept_by_the_team_and_read_by_members(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = past_meeting(cast)
    chair = client_as("chair")
    bad = submit_form(
        chair,
        url(meeting, "/actions/new"),
        {"description": "Shorten the leaflet", "owner": "Study team", "due_on": "31/02/2027"},
    )
    html = bad.get_data(as_text=True)
    assert "Enter a real date" in html and 'href="#due_on"' in html
    assert 'value="Study team"' in html
    submit_form(
        chair,
        url(meeting, "/actions/new"),
        {
            "description": "Shorten the leaflet",
            "owner": "Study team",
            "due_on": "2027-03-14",
            "status": "open",
        },
    )
    action = db.session.scalars(select(MeetingAction)).one()
    assert action.due_on == date(2027, 3, 14) and action.status is ActionStatus.OPEN
    submit_form(
        client_as("researcher"),
        url(meeting, f"/actions/{action.id}/edit"),
        {
            "description": "Shorten the leaflet",
            "owner": "Study team",
            "due_on": "2027-03-14",
            "status": "done",
        },
    )
    db.session.expire_all()
    assert db.session.get(MeetingAction, action.id).status is ActionStatus.DONE  # type: ignore[union-attr]
    member = client_as("member")
    page = member.get(url(meeting, "/actions")).get_data(as_text=True)
    assert "Shorten the leaflet" in page and "14 March 2027" in page and "Done" in page
    assert "Add an action" not in page
    assert member.get(url(meeting, "/actions/new")).status_code == 403


def test_another_panels_minutes_and_actions_are_not_found(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = past_meeting(cast)
    outsider = client_as("other_panel_member")
    for rest in ("/minutes", "/actions", "/attendance"):
        assert outsider.get(url(meeting, rest)).status_code == 404
    other = make_meeting(cast.other_panel)
    # This panel's chair cannot reach the other panel's meeting through this panel's address.
    wrong = f"/panels/{cast.panel.id}/meetings/{other.id}/minutes"
    assert client_as("chair").get(wrong).status_code == 404


def test_the_minutes_page_makes_the_same_number_of_queries_however_much_it_holds(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    meeting = past_meeting(cast)
    chair = client_as("chair")
    submit_form(chair, url(meeting, "/minutes/write"), {"body": "One.", "share": "yes"})
    db.session.add(MeetingAction(meeting_id=meeting.id, description="One"))
    db.session.commit()
    pages = [url(meeting, "/minutes"), url(meeting, "/actions")]
    before = {}
    for page in pages:
        with count_queries() as log:
            assert chair.get(page).status_code == 200
        before[page] = log.count
    for number in range(10):
        person = make_user()
        add_to_panel(cast.panel, person)
        db.session.add(MeetingAction(meeting_id=meeting.id, description=f"Action {number}"))
        db.session.add(
            MinutesRevision(meeting_id=meeting.id, number=number + 2, body=f"Version {number}")
        )
        db.session.add(Attendance(meeting_id=meeting.id, user_id=person.id))
    db.session.commit()
    for page in pages:
        with count_queries() as log:
            assert chair.get(page).status_code == 200
        assert log.count == before[page], page


def test_the_demo_gives_past_meetings_minutes_and_the_next_one_a_pack(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    from portal.meetings.demo import load_papers_demo

    meetings = [
        make_meeting(cast.panel, title=f"Workshop {n}", days_ahead=days)
        for n, days in ((1, -90), (2, -60), (3, -30), (4, 10))
    ]
    load_papers_demo(cast.panel, meetings)
    db.session.commit()
    load_papers_demo(cast.panel, meetings)  # a second run adds nothing
    db.session.commit()
    assert len(db.session.scalars(select(MinutesRevision)).all()) == 3
    agreed = [m.minutes_agreed_at is not None for m in meetings[:3]]
    assert agreed == [True, True, False]
    upcoming = meetings[3]
    assert upcoming.pack_published_at is not None
    member = client_as("member")
    pack = member.get(url(upcoming, "/pack")).get_data(as_text=True)
    assert "Priority actions: what resonates" in pack and "Total time: 1 hour 30 minutes" in pack
    page = member.get(url(meetings[2], "/minutes")).get_data(as_text=True)
    assert "For comment" in page and "Workshop 3: minutes" in page
    assert "Find out how vouchers can be sent" in member.get(url(meetings[2], "/actions")).get_data(
        as_text=True
    )
