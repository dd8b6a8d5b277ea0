"""The first visit on a phone with a weak signal: how much a member's first page weighs, and
the checks every visited page gets (they must be able to fail)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from portal.accounts.models import User
from portal.demo import DEMO_PASSWORD, load_demo
from portal.extensions import db
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as

pytestmark = pytest.mark.browser

FIRST_PAGE_BUDGET = 100 * 1024


def test_a_members_first_page_with_all_its_files_is_at_most_100_kb(
    page: Page, live_server: LiveServer, language: Language
) -> None:
    load_demo()
    reload()
    member = db.session.scalars(select(User).where(User.email == "member1@demo.invalid")).one()
    language.of(member)
    sign_in_as(page, live_server, member, password=DEMO_PASSWORD)

    # Load the home page again as a browser that has nothing cached would, and add up every
    # byte that came over the network for it: the page, stylesheets, scripts and images.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    received: dict[str, float] = {}
    urls: dict[str, str] = {}

    def started(event: dict[str, Any]) -> None:
        urls[event["requestId"]] = event["request"]["url"]

    def finished(event: dict[str, Any]) -> None:
        received[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.requestWillBeSent", started)
    cdp.on("Network.loadingFinished", finished)
    page.goto(live_server.url("/"))
    page.wait_for_load_state("networkidle")
    assert_accessible(page)

    files = {urls.get(request_id, request_id): size for request_id, size in received.items()}
    total = sum(files.values())
    listing = "\n".join(f"  {size / 1024:6.1f} KB  {url}" for url, size in sorted(files.items()))
    assert any(url.endswith(".css") for url in files), f"no stylesheet was loaded:\n{listing}"
    assert any(url.endswith(".js") for url in files), f"no script was loaded:\n{listing}"
    assert total <= FIRST_PAGE_BUDGET, (
        f"the member's first page weighs {total / 1024:.1f} KB over the network:\n{listing}"
    )


INVALID_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A broken page</title></head>
<body><main><h1>A broken page</h1><p><span role="text">Words</span></p></main>
<script>console.error("something went wrong")</script></body></html>"""


def test_invalid_html_and_console_errors_fail_the_page_check(
    page: Page, live_server: LiveServer
) -> None:
    """A page with an HTML error or a console error is refused, each with what was wrong."""
    url = live_server.url("/a-page-made-up-by-this-test")
    page.route(url, lambda route: route.fulfill(status=200, body=INVALID_PAGE))
    page.goto(url)
    with pytest.raises(AssertionError) as console_problem:
        assert_accessible(page)
    assert "something went wrong" in str(console_problem.value)

    with pytest.raises(AssertionError) as invalid_html:
        assert_accessible(page)
    assert "invalid HTML" in str(invalid_html.value)
    assert "role" in str(invalid_html.value)
    page.portal_visits.checked = len(page.portal_visits.urls)  # type: ignore[attr-defined]


def test_a_page_blocked_by_the_content_security_policy_fails_the_page_check(
    page: Page, live_server: LiveServer
) -> None:
    """An outside font, like the one NHS.UK's stock stylesheet asked for, is refused and
    reported."""
    page.goto(live_server.url("/sign-in"))
    assert_accessible(page)
    page.evaluate(
        """() => {
          const style = document.createElement("link");
          style.rel = "stylesheet";
          style.href = "https://assets.nhs.uk/fonts/a-font.css";
          document.head.append(style);
        }"""
    )
    page.wait_for_timeout(500)
    with pytest.raises(AssertionError) as blocked:
        assert_accessible(page)
    assert "Content Security Policy" in str(blocked.value)
