"""Availability polls: the chair offers times, members answer each one, the chair picks a time
and the meeting is made and announced."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import icalendar
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.meetings.models import (
    AvailabilityPoll,
    Meeting,
    MeetingStatus,
    PollAnswer,
    PollStatus,
)
from tests import ical
from tests.conftest import csrf_token_from, submit_form
from tests.integration.meeting_helpers import (
    answer,
    attachments_to,
    open_poll,
    poll_form,
    slot_ids,
    typed,
)
from tests.outbox import mail_to
from tests.roles import Cast

Clients = Callable[[str], FlaskClient]


class _Groups(HTMLParser):
    """Each fieldset's legend and its radio buttons (name, value, checked, label text)."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[dict[str, Any]] = []
        self._in: str | None = None
        self._labels: dict[str, str] = {}
        self._label_for: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "fieldset":
            self.groups.append({"legend": "", "radios": []})
        elif tag == "legend":
            self._in = "legend"
        elif tag == "input" and found.get("type") == "radio" and self.groups:
            self.groups[-1]["radios"].append(
                {
                    "id": found["id"],
                    "name": found["name"],
                    "value": found["value"],
                    "checked": "checked" in found,
                }
            )
        elif tag == "label":
            self._label_for = found.get("for")
            self._labels[self._label_for or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "legend":
            self._in = None
        elif tag == "label":
            self._label_for = None

    def handle_data(self, data: str) -> None:
        if self._in == "legend":
            self.groups[-1]["legend"] += data.strip()
        if self._label_for is not None:
            self._labels[self._label_for] += data.strip()

    def result(self) -> list[dict[str, Any]]:
        for group in self.groups:
            for radio in group["radios"]:
                radio["label"] = self._labels.get(radio["id"], "")
        return self.groups


def radio_groups(html: str) -> list[dict[str, Any]]:
    parser = _Groups()
    parser.feed(html)
    return parser.result()


def test_each_time_is_its_own_labelled_group_of_answers(cast: Cast, client_as: Clients) -> None:
    poll = open_poll(client_as("chair"), cast.panel.id)
    page = (
        client_as("member").get(f"/panels/{cast.panel.id}/polls/{poll.id}").get_data(as_text=True)
    )
    groups = radio_groups(page)
    assert len(groups) == 3
    for group, slot in zip(groups, slot_ids(poll.id), strict=True):
        # The legend names the time, so a screen reader says which time each answer is for.
        assert re.fullmatch(r"\w+day \d+ \w+ \d{4}, 6pm to 7:30pm", group["legend"])
        assert [(r["name"], r["label"]) for r in group["radios"]] == [
            (f"slot-{slot}", "Yes"),
            (f"slot-{slot}", "If need be"),
            (f"slot-{slot}", "No"),
        ]
    assert len({group["legend"] for group in groups}) == 3


def test_a_member_answers_every_time_and_can_change_their_answers(
    cast: Cast, client_as: Clients
) -> None:
    poll = open_poll(client_as("chair"), cast.panel.id)
    first, second, third = slot_ids(poll.id)
    member = client_as("member")
    response = answer(
        member,
        cast.panel.id,
        poll.id,
        {first: "yes", second: "if_need_be", third: "no"},
        {second: "Only after 6:30"},
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = member.get(f"/panels/{cast.panel.id}/polls/{poll.id}").get_data(as_text=True)
    assert "You have answered" in page
    assert "Only after 6:30" in page

    answer(member, cast.panel.id, poll.id, {first: "no", second: "yes", third: "yes"})
    rows = {row.slot_id: row.availability.value for row in db.session.scalars(select(PollAnswer))}
    assert rows == {first: "no", second: "yes", third: "yes"}

    # Leaving a time out is explained next to that time, and the other choices are kept.
    response = answer(member, cast.panel.id, poll.id, {first: "yes", second: "if_need_be"})
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Say whether you can come at this time" in page
    assert f'href="#slot-{third}"' in page
    checked = [[r["value"] for r in g["radios"] if r["checked"]] for g in radio_groups(page)]
    assert checked == [["yes"], ["if_need_be"], []]
    rows = {row.slot_id: row.availability.value for row in db.session.scalars(select(PollAnswer))}
    assert rows == {first: "no", second: "yes", third: "yes"}


def test_a_crafted_answer_for_another_polls_time_changes_nothing_there(
    cast: Cast, client_as: Clients
) -> None:
    chair = client_as("chair")
    poll = open_poll(chair, cast.panel.id, title="First poll")
    other = open_poll(chair, cast.panel.id, title="Second poll")
    other_slot = slot_ids(other.id)[0]
    member = client_as("member")
    mine = slot_ids(poll.id)
    answer(member, cast.panel.id, poll.id, dict.fromkeys(mine, "yes") | {other_slot: "no"})
    answered = {row.slot_id for row in db.session.scalars(select(PollAnswer))}
    assert answered == set(mine)
    # A slot of this poll under another panel's URL is not found.
    outsider = client_as("other_panel_member")
    assert outsider.get(f"/panels/{cast.other_panel.id}/polls/{poll.id}").status_code == 404
    assert outsider.get(f"/panels/{cast.panel.id}/polls/{poll.id}").status_code == 404


def test_a_closed_poll_keeps_its_answers_and_says_so(cast: Cast, client_as: Clients) -> None:
    poll = open_poll(client_as("chair"), cast.panel.id)
    slots = slot_ids(poll.id)
    member = client_as("member")
    answer(member, cast.panel.id, poll.id, dict.fromkeys(slots, "yes"))
    url = f"/panels/{cast.panel.id}/polls/{poll.id}"
    token = csrf_token_from(member.get(url).get_data(as_text=True))
    db.session.get(AvailabilityPoll, poll.id).closes_at = utcnow() - timedelta(minutes=1)  # type: ignore[union-attr]
    db.session.commit()
    response = member.post(
        url, data={"csrf_token": token} | {f"slot-{slot}": "no" for slot in slots}
    )
    assert response.status_code == 409
    assert "This poll has closed" in response.get_data(as_text=True)
    assert {row.availability.value for row in db.session.scalars(select(PollAnswer))} == {"yes"}
    assert "You cannot change answers any more" in member.get(url).get_data(as_text=True)


def test_bad_polls_are_explained_and_keep_what_was_typed(cast: Cast, client_as: Clients) -> None:
    chair = client_as("chair")
    url = f"/panels/{cast.panel.id}/polls/new"
    past = typed(utcnow().date() - timedelta(days=2))
    cases = {
        "Offer at least 2 times": poll_form(times=1),
        "Offer no more than 12 times": poll_form(times=13),
        "The end time must be after the start time": poll_form() | {"slots-1-end": "5pm"},
        "Times must be in the future": poll_form() | {"slots-0-day": past},
        "Enter a real closing date": poll_form() | {"closes_on": "soon"},
        "The poll must close before the first time you offer": poll_form(closes_in=25),
    }
    for message, form in cases.items():
        response = submit_form(chair, url, form)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, message
        assert "There is a problem" in page, message
        assert message in page, message
        assert "Online, about 90 minutes." in page
    assert db.session.scalars(select(AvailabilityPoll)).all() == []


def test_add_another_time_works_without_javascript(cast: Cast, client_as: Clients) -> None:
    chair = client_as("chair")
    url = f"/panels/{cast.panel.id}/polls/new"
    response = submit_form(chair, url, poll_form(times=3) | {"add_slot": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="slots-3-day"' in page
    assert "Time 4" in page
    assert "Panel meeting 4" in page


def test_chair_sees_counts_picks_a_time_and_everyone_gets_the_invitation(
    cast: Cast, client_as: Clients
) -> None:
    chair = client_as("chair")
    poll = open_poll(chair, cast.panel.id)
    first, second, third = slot_ids(poll.id)
    answer(
        client_as("member"),
        cast.panel.id,
        poll.id,
        {first: "yes", second: "no", third: "if_need_be"},
    )
    answer(
        client_as("researcher"),
        cast.panel.id,
        poll.id,
        {first: "yes", second: "if_need_be", third: "no"},
    )
    results = chair.get(f"/panels/{cast.panel.id}/polls/{poll.id}/results").get_data(as_text=True)
    rows = re.findall(
        r'<tr class="nhsuk-table__row">\s*<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', results, re.S
    )
    counts = [re.findall(r'<td class="nhsuk-table__cell">(\d+)</td>', cells) for _, cells in rows]
    assert counts == [["2", "0", "0"], ["0", "1", "1"], ["0", "1", "1"]]
    assert "2 people have answered" in results
    assert "1 person has not answered yet" in results
    assert (
        client_as("member").get(f"/panels/{cast.panel.id}/polls/{poll.id}/results").status_code
        == 403
    )

    choose = f"/panels/{cast.panel.id}/polls/{poll.id}/slots/{first}/choose"
    bad = submit_form(chair, choose, {"joining_link": "javascript:alert(1)", "venue": "Room 2"})
    assert bad.status_code == 200
    assert "Room 2" in bad.get_data(as_text=True)
    response = submit_form(chair, choose, {"joining_link": "https://meet.example.org/p4"})
    assert response.status_code == 302
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.status is MeetingStatus.PUBLISHED
    assert meeting.title == "Panel meeting 4"
    assert db.session.get(AvailabilityPoll, poll.id).status is PollStatus.DECIDED  # type: ignore[union-attr]
    for role in ("member", "chair", "researcher"):
        (message,) = attachments_to(cast.people[role].email)
        body = message.attachment_body or ""
        (event,) = ical.parse(body).events()
        assert event.get("UID") == meeting.calendar_uid
        assert icalendar.Calendar.from_ical(body)["METHOD"] == "REQUEST"
    # Choosing again does not make a second meeting.
    submit_form(chair, f"/panels/{cast.panel.id}/polls/{poll.id}/results", {})
    assert chair.get(choose).status_code == 302
    assert len(db.session.scalars(select(Meeting)).all()) == 1


def test_reminding_people_who_have_not_answered(cast: Cast, client_as: Clients) -> None:
    chair = client_as("chair")
    poll = open_poll(chair, cast.panel.id)
    answer(client_as("member"), cast.panel.id, poll.id, dict.fromkeys(slot_ids(poll.id), "yes"))
    url = f"/panels/{cast.panel.id}/polls/{poll.id}/remind"
    page = chair.get(url).get_data(as_text=True)
    assert "The chair" in page and "A researcher" in page and "A member" not in page
    assert submit_form(chair, url, {}).status_code == 302
    assert mail_to(cast.people["member"].email) == []
    (reminder,) = mail_to(cast.people["researcher"].email)
    assert "Tell us when you can come" in reminder.subject
    assert f"/panels/{cast.panel.id}/polls/{poll.id}" in reminder.text_body
    # A second press the same day sends nothing more.
    submit_form(chair, url, {})
    assert len(mail_to(cast.people["researcher"].email)) == 1


def test_each_note_box_says_which_time_it_is_for(cast: Cast, client_as: Clients) -> None:
    poll = open_poll(client_as("chair"), cast.panel.id)
    page = (
        client_as("member").get(f"/panels/{cast.panel.id}/polls/{poll.id}").get_data(as_text=True)
    )
    for slot in slot_ids(poll.id):
        label = re.search(rf'<label[^>]*for="note-{slot}"[^>]*>(.*?)</label>', page, re.S)
        assert label, page
        text = re.sub(r"<[^>]+>", "", label.group(1)).split()
        assert " ".join(text).startswith("Note about this time (optional): ")
        assert "6pm to 7:30pm" in " ".join(text)
