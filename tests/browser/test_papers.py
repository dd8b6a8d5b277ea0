"""Agenda and papers in a real browser: the chair builds the agenda and uploads a paper without
JavaScript; a member reads the pack and downloads the paper."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.meetings import packs, papers
from portal.meetings.models import AgendaItem, Meeting
from tests.browser.conftest import Language, LiveServer
from tests.browser.helpers import assert_accessible, reload, sign_in_as, tab_to
from tests.language import ntr, tr
from tests.papers_data import PDF_BYTES, make_meeting
from tests.roles import Cast

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def papers_folder(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "papers"
    monkeypatch.setitem(app.config, "PAPERS_FOLDER", str(folder))
    return folder


def meeting_url(server: LiveServer, meeting: Meeting, rest: str) -> str:
    return server.url(f"/panels/{meeting.panel_id}/meetings/{meeting.id}{rest}")


def add_item(page: Page, title: str, minutes: str, lead: str) -> None:
    page.get_by_role("button", name="Add an agenda item").click()
    assert_accessible(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("How many minutes?").fill(minutes)
    page.get_by_label("Who leads this item (optional)").fill(lead)
    page.get_by_role("button", name="Save agenda item").click()
    assert_accessible(page)


def test_the_chair_builds_the_agenda_and_uploads_a_paper_without_javascript(
    no_js_page: Page, live_server: LiveServer, cast: Cast, tmp_path: Path
) -> None:
    page = no_js_page
    meeting = make_meeting(cast.panel, title="Workshop 3")
    sign_in_as(page, live_server, cast.people["chair"])
    page.goto(meeting_url(live_server, meeting, "/agenda"))
    assert_accessible(page)
    add_item(page, "Welcome", "10", "The chair")
    add_item(page, "Recruitment leaflet", "half an hour", "")
    expect(page.locator("#minutes-error")).to_contain_text("Enter how many minutes")
    assert_accessible(page)
    expect(page.get_by_label("Title")).to_have_value("Recruitment leaflet")
    page.get_by_label("How many minutes?").fill("30")
    page.get_by_role("button", name="Save agenda item").click()
    assert_accessible(page)
    expect(page.get_by_text("Total time: 40 minutes")).to_be_visible()

    page.get_by_role("button", name="Move up Recruitment leaflet").click()
    assert_accessible(page)
    reload()
    titles = [
        item.title for item in db.session.scalars(select(AgendaItem).order_by(AgendaItem.position))
    ]
    assert titles == ["Recruitment leaflet", "Welcome"]

    page.get_by_role("link", name="Add a paper for Recruitment leaflet").click()
    assert_accessible(page)
    renamed = tmp_path / "setup.pdf"
    renamed.write_bytes(b"MZ\x90\x00" + b"\x00" * 60)
    page.get_by_label("Title of the paper").fill("Draft leaflet")
    page.get_by_label("Upload a file").set_input_files(str(renamed))
    page.get_by_role("button", name="Save paper").click()
    assert_accessible(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("not a type we accept")
    expect(page.get_by_label("Title of the paper")).to_have_value("Draft leaflet")

    leaflet = tmp_path / "Draft leaflet.pdf"
    leaflet.write_bytes(PDF_BYTES)
    page.get_by_label("Upload a file").set_input_files(str(leaflet))
    page.get_by_role("button", name="Save paper").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Draft leaflet")).to_be_visible()

    page.get_by_role("button", name="Publish the pack").click()
    assert_accessible(page)
    page.get_by_label("Summary of the previous meeting's results").fill(
        "You said the leaflet was too long. We cut it to one page."
    )
    page.get_by_role("button", name="Publish the pack").click()
    assert_accessible(page)
    expect(page.get_by_text("We cut it to one page.")).to_be_visible()


def test_a_member_reads_the_pack_and_downloads_a_paper_by_keyboard(
    page: Page, live_server: LiveServer, cast: Cast, language: Language
) -> None:
    meeting = make_meeting(cast.panel, title="Workshop 3", agenda=("Recruitment leaflet",))
    item = db.session.scalars(select(AgendaItem)).one()
    papers.add_paper(
        meeting,
        "Draft leaflet",
        item.id,
        cast.people["chair"].id,
        upload=papers.Upload("Draft leaflet.pdf", PDF_BYTES),
    )
    packs.publish_pack(meeting, "You said the leaflet was too long.")
    language.of(cast.people["member"])

    sign_in_as(page, live_server, cast.people["member"])
    page.goto(meeting_url(live_server, meeting, "/pack"))
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Recruitment leaflet")).to_be_visible()
    twenty_minutes = ntr("%(num)d minute", "%(num)d minutes", 20)
    expect(page.get_by_text(tr("Total time: %(time)s", time=twenty_minutes))).to_be_visible()
    tab_to(page, tr("Download %(title)s", title="Draft leaflet"))
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == "Draft leaflet.pdf"
    assert Path(download.path()).read_bytes() == PDF_BYTES
