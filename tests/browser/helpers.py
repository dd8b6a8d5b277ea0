"""What browser tests share: the accessibility check, signing in, and moving by keyboard."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from portal.extensions import db
from tests.factories import PASSWORD

if TYPE_CHECKING:
    from portal.accounts.models import User
    from tests.browser.conftest import LiveServer

# Every WCAG 2.0, 2.1 and 2.2 rule at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_axe = Axe()


@dataclass
class VisitLog:
    """Pages a test has reached, and how many of them it has checked."""

    urls: list[str] = field(default_factory=list)
    checked: int = 0

    def unchecked(self) -> list[str]:
        return self.urls[self.checked :]


def track_visits(page: Page) -> VisitLog:
    log = VisitLog()

    def navigated(frame: object) -> None:
        if frame is page.main_frame:
            log.urls.append(page.url)

    page.on("framenavigated", navigated)
    page.portal_visits = log  # type: ignore[attr-defined]
    return log


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return list(results.response["violations"])


def _axe_violations_without_javascript(page: Page) -> list[dict[str, Any]]:
    """axe-core needs JavaScript to run, so check a copy of the page as a browser without it
    drew it: the same HTML, scripts removed, at the same address so styles load the same way."""
    html = _SCRIPT.sub("", page.content())
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(viewport=page.viewport_size)
    try:
        mirror = context.new_page()
        mirror.route(
            page.url,
            lambda route: route.fulfill(status=200, content_type="text/html", body=html),
        )
        mirror.route("**/*.js", lambda route: route.abort())
        mirror.goto(page.url)
        mirror.wait_for_load_state("load")
        return _axe_violations(mirror)
    finally:
        context.close()


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; any WCAG A or AA violation fails the test."""
    page.wait_for_load_state("load")
    if getattr(page, "portal_without_javascript", False):
        violations = _axe_violations_without_javascript(page)
    else:
        violations = _axe_violations(page)
    report = "\n".join(
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]
        )
        for violation in violations
    )
    assert violations == [], f"accessibility problems on {page.url}:\n{report}"
    log: VisitLog = page.portal_visits  # type: ignore[attr-defined]
    log.checked = len(log.urls)


def reload() -> None:
    """End the test's transaction, so its next reads see what the browser changed."""
    db.session.commit()
    db.session.expire_all()


def sign_in_as(page: Page, server: LiveServer, user: User, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form and land on the home page."""
    page.goto(server.url("/sign-in"))
    assert_accessible(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(server.url("/"))
    assert_accessible(page)


def focused_text(page: Page) -> str:
    """The visible text (or value, or label) of the element that has keyboard focus."""
    return str(
        page.evaluate(
            """() => {
              const el = document.activeElement;
              // Nothing focused: the body holds every word on the page, so it matches nothing.
              if (!el || el === document.body) return "";
              return (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
            }"""
        )
    )


def tab_to(page: Page, text: str, max_presses: int = 80) -> None:
    """Press Tab until the focused element's text contains ``text``, as a keyboard user would.

    Fails if the element cannot be reached with the keyboard.
    """
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if text in focused_text(page):
            return
    raise AssertionError(f"could not reach {text!r} with the Tab key on {page.url}")
