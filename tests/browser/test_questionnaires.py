"""Questionnaires in a real browser: a researcher builds one from the meeting-feedback template;
two members answer one like it (one with the keyboard alone, one on a phone), and the results
show."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Role
from portal.questionnaires.models import Question, Questionnaire, QuestionType
from portal.questionnaires.service import (
    QuestionDetails,
    create_questionnaire,
    question_details,
)
from portal.questionnaires.starters import MEETING_FEEDBACK, MEETING_FEEDBACK_QUESTIONS
from portal.templating import LONDON
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as, tab_to
from tests.factories import add_to_panel, make_panel, make_user
from tests.language import speaking, tr

pytestmark = pytest.mark.browser

TITLE = "Feedback on the June panel meeting"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=tr("Sign out")).click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def tab_to_field(page: Page, name: str, max_presses: int = 60) -> None:
    """Press Tab until the field called ``name`` has keyboard focus."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.name") == name:
            return
    raise AssertionError(f"could not reach the field {name!r} with the Tab key")


def build_from_template(page: Page, server: LiveServer, researcher: object) -> int:
    sign_in_as(page, server, researcher)  # type: ignore[arg-type]
    page.get_by_role("link", name="Questionnaires").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Make a new questionnaire").click()
    assert_accessible(page)
    page.get_by_label("Meeting feedback").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire details")
    assert_accessible(page)
    today = utcnow().astimezone(LONDON).date()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Opening date (optional)").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Closing date (optional)").fill((today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)
    expect(page.get_by_text("Open now.")).to_be_visible()

    page.get_by_role("button", name="Add a question").click()
    assert_accessible(page)
    page.get_by_label("Choose and order your top few from a list").check()
    page.get_by_label("Question, or section heading").fill("Which topics should we cover next?")
    page.get_by_label("Answers to choose from, one on each line").fill(
        "Recruitment\nPaying people\nTraining"
    )
    page.get_by_label("How many to choose and order").fill("2")
    page.get_by_role("button", name="Save question").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Which topics should we cover next?")).to_be_visible()

    page.get_by_role("link", name="Preview it as a member sees it").click()
    expect(page.get_by_text("This is a preview")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Next page").click()
    assert_accessible(page)
    page.get_by_role("button", name="Back to the questionnaire").click()
    assert_accessible(page)
    sign_out(page)
    reload()
    return db.session.scalars(select(Questionnaire.id)).one()


RANKING = QuestionDetails(
    QuestionType.RANKING,
    "Which topics should we cover next?",
    options=("Recruitment", "Paying people", "Training"),
    top_n=2,
)


def test_a_researcher_builds_a_questionnaire_from_the_template(
    page: Page, live_server: LiveServer
) -> None:
    panel = make_panel("Study panel")
    researcher = make_user(name="Rhea Researcher")
    add_to_panel(panel, researcher, Role.RESEARCHER)
    questionnaire_id = build_from_template(page, live_server, researcher)
    reload()
    built = db.session.scalars(
        select(Question)
        .where(Question.questionnaire_id == questionnaire_id)
        .order_by(Question.position)
    )
    assert [question_details(question) for question in built] == [
        *MEETING_FEEDBACK_QUESTIONS,
        RANKING,
    ]


def open_like_the_built_one(panel_id: int, researcher_id: int) -> int:
    """The questionnaire the researcher builds in the test above, made directly."""
    today = utcnow().astimezone(LONDON).replace(hour=0, minute=0, second=0, microsecond=0)
    details = replace(
        MEETING_FEEDBACK,
        title=TITLE,
        opens_at=today - timedelta(days=1),
        closes_at=today + timedelta(days=8),
    )
    questionnaire = create_questionnaire(
        panel_id, details, researcher_id, (*MEETING_FEEDBACK_QUESTIONS, RANKING)
    )
    db.session.commit()
    return questionnaire.id


def ids_by_text(questionnaire_id: int) -> dict[str, int]:
    return {
        q.text: q.id
        for q in db.session.scalars(
            select(Question).where(Question.questionnaire_id == questionnaire_id)
        )
    }


def test_members_answer_by_keyboard_and_phone_and_the_results_show(
    page: Page, phone_page: Page, live_server: LiveServer, language: Language
) -> None:
    panel = make_panel("Study panel")
    researcher = make_user(name="Rhea Researcher")
    keyboard_member = make_user(name="Kofi Member")
    phone_member = make_user(name="Priya Member")
    add_to_panel(panel, researcher, Role.RESEARCHER)
    add_to_panel(panel, keyboard_member, Role.MEMBER)
    add_to_panel(panel, phone_member, Role.MEMBER)
    language.of(keyboard_member, phone_member)

    questionnaire_id = open_like_the_built_one(panel.id, researcher.id)
    ids = ids_by_text(questionnaire_id)

    # A member who uses only the keyboard finds it on their home page.
    sign_in_as(page, live_server, keyboard_member)
    tab_to(page, TITLE)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("About the meeting")
    assert_accessible(page)
    for text, steps in (
        ("The meeting was accessible for me", 3),
        ("I felt listened to", 4),
    ):
        tab_to_field(page, f"q-{ids[text]}")
        page.keyboard.press("Space")
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
    tab_to(page, tr("Save and continue"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ideas")
    assert_accessible(page)
    tab_to_field(page, f"q-{ids['What should we change for the next meeting?']}")
    page.keyboard.type("Shorter breaks between items")
    tab_to(page, tr("Save and check your answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Check your answers"))
    assert_accessible(page)
    expect(page.get_by_text("Shorter breaks between items")).to_be_visible()
    tab_to(page, tr("Send my answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(tr("Your answers have been sent"))
    assert_accessible(page)
    sign_out(page)

    # A member on a phone, tapping; they skip the optional questions.
    sign_in_as(phone_page, live_server, phone_member)
    phone_page.get_by_role("link", name=TITLE).click()
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name=tr("Save and continue")).click()
    expect(phone_page.get_by_role("heading", name=tr("There is a problem"))).to_be_visible()
    assert_accessible(phone_page)
    for text, answer in (
        ("The meeting was accessible for me", tr("Agree")),
        ("I felt listened to", tr("Strongly agree")),
    ):
        phone_page.get_by_role("group", name=text).get_by_label(answer, exact=True).check()
    phone_page.get_by_role("button", name=tr("Save and continue")).click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Your ideas")
    assert_accessible(phone_page)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width} pixels wide on a 375-pixel screen"
    phone_page.get_by_role("button", name=tr("Save and check your answers")).click()
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name=tr("Send my answers")).click()
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text(
        tr("Your answers have been sent")
    )
    assert_accessible(phone_page)

    # The researcher sees that two anonymous answers are held back until it closes.
    with speaking(researcher.language):
        see_the_results(page, live_server, researcher, panel.id, questionnaire_id)


def see_the_results(
    page: Page, live_server: LiveServer, researcher: User, panel_id: int, questionnaire_id: int
) -> None:
    sign_in_as(page, live_server, researcher)
    results_url = live_server.url(f"/panels/{panel_id}/questionnaires/{questionnaire_id}/results")
    page.goto(results_url)
    assert_accessible(page)
    expect(page.get_by_text("2 people have sent answers.")).to_be_visible()
    expect(page.get_by_text("the answers show when it closes")).to_be_visible()

    reload()
    questionnaire = db.session.get(Questionnaire, questionnaire_id)
    assert questionnaire is not None
    questionnaire.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page.goto(results_url)
    assert_accessible(page)
    chart = page.get_by_role("img", name="Chart of the answers to: I felt listened to")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Answers to: I felt listened to")
    expect(table.get_by_role("row", name="Strongly agree 2 100%")).to_be_visible()
    expect(page.get_by_text("Shorter breaks between items")).to_be_visible()
    page.get_by_role("link", name="Show the raw ranks for ranking questions").click()
    assert_accessible(page)
    expect(page.get_by_role("columnheader", name="Put in place 2")).to_be_visible()

    # With more written answers than a page holds, each text question pages on its own.
    from portal.questionnaires.models import Answer, Submission

    ids = ids_by_text(questionnaire_id)
    for number in range(22):
        submission = Submission(
            id=f"{number:032x}", questionnaire_id=questionnaire_id, is_final=True
        )
        db.session.add(submission)
        for text in (
            "What should we change for the next meeting?",
            "Is there anything else you want to tell us?",
        ):
            db.session.add(
                Answer(submission_id=submission.id, question_id=ids[text], text=f"Idea {number}")
            )
    db.session.commit()
    page.goto(results_url)
    assert_accessible(page)
    expect(page.get_by_text("Showing 1 to 20 of 23")).to_be_visible()
    expect(page.get_by_text("Showing 1 to 20 of 22")).to_be_visible()
    changes = page.get_by_role("navigation", name="What should we change for the next meeting?")
    changes.get_by_role("link", name="Page 2 of 2").click()
    assert_accessible(page)
    expect(page.get_by_text("Showing 21 to 23 of 23")).to_be_visible()
    expect(page.get_by_text("Showing 1 to 20 of 22")).to_be_visible()


def test_a_priority_vote_works_without_javascript(
    no_js_page: Page, live_server: LiveServer, language: Language
) -> None:
    from portal.questionnaires.service import QuestionnaireDetails, create_questionnaire
    from portal.questionnaires.starters import PRIORITY_VOTE, PRIORITY_VOTE_QUESTIONS

    panel = make_panel("Study panel")
    researcher = make_user(name="Rhea Researcher")
    member = make_user(name="Nadia Member")
    add_to_panel(panel, researcher, Role.RESEARCHER)
    add_to_panel(panel, member, Role.MEMBER)
    create_questionnaire(
        panel.id,
        QuestionnaireDetails(
            **{
                **PRIORITY_VOTE.__dict__,
                "opens_at": utcnow() - timedelta(hours=1),
                "closes_at": utcnow() + timedelta(days=3),
            }
        ),
        researcher.id,
        PRIORITY_VOTE_QUESTIONS,
    )
    language.of(member)
    page = no_js_page
    sign_in_as(page, live_server, member)
    page.get_by_role("link", name="Priority vote").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priority vote")
    assert_accessible(page)
    options = PRIORITY_VOTE_QUESTIONS[0].options
    page.get_by_label(tr("Place %(place)d", place=1)).select_option(options[7])
    page.get_by_label(tr("Place %(place)d", place=2)).select_option(options[7])
    page.get_by_role("button", name=tr("Save and continue")).click()
    repeated = tr("You chose %(item)s more than once. Choose each item only once.", item=options[7])
    expect(page.get_by_role("link", name=repeated)).to_be_visible()
    assert_accessible(page)
    for place, option in enumerate((options[7], options[0], options[3], options[1], options[2]), 1):
        page.get_by_label(tr("Place %(place)d", place=place), exact=False).select_option(option)
    page.get_by_role("button", name=tr("Save and continue")).click()
    assert_accessible(page)
    page.get_by_role("button", name=tr("Save and check your answers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Check your answers"))
    assert_accessible(page)
    expect(page.get_by_text(f"1. {options[7]}")).to_be_visible()
    page.get_by_role("button", name=tr("Send my answers")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(tr("Your answers have been sent"))
    assert_accessible(page)
