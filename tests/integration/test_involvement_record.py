"""The involvement record builds itself: attendance, a review round's check sent and a named
questionnaire sent each make one entry with the rate that applied, waiting for approval; an
anonymous questionnaire never does. The team adds, corrects and removes entries by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.involvement.entries import london_today
from portal.involvement.models import ActivityKind, EntryStatus, InvolvementEntry, PaymentRule
from portal.questionnaires.models import Completion, QuestionType
from portal.questionnaires.service import QuestionDetails
from tests.conftest import submit_form
from tests.integration.involvement_helpers import post_from
from tests.integration.questionnaire_helpers import base, make_questionnaire
from tests.integration.round_helpers import open_round, published_draft, round_url
from tests.involvement_data import add_entry, add_rate
from tests.papers_data import make_meeting
from tests.roles import Cast


def entries_of(user_id: int) -> list[InvolvementEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(InvolvementEntry)
            .where(InvolvementEntry.user_id == user_id)
            .order_by(InvolvementEntry.id)
        )
    )


def test_attending_a_meeting_makes_one_entry_with_the_rate_that_applied(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    add_rate(cast.panel, ActivityKind.MEETING, PaymentRule.PER_HOUR, 2500, extra_pence=500)
    db.session.commit()
    meeting = make_meeting(cast.panel, title="Workshop 2", days_ahead=-7)
    member, chair = cast.people["member"], cast.people["chair"]
    minutes = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    url = f"/panels/{cast.panel.id}/meetings/{meeting.id}/attendance"
    sheet = {f"attendance-{member.id}": "attended", f"attendance-{chair.id}": "apologies"}
    assert submit_form(client_as("chair"), url, sheet).status_code == 302
    # A later rate does not change what was already recorded.
    add_rate(
        cast.panel, ActivityKind.MEETING, PaymentRule.PER_HOUR, 9900, effective_from=london_today()
    )
    db.session.commit()
    assert submit_form(client_as("chair"), url, sheet).status_code == 302

    [entry] = entries_of(member.id)
    assert entries_of(chair.id) == []
    assert (entry.kind, entry.title, entry.status) == (
        ActivityKind.MEETING,
        "Workshop 2",
        EntryStatus.WAITING,
    )
    assert entry.minutes == minutes
    assert entry.rate_amount_pence == 2500
    assert entry.fee_pence == (2500 * minutes + 30) // 60
    assert entry.expenses_pence == 500  # the phone-data extra

    page = client_as("member").get(f"/panels/{cast.panel.id}/involvement").get_data(as_text=True)
    assert "Workshop 2" in page and "Waiting for approval" in page

    # Marked absent after all: the waiting entry goes.
    sheet[f"attendance-{member.id}"] = "absent"
    submit_form(client_as("chair"), url, sheet)
    assert [e.status for e in entries_of(member.id)] == [EntryStatus.REMOVED]


def test_sending_a_review_round_check_makes_one_entry(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    add_rate(cast.panel, ActivityKind.REVIEW_ROUND, PaymentRule.FIXED, 2000)
    db.session.commit()
    draft, version = published_draft(cast)
    review_round = open_round(cast, draft, version)
    client = client_as("member")
    answers = round_url(cast, draft, review_round, "/check/answers")
    assert submit_form(client, answers, {}).status_code == 302
    assert submit_form(client, answers, {}).status_code == 302  # changed and sent again
    [entry] = entries_of(cast.people["member"].id)
    assert (entry.kind, entry.fee_pence, entry.title) == (
        ActivityKind.REVIEW_ROUND,
        2000,
        version.title,
    )


def _simple_questionnaire(cast: Cast, anonymous: bool, title: str) -> int:
    return make_questionnaire(
        cast,
        anonymous=anonymous,
        title=title,
        questions=(QuestionDetails(QuestionType.YES_NO_NOT_SURE, "Could you hear everyone?"),),
    ).id


def test_a_named_questionnaire_makes_an_entry_and_an_anonymous_one_never_does(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    add_rate(cast.panel, ActivityKind.QUESTIONNAIRE, PaymentRule.PER_HOUR, 2500, usual_minutes=30)
    db.session.commit()
    named = _simple_questionnaire(cast, False, "Named feedback")
    anonymous = _simple_questionnaire(cast, True, "Anonymous feedback")
    client = client_as("member")
    for questionnaire_id in (named, anonymous):
        sent = submit_form(client, f"{base(cast, questionnaire_id)}/check", {})
        assert sent.status_code == 302, sent.get_data(as_text=True)
    member_id = cast.people["member"].id
    [entry] = entries_of(member_id)
    assert (entry.title, entry.minutes, entry.fee_pence) == ("Named feedback", 30, 1250)
    # The anonymous one is known only through its completion record, which keeps no time.
    completed = db.session.scalars(select(Completion.questionnaire_id)).all()
    assert sorted(completed) == sorted([named, anonymous])
    keys = [e.source_key for e in db.session.scalars(select(InvolvementEntry))]
    assert not any(f"questionnaire:{anonymous}:" in (key or "") for key in keys)


def test_the_team_adds_corrects_and_removes_entries_with_a_reason(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    add_rate(cast.panel, ActivityKind.EVENT, PaymentRule.PER_HALF_DAY, 7500)
    db.session.commit()
    member = cast.people["member"]
    client = client_as("researcher")
    url = f"/panels/{cast.panel.id}/payments/entries/new"
    tomorrow = london_today() + timedelta(days=1)
    future = submit_form(
        client,
        url,
        {
            "user_id": str(member.id),
            "kind": "event",
            "title": "Talk at a conference",
            "activity_date": f"{tomorrow.day} {tomorrow.month} {tomorrow.year}",
            "hours": "5",
        },
    )
    html = future.get_data(as_text=True)
    assert future.status_code == 200
    assert "The date must be today or in the past" in html
    assert 'value="Talk at a conference"' in html  # what was typed is kept
    added = submit_form(
        client,
        url,
        {
            "user_id": str(member.id),
            "kind": "event",
            "title": "Talk at a conference",
            "activity_date": "14 3 2026",
            "hours": "5",
        },
    )
    assert added.status_code == 302
    [entry] = entries_of(member.id)
    assert (entry.activity_date, entry.minutes, entry.fee_pence) == (date(2026, 3, 14), 300, 15000)

    base_url = f"/panels/{cast.panel.id}/payments/entries/{entry.id}"
    fields = {"title": "Talk at a conference", "activity_date": "14 3 2026", "hours": "3"}
    no_reason = submit_form(client, f"{base_url}/correct", {**fields, "reason": ""})
    assert "Enter why you are correcting it" in no_reason.get_data(as_text=True)
    corrected = submit_form(client, f"{base_url}/correct", {**fields, "reason": "It was a morning"})
    assert corrected.status_code == 302
    assert entries_of(member.id)[0].fee_pence == 7500
    submit_form(client, f"{base_url}/remove", {"reason": "Counted twice"})
    assert entries_of(member.id)[0].status is EntryStatus.REMOVED
    details = db.session.scalars(select(AuditEvent.detail)).all()
    assert f"entry {entry.id}: It was a morning" in details
    assert f"entry {entry.id}: Counted twice" in details
    # Removed entries are gone from the member's page.
    page = client_as("member").get(f"/panels/{cast.panel.id}/involvement")
    assert "Talk at a conference" not in page.get_data(as_text=True)


def test_not_eligible_for_fees_keeps_expenses(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2000, extra_pence=300)
    db.session.commit()
    member = cast.people["member"]
    entry = add_entry(cast.panel, member.id, cast.people["researcher"].id, minutes=60)
    db.session.commit()
    url = f"/panels/{cast.panel.id}/payments/people/{member.id}"
    response = post_from(client_as("researcher"), url, f"{url}/fees", {"not_eligible": "y"})
    assert response.status_code == 302
    [entry] = entries_of(member.id)
    assert (entry.fee_pence, entry.expenses_pence) == (0, 300)
    page = client_as("member").get(f"/panels/{cast.panel.id}/involvement").get_data(as_text=True)
    assert "Expenses are still paid" in page


def test_the_home_page_shows_what_is_new_and_what_is_waiting(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2000)
    add_entry(cast.panel, cast.people["member"].id, cast.people["researcher"].id, title="Reading")
    db.session.commit()
    member = client_as("member").get("/").get_data(as_text=True)
    assert "Choose how you want to be paid" in member and "Reading" in member
    team = client_as("researcher").get("/").get_data(as_text=True)
    assert "1 waiting for approval, 0 approved and not paid, 0 expense claims" in team
    other = client_as("other_panel_member").get("/").get_data(as_text=True)
    assert "Reading" not in other
