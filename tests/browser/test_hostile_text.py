"""Stored HTML injection, tried as an attacker would, with the Content-Security-Policy switched
off in the browser: the policy is a second line of defence, never the only one.

Every text column of the demo study (names, titles, descriptions, comments, notes, links,
answers) holds a hostile payload; members, the chair, a researcher and an administrator also
type the payloads into their own forms. Then each of them walks the pages they can reach.
No dialog may open and no injected element, handler or ``javascript:`` address may appear.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlparse

import pytest
from flask import Flask
from playwright.sync_api import Browser, Dialog, Page
from sqlalchemy import Enum, String, UniqueConstraint, select

from portal.accounts.models import User
from portal.demo import DEMO_PASSWORD, load_demo
from portal.extensions import db
from tests.browser.conftest import LiveServer, _page
from tests.browser.helpers import assert_accessible, reload, sign_in_as
from tests.browser.html_checker import HtmlChecker
from tests.hostile import CORPUS, injected_markup

pytestmark = pytest.mark.browser

# Columns that are not people's words: addresses mail goes to, hashes, keys, file names on disk,
# machine codes. Tables that are never shown as pages: the outbox and the audit trail.
NOT_WORDS = re.compile(
    r"email|hash|token|key|secret|language|locale|content_type|storage|file|address|agent"
    r"|code|timezone|issuer|subject|etag|uid|time|phone|number"
)
NOT_SHOWN = {"outbox_message", "audit_event", "link_request", "alembic_version"}
SKIP_LINKS = re.compile(
    r"/download|/export|\.ics|\.csv|\.xlsx|\.zip|/calendar|/feed|/files/|/statement|/assets/"
    r"|/static/|/sign-out|/sign-in"
)
PAGES_PER_PERSON = 10
PEOPLE = (
    "member1@demo.invalid",
    "chair@demo.invalid",
    "researcher@demo.invalid",
    "admin@demo.invalid",
)


def _unique_columns(table: object) -> set[str]:
    names: set[str] = set()
    for constraint in getattr(table, "constraints", ()):
        if isinstance(constraint, UniqueConstraint):
            names |= {column.name for column in constraint.columns}
    return names


def poison_every_text_column() -> int:
    """Put a payload into every stored piece of people's text; returns how many columns."""
    payloads = itertools.cycle(CORPUS)
    changed = 0
    for table in db.metadata.sorted_tables:
        if table.name in NOT_SHOWN:
            continue
        unique = _unique_columns(table)
        for column in table.columns:
            kind = column.type
            if not isinstance(kind, String) or isinstance(kind, Enum) or column.name in unique:
                continue
            if column.unique or column.primary_key or column.foreign_keys:
                continue
            if NOT_WORDS.search(column.name):
                continue
            payload = next(payloads)
            if kind.length is not None and kind.length < len(payload):
                continue
            db.session.execute(
                table.update()
                .where(column.is_not(None), column != "")
                .values({column.name: payload})
            )
            changed += 1
    db.session.commit()
    return changed


@pytest.fixture
def csp_off_page(browser: Browser, html_checker: HtmlChecker) -> Iterator[Page]:
    """A desktop page that ignores the Content-Security-Policy, as an old or broken browser
    would; every dialog the page tries to open is recorded (and dismissed)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    dialogs: list[str] = []

    def opened(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    for page in _page(context, html_checker):
        page.set_default_timeout(30_000)  # four people and many pages on a busy machine
        page.on("dialog", opened)
        page.portal_dialogs = dialogs  # type: ignore[attr-defined]
        yield page


def _check(page: Page) -> None:
    assert_accessible(page)
    html = page.content()
    found = injected_markup(html)
    live = page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(el =>
            [...el.attributes].filter(a => a.name.startsWith('on') || a.name === 'data-xss')
            .map(a => el.tagName + ' ' + a.name))"""
    )
    assert found == [] and live == [], f"injected markup on {page.url}: {found} {live}"
    assert page.portal_dialogs == [], f"a dialog opened on {page.url}"  # type: ignore[attr-defined]


def _type_into_every_box(page: Page) -> bool:
    """Fill each text box of the page's first form that has any with payloads, and send it.
    False when the page has no such form."""
    form = page.locator("main form[method=post]").filter(
        has=page.locator("textarea, input[type=text]")
    )
    if form.count() == 0:
        return False
    form = form.first
    boxes = form.locator("textarea, input[type=text]")
    for index, payload in zip(range(boxes.count()), itertools.cycle(CORPUS), strict=False):
        box = boxes.nth(index)
        if box.is_visible() and box.is_editable():
            box.fill(payload)
    form.locator("button").first.click()
    page.wait_for_load_state("load")
    return True


def _walk(page: Page, server: LiveServer) -> list[str]:
    """Follow the portal's own links breadth first, checking every page reached."""
    seen: set[str] = set()
    queue = [server.url("/")]
    visited: list[str] = []
    while queue and len(visited) < PAGES_PER_PERSON:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        _check(page)
        visited.append(url)
        # Whatever the page lets this person write, they write the corpus, then see it again.
        if _type_into_every_box(page):
            _check(page)  # the form again with what was typed, or the page that shows it
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            target = urljoin(page.url, href).split("#")[0]
            if urlparse(target).netloc == urlparse(
                server.base_url
            ).netloc and not SKIP_LINKS.search(target):
                queue.append(target)
    return visited


def test_hostile_text_everywhere_never_runs_with_the_policy_off(
    app: Flask, live_server: LiveServer, csp_off_page: Page
) -> None:
    load_demo()
    assert poison_every_text_column() > 40, "every kind of text holds a payload"
    people = [db.session.scalars(select(User).where(User.email == email)).one() for email in PEOPLE]
    reload()
    page = csp_off_page
    for person in people:
        email = person.email
        sign_in_as_demo(page, live_server, person)
        visited = _walk(page, live_server)
        assert len(visited) == PAGES_PER_PERSON, f"{email} reached too few pages: {visited}"
        page.context.clear_cookies()


def sign_in_as_demo(page: Page, server: LiveServer, person: User) -> None:
    sign_in_as(page, server, person, password=DEMO_PASSWORD)
    _check(page)
