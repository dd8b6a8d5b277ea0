"""Browser tests: the portal served on a free loopback port, driven in Debian's Chromium.

The server runs in a thread of the test process, on the same database as the test, so data a
test makes with the factories is what the browser sees. The test's own reads never hold
SQLite's write lock, so the server is never kept waiting; to read what the browser changed, call
``tests.browser.helpers.reload()`` first. Chromium is the system's own browser,
never one a tool downloads; when it is missing these tests fail with a message, they never skip.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from portal.accounts.models import User
from portal.db import sqlite_deferred_begin
from portal.extensions import db
from tests.browser.helpers import VisitLog, assert_no_browser_problems, track_visits
from tests.browser.html_checker import HtmlChecker, start_html_checker
from tests.language import require_compiled, speaking

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's Chromium (or PORTAL_TEST_CHROMIUM). Missing is a failure, never a skip."""
    path = os.environ.get("PORTAL_TEST_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "Chromium is not installed. Install Debian's package (apt-get install chromium) "
            "or set PORTAL_TEST_CHROMIUM to its path.",
            pytrace=False,
        )
    return path


@dataclass(frozen=True)
class LiveServer:
    base_url: str

    def url(self, path: str = "/") -> str:
        return self.base_url + path


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The portal, served on a free port on 127.0.0.1 for the whole test run."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _test_thread_reads_without_locking() -> Iterator[None]:
    token = sqlite_deferred_begin.set(True)
    yield
    db.session.rollback()
    sqlite_deferred_begin.reset(token)


@dataclass(frozen=True)
class Language:
    """The language a member-flow test runs in; ``tr`` answers in it for the whole test."""

    code: str

    def of(self, *members: User) -> None:
        """These members chose this language (before they sign in)."""
        for member in members:
            member.language = self.code
        db.session.commit()


# The languages every member flow is tested in: English, and Urdu (written right to left).
MEMBER_FLOW_LANGUAGES = ["en", "ur"]


@pytest.fixture(params=MEMBER_FLOW_LANGUAGES, ids=MEMBER_FLOW_LANGUAGES)
def language(request: pytest.FixtureRequest) -> Iterator[Language]:
    """Runs a member-flow test once in each language; ``language.of(member)`` makes it theirs."""
    code: str = request.param
    require_compiled(code)
    with speaking(code):
        yield Language(code)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def html_checker() -> Iterator[HtmlChecker]:
    """The Nu HTML Checker, started once and ready before the first test begins: Java's start
    takes the machine's whole attention for a while, and would make a running test time out."""
    checker = start_html_checker()
    checker.wait_until_ready()
    yield checker
    checker.stop()


def _page(context: BrowserContext, checker: HtmlChecker) -> Iterator[Page]:
    context.set_default_timeout(10_000)
    page = context.new_page()
    log: VisitLog = track_visits(page)
    page.portal_html_checker = checker  # type: ignore[attr-defined]
    yield page
    unchecked = log.unchecked()
    try:
        assert_no_browser_problems(page)
    finally:
        context.close()
    assert unchecked == [], (
        "the test reached pages it never checked with assert_accessible: " + ", ".join(unchecked)
    )


@pytest.fixture
def page(browser: Browser, html_checker: HtmlChecker) -> Iterator[Page]:
    """A desktop-sized page (1280 × 900)."""
    yield from _page(browser.new_context(viewport={"width": 1280, "height": 900}), html_checker)


@pytest.fixture
def phone_page(browser: Browser, html_checker: HtmlChecker) -> Iterator[Page]:
    """A page on a phone-sized screen, 375 pixels wide, with touch."""
    yield from _page(
        browser.new_context(
            viewport={"width": 375, "height": 740}, device_scale_factor=2, has_touch=True
        ),
        html_checker,
    )


@pytest.fixture
def no_js_page(browser: Browser, html_checker: HtmlChecker) -> Iterator[Page]:
    """A page with JavaScript turned off: every flow must still work."""
    for page in _page(
        browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False),
        html_checker,
    ):
        page.portal_without_javascript = True  # type: ignore[attr-defined]
        yield page
