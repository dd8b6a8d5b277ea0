"""What browser tests share: the page checks (axe-core, the Nu HTML Checker, the console, the
page's language), signing in, and moving by keyboard."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Error, Page, Request, Response

from portal.extensions import db
from portal.languages import COOKIE, ENGLISH, direction
from tests.factories import PASSWORD
from tests.language import speaking, tr

if TYPE_CHECKING:
    from portal.accounts.models import User
    from tests.browser.conftest import LiveServer
    from tests.browser.html_checker import HtmlChecker

# Every WCAG 2.0, 2.1 and 2.2 rule at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_axe = Axe()


@dataclass
class VisitLog:
    """Pages a test has reached, how many it has checked, and what went wrong in the browser."""

    urls: list[str] = field(default_factory=list)
    checked: int = 0
    # The response that brought the page now shown: the HTML the checker reads.
    document: Response | None = None
    # Console errors, script errors and refused requests not yet reported.
    problems: list[str] = field(default_factory=list)
    # Pages a test opened on purpose that answered with an error status (a 404 page, say):
    # the browser logs the status, but the page itself is what the test meant to see.
    error_pages: set[str] = field(default_factory=set)

    def unchecked(self) -> list[str]:
        return self.urls[self.checked :]

    def take_problems(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def track_visits(page: Page) -> VisitLog:
    log = VisitLog()

    def navigated(frame: object) -> None:
        if frame is page.main_frame:
            log.urls.append(page.url)

    def responded(response: Response) -> None:
        if response.frame is page.main_frame and response.request.is_navigation_request():
            log.document = response
            if response.status >= 400:
                log.error_pages.add(response.url)

    def console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and source in log.error_pages:
            return
        log.problems.append(f"console error on {page.url}: {message.text} ({source})")

    def script_error(error: Error) -> None:
        log.problems.append(f"script error on {page.url}: {error.message}")

    def request_failed(request: Request) -> None:
        failure = request.failure or ""
        # A download, or a page left before it finished loading, is aborted: nothing is wrong.
        if "ERR_ABORTED" not in failure:
            log.problems.append(f"request refused on {page.url}: {request.url} ({failure})")

    page.on("framenavigated", navigated)
    page.on("response", responded)
    page.on("console", console)
    page.on("pageerror", script_error)
    page.on("requestfailed", request_failed)
    page.portal_visits = log  # type: ignore[attr-defined]
    return log


def assert_no_browser_problems(page: Page) -> None:
    """No console error, script error or refused request since the last look."""
    log: VisitLog = page.portal_visits  # type: ignore[attr-defined]
    problems = log.take_problems()
    assert problems == [], "the browser reported problems:\n" + "\n".join(problems)


def _served_html(page: Page, log: VisitLog) -> str:
    """The HTML the server sent for the page now shown (what a checker given its address
    would read), or the page as it stands when it was not loaded from the server."""
    if log.document is not None and log.document.url == page.url:
        try:
            return log.document.text()
        except Error:
            pass  # the browser no longer holds the body (a page drawn by a route in a test)
    return page.content()


def assert_valid_html(page: Page) -> None:
    """The Nu HTML Checker finds no error in the page (warnings are not failures)."""
    from tests.browser.html_checker import describe

    checker: HtmlChecker = page.portal_html_checker  # type: ignore[attr-defined]
    log: VisitLog = page.portal_visits  # type: ignore[attr-defined]
    html = _served_html(page, log)
    errors = checker.errors(html)
    assert errors == [], f"invalid HTML on {page.url}:\n{describe(errors, html)}"


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
    """Check the page as it is now: any WCAG A or AA violation found by axe-core, any error the
    Nu HTML Checker finds, or any console error, script error or refused request fails the test."""
    page.wait_for_load_state("load")
    assert_no_browser_problems(page)
    assert_valid_html(page)
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
    assert_no_browser_problems(page)
    assert_page_language(page)
    log: VisitLog = page.portal_visits  # type: ignore[attr-defined]
    log.checked = len(log.urls)


def assert_page_language(page: Page) -> None:
    """The page is in the language its reader chose (``<html lang dir>``), once a test has said
    which: signing in as someone says theirs, ``browse_in`` says an anonymous browser's."""
    code = getattr(page, "portal_language", None)
    if code is None:
        return
    shown = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    assert shown == [code, direction(code)], (
        f'{page.url} is in {shown}, not <html lang="{code}" dir="{direction(code)}">'
    )


def browse_in(page: Page, server: LiveServer, code: str) -> None:
    """Make this browser choose ``code``, as the language menu does (``""``: no choice), and
    check every page from now on is in it."""
    context = page.context
    context.clear_cookies(name=COOKIE)
    if code:
        context.add_cookies([{"name": COOKIE, "value": code, "url": server.url("/")}])
    page.portal_language = code or ENGLISH  # type: ignore[attr-defined]


def reload() -> None:
    """End the test's transaction, so its next reads see what the browser changed."""
    db.session.commit()
    db.session.expire_all()


def sign_in_as(page: Page, server: LiveServer, user: User, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form, in the person's own language (chosen on the
    sign-in page, as a member would), and land on the home page."""
    browse_in(page, server, user.language)
    with speaking(user.language):
        page.goto(server.url("/sign-in"))
        assert_accessible(page)
        page.get_by_label(tr("Email address")).fill(user.email)
        page.get_by_label(tr("Password"), exact=True).fill(password)
        page.get_by_role("button", name=tr("Sign in"), exact=True).click()
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
