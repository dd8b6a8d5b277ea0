"""Right-to-left pages on a phone: a member who reads Urdu visits the main member pages at 375
pixels wide. Each page must say it is Urdu written right to left, fit the screen, cut off no
text, draw no text over other text, and point its back link the way an Urdu reader goes back.
A full-page screenshot of each is saved under test-results/screenshots/ur/ for a person to look
at. Bengali and Punjabi, whose letters stand taller, are checked for the same fit.

Every page is checked by axe-core and the HTML checker as well (``assert_accessible``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from playwright.sync_api import Page

from portal.db import utcnow
from portal.extensions import db
from portal.languages import COOKIE
from portal.questionnaires.models import QuestionType
from portal.questionnaires.service import (
    QuestionDetails,
    QuestionnaireDetails,
    create_questionnaire,
)
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, sign_in_as
from tests.roles import Cast
from tests.world import World, build_world

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

# The member pages, by the name their screenshot is saved under: (endpoint, its arguments
# beyond those the world holds).
MEMBER_PAGES: dict[str, tuple[str, dict[str, Any]]] = {
    "home": ("core.home", {}),
    "draft": ("drafts.show_version", {}),
    "omission-check-start": ("rounds.start_check", {}),
    "omission-check-question": ("rounds.answer_item", {}),
    "meeting": ("meetings.show_meeting", {}),
    "questionnaire-question": ("questionnaires.answer_page", {"number": 1}),
    "questionnaire-check": ("questionnaires.check_answers", {}),
    "my-feedback": ("feedback.my_feedback", {}),
    "account": ("accounts.account", {}),
    "my-involvement": ("involvement.my_involvement", {}),
    "support": ("core.support", {}),
}

# What the page looks like, measured in the browser: the document's direction, any sideways
# scroll, text cut off by a box that hides what overflows it, and text drawn over other text.
MEASURE = """() => {
  const html = document.documentElement;
  const visuallyHidden = (el) => !!el.closest(".nhsuk-u-visually-hidden, [hidden]");
  const shown = (el) => {
    if (visuallyHidden(el)) return false;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible" || Number(style.opacity) === 0) return false;
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1;
  };
  const describe = (el) => {
    const name = el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    return name + " «" + (el.innerText || el.textContent || "").trim().slice(0, 40) + "»";
  };

  const cutOff = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    const hides = (value) => value === "hidden" || value === "clip";
    if (!hides(style.overflowX) && !hides(style.overflowY)) continue;
    if (!shown(el) || !(el.innerText || "").trim()) continue;
    if (hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      cutOff.push(`${describe(el)}: ${el.scrollWidth} wide in ${el.clientWidth}`);
    }
    if (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1) {
      cutOff.push(`${describe(el)}: ${el.scrollHeight} high in ${el.clientHeight}`);
    }
  }

  // Each line of each piece of visible text, as the boxes its letters are drawn in.
  const lines = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const el = node.parentElement;
    if (!el || ["SCRIPT", "STYLE", "OPTION", "TEMPLATE"].includes(el.tagName) || !shown(el)) {
      continue;
    }
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (box.width > 1 && box.height > 1) lines.push({ el, box });
    }
  }
  const overlaps = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const a = lines[i], b = lines[j];
      if (a.el === b.el) continue;
      const wide = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      // A font's box reaches well above and below its letters (Nastaliq's most of all), so
      // lines are compared by the middle half of their height, where the letters are.
      const core = (box) => [box.top + box.height / 4, box.bottom - box.height / 4];
      const [aTop, aBottom] = core(a.box), [bTop, bBottom] = core(b.box);
      const tall = Math.min(aBottom, bBottom) - Math.max(aTop, bTop);
      if (wide > 1 && tall > 1) {
        overlaps.push(`${describe(a.el)} over ${describe(b.el)}`);
      }
    }
  }

  // The back link's chevron: where it is drawn (left or right of the words) and which way it
  // turns (the arrow points right when its rotation is between -90 and 90 degrees).
  let backLink = null;
  const link = document.querySelector(".nhsuk-back-link");
  if (link && shown(link)) {
    const chevron = getComputedStyle(link, "::before");
    const box = link.getBoundingClientRect();
    const width = parseFloat(chevron.width);
    const centre = chevron.left !== "auto" && chevron.right === "auto"
      ? box.left + parseFloat(chevron.left) + width / 2
      : box.right - parseFloat(chevron.right) - width / 2;
    const range = document.createRange();
    range.selectNodeContents(link);
    const words = range.getBoundingClientRect();
    const matrix = new DOMMatrix(chevron.transform);
    const turn = Math.atan2(matrix.b, matrix.a) * 180 / Math.PI;
    backLink = {
      chevronRightOfWords: centre > words.right - 1,
      pointsRight: Math.abs(turn) < 90,
      turn,
    };
  }

  // What sticks out of the screen, for the message when the page scrolls sideways. A table in
  // a region that scrolls sideways sticks out as it should, unless something in it is placed
  // outside the region (as an absolutely positioned element can be).
  const stickingOut = [...document.body.querySelectorAll("*")]
    .filter((el) => {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || (box.left >= -1 && box.right <= window.innerWidth + 1)) return false;
      const scrolls = el.parentElement && el.parentElement.closest(".portal-table-scroll");
      return !scrolls || ["absolute", "fixed"].includes(getComputedStyle(el).position);
    })
    .slice(0, 5)
    .map((el) => {
      const box = el.getBoundingClientRect();
      return `${describe(el)} from ${Math.round(box.left)} to ${Math.round(box.right)}`;
    });

  return {
    lang: html.getAttribute("lang"),
    dir: html.getAttribute("dir"),
    scrollWidth: html.scrollWidth,
    stickingOut,
    innerWidth: window.innerWidth,
    cutOff,
    overlaps: [...new Set(overlaps)],
    backLink,
  };
}"""


@pytest.fixture
def world(cast: Cast) -> World:
    built = build_world(cast)
    # A questionnaire the member has still to answer (the world's one they have sent).
    questionnaire = create_questionnaire(
        cast.panel.id,
        QuestionnaireDetails(
            title="Questionnaire still to answer",
            opens_at=utcnow() - timedelta(days=1),
            closes_at=utcnow() + timedelta(days=7),
        ),
        cast.people["researcher"].id,
        (
            QuestionDetails(QuestionType.AGREE_SCALE, "How clear was the meeting?", required=True),
            QuestionDetails(QuestionType.LONG_TEXT, "What would you change?"),
        ),
    )
    db.session.commit()
    built.values["open_questionnaire_id"] = questionnaire.id
    return built


def page_url(app: Flask, server: LiveServer, world: World, name: str) -> str:
    endpoint, extra = MEMBER_PAGES[name]
    values = dict(world.values) | extra
    if endpoint.startswith("questionnaires."):
        values["questionnaire_id"] = world.values["open_questionnaire_id"]
    with app.test_request_context():
        rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
        arguments = {key: values[key] for key in rule.arguments}
        return server.url(url_for(endpoint, **arguments))


def measure(page: Page) -> dict[str, Any]:
    return dict(page.evaluate(MEASURE))


def assert_fits(page: Page, found: dict[str, Any]) -> None:
    """No sideways scroll, no text cut off, no text drawn over other text."""
    assert found["scrollWidth"] <= found["innerWidth"], (
        f"{page.url} scrolls sideways: {found['scrollWidth']} px wide "
        f"on a {found['innerWidth']} px screen:\n" + "\n".join(found["stickingOut"])
    )
    assert found["cutOff"] == [], f"text cut off on {page.url}:\n" + "\n".join(found["cutOff"])
    assert found["overlaps"] == [], f"text overlaps on {page.url}:\n" + "\n".join(found["overlaps"])


def save_screenshot(page: Page, language: str, name: str) -> None:
    folder = SCREENSHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def visit(page: Page, url: str) -> dict[str, Any]:
    page.goto(url)
    assert_accessible(page)
    return measure(page)


def test_member_pages_in_urdu_read_right_to_left_and_fit_a_phone(
    app: Flask, phone_page: Page, live_server: LiveServer, world: World
) -> None:
    member = world.cast.people["member"]
    member.language = "ur"
    db.session.commit()
    sign_in_as(phone_page, live_server, member)
    back_links = 0
    for name in MEMBER_PAGES:
        found = visit(phone_page, page_url(app, live_server, world, name))
        save_screenshot(phone_page, "ur", name)
        assert (found["lang"], found["dir"]) == ("ur", "rtl"), phone_page.url
        assert_fits(phone_page, found)
        assert "<span" not in phone_page.inner_text("main"), "markup shown as text"
        if found["backLink"] is not None:
            back_links += 1
            assert found["backLink"]["chevronRightOfWords"], (
                f"the back link's chevron is not on the right of its words on {phone_page.url}"
            )
            assert found["backLink"]["pointsRight"], (
                f"the back link's chevron points left on {phone_page.url}: {found['backLink']}"
            )
    assert back_links >= 3, "too few of these pages have a back link to check it"


def test_the_sign_in_page_in_urdu_reads_right_to_left_and_fits_a_phone(
    phone_page: Page, live_server: LiveServer
) -> None:
    phone_page.context.add_cookies([{"name": COOKIE, "value": "ur", "url": live_server.url()}])
    found = visit(phone_page, live_server.url("/sign-in"))
    save_screenshot(phone_page, "ur", "sign-in")
    assert (found["lang"], found["dir"]) == ("ur", "rtl")
    assert_fits(phone_page, found)


@pytest.mark.parametrize("language", ["bn", "pa"])
def test_member_pages_in_taller_scripts_fit_a_phone(
    app: Flask, phone_page: Page, live_server: LiveServer, world: World, language: str
) -> None:
    member = world.cast.people["member"]
    member.language = language
    db.session.commit()
    sign_in_as(phone_page, live_server, member)
    for name in MEMBER_PAGES:
        found = visit(phone_page, page_url(app, live_server, world, name))
        save_screenshot(phone_page, language, name)
        assert (found["lang"], found["dir"]) == (language, "ltr"), phone_page.url
        assert_fits(phone_page, found)
    phone_page.context.clear_cookies()
    phone_page.context.add_cookies([{"name": COOKIE, "value": language, "url": live_server.url()}])
    found = visit(phone_page, live_server.url("/sign-in"))
    assert found["lang"] == language
    assert_fits(phone_page, found)
