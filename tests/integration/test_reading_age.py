"""Reading age advice on the study team's forms: "Check reading age" shows it and saves nothing;
saving is never stopped by it, however hard the text."""

from __future__ import annotations

import html as html_module
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.drafts.models import Draft
from portal.extensions import db
from portal.meetings.models import AgendaItem, Meeting
from portal.questionnaires.models import Question
from portal.rounds.models import ReviewRound
from tests.conftest import submit_form
from tests.integration.meeting_helpers import add_meeting, meeting_form
from tests.integration.questionnaire_helpers import base, make_questionnaire
from tests.integration.round_helpers import published_draft
from tests.roles import Cast

HARD = (
    "The implementation of comprehensive multidisciplinary interventions necessitates "
    "considerable organisational commitment, particularly regarding the establishment of "
    "sustainable collaborative partnerships between statutory organisations and voluntary "
    "community representatives throughout the region."
)
EASY = (
    "We will meet in the hall on Monday. Bring a friend if you like. "
    "We will have tea and cake. Tell us what you think."
)
CHECK = {"check_reading_age": "y"}


def _new_draft(summary: str) -> dict[str, str]:
    return {
        "lock_version": "0",
        "kind": "priority_actions",
        "title": "Sheffield priority actions",
        "site_id": "",
        "summary": summary,
    }


def _text(response: object) -> str:
    return html_module.unescape(response.get_data(as_text=True))  # type: ignore[attr-defined]


def test_check_reading_age_shows_advice_keeps_the_text_and_saves_nothing(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("researcher")
    url = f"/panels/{cast.panel.id}/drafts/new"
    response = submit_form(client, url, {**_new_draft(HARD), **CHECK})
    page = _text(response)
    assert response.status_code == 200
    assert "Reading age over 18. The NHS aims for 9 to 11." in page
    assert "McAlpine EFLAW score): 34, confusing. Aim for 25 or lower." in page
    # The long words are English whatever the page's language, so they are marked as English.
    assert (
        'Words to reconsider: <span lang="en" dir="ltr">'
        "implementation, comprehensive, multidisciplinary"
    ) in page
    assert "Sentences over 25 words:" in page
    assert "The implementation of comprehensive multidisciplinary interventions …" in page
    # What was typed is still in the form, and nothing is wrong with it: it is advice.
    assert HARD in page and 'value="Sheffield priority actions"' in page
    assert "There is a problem" not in page and "nhsuk-error-message" not in page
    assert "Nothing has been saved yet." in page
    assert db.session.scalars(select(Draft)).first() is None


def test_a_hard_text_still_saves(cast: Cast, client_as: Callable[[str], FlaskClient]) -> None:
    client = client_as("researcher")
    response = submit_form(client, f"/panels/{cast.panel.id}/drafts/new", _new_draft(HARD))
    assert response.status_code == 302
    draft = db.session.scalars(select(Draft)).one()
    assert draft.summary == HARD
    # Shown again with its saved text, the form gives the advice at once.
    page = _text(client.get(f"/panels/{cast.panel.id}/drafts/{draft.id}/edit"))
    assert "Reading age over 18." in page and "Check reading age" in page
    assert "Nothing has been saved yet." not in page


def test_easy_text_meets_the_aim_and_short_text_is_too_short_only_when_asked(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("researcher")
    url = f"/panels/{cast.panel.id}/drafts/new"
    page = _text(submit_form(client, url, {**_new_draft(EASY), **CHECK}))
    assert "Reading age about 5. This meets the NHS aim of 9 to 11." in page
    assert "9, very easy" in page and "Words to reconsider" not in page
    page = _text(submit_form(client, url, {**_new_draft("A short summary."), **CHECK}))
    assert "Too short to judge its reading age." in page
    draft = db.session.scalars(select(Draft)).first()
    assert draft is None
    response = submit_form(client, url, _new_draft("A short summary."))
    assert response.status_code == 302
    edit = f"/panels/{cast.panel.id}/drafts/{db.session.scalars(select(Draft)).one().id}/edit"
    assert "Too short to judge" not in _text(client.get(edit))


def test_round_instructions_are_checked_without_opening_the_round(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft, version = published_draft(cast)
    client = client_as("researcher")
    url = f"/panels/{cast.panel.id}/drafts/{draft.id}/rounds/new"
    response = submit_form(client, url, {"instructions": HARD, "day": "", "time": "", **CHECK})
    page = _text(response)
    assert response.status_code == 200 and "Reading age over 18." in page and HARD in page
    # A missing deadline is not pointed out yet: only saving asks for it.
    assert "There is a problem" not in page
    assert db.session.scalars(select(ReviewRound)).first() is None


@pytest.mark.parametrize("checking", [True, False])
def test_a_question_is_judged_with_its_help_text(
    cast: Cast, client_as: Callable[[str], FlaskClient], checking: bool
) -> None:
    questionnaire = make_questionnaire(cast, opens_in=timedelta(days=3))
    before = len(db.session.scalars(select(Question)).all())
    client = client_as("researcher")
    fields = {
        "kind": "long_text",
        "text": "What should we change about the implementation?",
        "help_text": HARD,
        **(CHECK if checking else {}),
    }
    response = submit_form(client, base(cast, questionnaire) + "/questions/new", fields)
    db.session.expire_all()
    after = len(db.session.scalars(select(Question)).all())
    if checking:
        assert response.status_code == 200 and "Reading age over 18." in _text(response)
        assert after == before
    else:
        assert response.status_code == 302 and after == before + 1


def test_an_agenda_item_description_is_checked(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("chair")
    meeting = add_meeting(client, cast.panel.id)
    url = f"/panels/{cast.panel.id}/meetings/{meeting.id}/agenda/items/new"
    fields = {"title": "Welcome", "description": HARD, "minutes": "10", "lead": ""}
    page = _text(submit_form(client, url, {**fields, **CHECK}))
    assert 'Words to reconsider: <span lang="en" dir="ltr">implementation' in page
    assert HARD in page
    assert db.session.scalars(select(AgendaItem)).first() is None
    assert submit_form(client, url, fields).status_code == 302


def test_a_meetings_accessibility_information_is_checked_without_saving(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("chair")
    url = f"/panels/{cast.panel.id}/meetings/new"
    fields = {**meeting_form(access_info=HARD), "title": ""}
    page = _text(submit_form(client, url, {**fields, **CHECK}))
    assert "Reading age over 18." in page and HARD in page and "Enter a title" not in page
    assert db.session.scalars(select(Meeting)).first() is None
