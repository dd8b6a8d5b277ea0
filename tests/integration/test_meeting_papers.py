"""Agenda, papers and the pre-meeting pack: the chair builds them, members read and download."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.drafts.models import DraftKind
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from portal.meetings.jobs import send_due_packs
from portal.meetings.models import AgendaItem, Meeting, MeetingStatus, Paper, PaperFile
from portal.notifications.models import OutboxMessage
from portal.scheduled import SCHEDULED_JOBS
from tests.conftest import csrf_token_from, submit_form
from tests.outbox import mail_to
from tests.papers_data import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    make_meeting,
    odt_bytes,
    office_bytes,
)
from tests.roles import Cast


@pytest.fixture(autouse=True)
def papers_folder(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "papers"
    monkeypatch.setitem(app.config, "PAPERS_FOLDER", str(folder))
    return folder


def url(meeting: Meeting, rest: str = "") -> str:
    return f"/panels/{meeting.panel_id}/meetings/{meeting.id}{rest}"


def upload(
    client: FlaskClient,
    meeting: Meeting,
    name: str,
    data: bytes,
    title: str = "Summary of workshop 2",
    path: str = "/papers/new",
    **fields: str,
) -> Any:
    page = client.get(url(meeting, path))
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        "title": title,
        "agenda_item_id": "",
        "source": "file",
        "draft_id": "",
        **fields,
    }
    body, content_type = multipart(form, ("file", name, data))
    return client.post(url(meeting, path), data=body, content_type=content_type)


def multipart(fields: dict[str, str], file: tuple[str, str, bytes]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it (built here: the test client's own
    encoder leaves a temporary file open for large uploads)."""
    boundary = "portal-test-boundary-7d3f"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    field, filename, data = file
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
    )
    out.write(data + f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def paper_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Paper)) or 0


def test_the_chair_builds_an_agenda_with_buttons_and_sees_the_total_time(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = make_meeting(cast.panel)
    chair = client_as("chair")
    for title, minutes, lead in (
        ("Welcome and ground rules", "10", "The chair"),
        ("Priority actions for East London", "45", "Dr Amina Shah"),
        ("Any other business", "5", ""),
    ):
        response = submit_form(
            chair,
            url(meeting, "/agenda/items/new"),
            {"title": title, "minutes": minutes, "lead": lead, "description": ""},
        )
        assert response.status_code == 302
    page = chair.get(url(meeting, "/agenda")).get_data(as_text=True)
    assert "Total time: 1 hour" in page
    assert "Led by Dr Amina Shah" in page

    items = list(db.session.scalars(select(AgendaItem).order_by(AgendaItem.position)))
    last = items[-1]
    response = submit_form(
        chair,
        url(meeting, "/agenda"),
        {"direction": "up"},
    )
    # The agenda page itself takes no POST; the buttons post to each item's move address.
    assert response.status_code == 405
    token = csrf_token_from(page)
    chair.post(
        url(meeting, f"/agenda/items/{last.id}/move"), data={"csrf_token": token, "direction": "up"}
    )
    db.session.expire_all()
    titles = [i.title for i in db.session.scalars(select(AgendaItem).order_by(AgendaItem.position))]
    assert titles == [
        "Welcome and ground rules",
        "Any other business",
        "Priority actions for East London",
    ]

    response = submit_form(chair, url(meeting, f"/agenda/items/{items[0].id}/remove"), {})
    assert response.status_code == 302
    db.session.expire_all()
    positions = [
        (i.position, i.title)
        for i in db.session.scalars(select(AgendaItem).order_by(AgendaItem.position))
    ]
    assert positions == [(1, "Any other business"), (2, "Priority actions for East London")]


def test_agenda_item_bad_input_keeps_what_was_typed(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = make_meeting(cast.panel)
    response = submit_form(
        client_as("researcher"),
        url(meeting, "/agenda/items/new"),
        {"title": "Recruitment leaflet", "minutes": "half an hour", "lead": "Sam"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#minutes"' in html and "Enter how many minutes" in html
    assert 'value="Recruitment leaflet"' in html and 'value="Sam"' in html


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("summary.pdf", PDF_BYTES, "application/pdf"),
        ("notes.docx", office_bytes("word/document.xml"), "wordprocessingml"),
        ("budget.xlsx", office_bytes("xl/workbook.xml"), "spreadsheetml"),
        ("slides.pptx", office_bytes("ppt/presentation.xml"), "presentationml"),
        ("letter.odt", odt_bytes(), "opendocument.text"),
        ("notes.txt", "Plain notes – with a dash\n".encode(), "text/plain"),
        ("map.png", PNG_BYTES, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
    ],
)
def test_each_accepted_kind_of_file_is_stored_under_a_random_name(
    cast: Cast,
    client_as: Callable[[str], FlaskClient],
    papers_folder: Path,
    name: str,
    data: bytes,
    content_type: str,
) -> None:
    meeting = make_meeting(cast.panel)
    response = upload(client_as("chair"), meeting, name, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    record = db.session.scalars(select(PaperFile)).one()
    assert content_type in record.content_type
    assert record.original_name.lower() == name.lower()
    stored = list(papers_folder.iterdir())
    assert [path.name for path in stored] == [record.stored_name]
    assert name not in record.stored_name and stored[0].read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("agenda.pdf", EXE_BYTES, "This file is not a type we accept"),
        ("macro.docx", b"PK\x03\x04not really a zip", "This file is not a type we accept"),
        ("picture.pdf", PNG_BYTES, "it is a PNG picture"),
        ("empty.txt", b"", "The file is empty"),
    ],
)
def test_a_file_whose_content_is_not_accepted_is_refused_next_to_the_field(
    cast: Cast,
    client_as: Callable[[str], FlaskClient],
    papers_folder: Path,
    name: str,
    data: bytes,
    message: str,
) -> None:
    meeting = make_meeting(cast.panel)
    response = upload(client_as("chair"), meeting, name, data, title="Kept title")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'href="#file"' in html and 'id="file-error"' in html
    assert 'value="Kept title"' in html
    assert paper_count() == 0
    assert not papers_folder.exists() or list(papers_folder.iterdir()) == []


def test_a_paper_over_the_size_limit_is_refused_with_a_message(
    app: Flask,
    cast: Cast,
    client_as: Callable[[str], FlaskClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "PAPERS_MAX_MB", 1)
    meeting = make_meeting(cast.panel)
    big = PDF_BYTES + b"0" * (1024 * 1024)
    response = upload(client_as("chair"), meeting, "big.pdf", big)
    html = response.get_data(as_text=True)
    assert "The file must be smaller than 1 MB" in html
    assert paper_count() == 0


def test_a_request_over_the_upload_limit_gets_the_too_large_page_and_stores_nothing(
    app: Flask,
    cast: Cast,
    client_as: Callable[[str], FlaskClient],
    monkeypatch: pytest.MonkeyPatch,
    papers_folder: Path,
) -> None:
    meeting = make_meeting(cast.panel)
    client = client_as("chair")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    token = csrf_token_from(client.get(url(meeting, "/papers/new")).get_data(as_text=True))
    body, content_type = multipart(
        {"csrf_token": token}, ("file", "big.pdf", PDF_BYTES + b"0" * (128 * 1024))
    )
    response = client.post(url(meeting, "/papers/new"), data=body, content_type=content_type)
    assert response.status_code == 413
    assert "That file is too big" in response.get_data(as_text=True)
    assert paper_count() == 0
    assert not papers_folder.exists() or list(papers_folder.iterdir()) == []


def test_members_download_papers_once_the_pack_is_published(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = make_meeting(cast.panel, agenda=("Priority actions",))
    response = upload(client_as("chair"), meeting, "Summary of workshop 2.pdf", PDF_BYTES)
    assert response.status_code == 302
    paper = db.session.scalars(select(Paper)).one()
    member = client_as("member")
    download = url(meeting, f"/papers/{paper.id}/download")
    assert member.get(download).status_code == 404
    assert "has not shared the agenda" in member.get(url(meeting, "/pack")).get_data(as_text=True)

    meeting.pack_published_at = meeting.created_at
    db.session.commit()
    with member.get(download) as response:
        assert response.status_code == 200
        assert response.data == PDF_BYTES
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "Summary of workshop 2.pdf" in response.headers["Content-Disposition"]
    assert "Download Summary of workshop 2" in member.get(url(meeting, "/pack")).get_data(
        as_text=True
    )


def test_another_panels_paper_is_not_found(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = make_meeting(cast.panel)
    upload(client_as("chair"), meeting, "paper.pdf", PDF_BYTES)
    paper = db.session.scalars(select(Paper)).one()
    meeting.pack_published_at = meeting.created_at
    db.session.commit()
    outsider = client_as("other_panel_member")
    assert outsider.get(url(meeting, f"/papers/{paper.id}/download")).status_code == 404
    # Nor through the other panel's own address with this meeting's ids.
    other_meeting = make_meeting(cast.other_panel)
    other_meeting.pack_published_at = other_meeting.created_at
    db.session.commit()
    wrong = f"/panels/{cast.other_panel.id}/meetings/{meeting.id}/papers/{paper.id}/download"
    assert outsider.get(wrong).status_code == 404
    mixed = url(other_meeting, f"/papers/{paper.id}/download")
    assert outsider.get(mixed).status_code == 404


def test_replacing_a_paper_keeps_the_old_version_for_the_team(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = make_meeting(cast.panel)
    chair = client_as("chair")
    upload(chair, meeting, "plan.pdf", PDF_BYTES)
    paper = db.session.scalars(select(Paper)).one()
    newer = PDF_BYTES + b"% second version\n"
    response = upload(
        chair, meeting, "plan v2.pdf", newer, title="Plan", path=f"/papers/{paper.id}/edit"
    )
    assert response.status_code == 302
    db.session.expire_all()
    versions = [(f.version, f.original_name) for f in db.session.scalars(select(PaperFile))]
    assert sorted(versions) == [(1, "plan.pdf"), (2, "plan v2.pdf")]
    meeting.pack_published_at = meeting.created_at
    db.session.commit()

    member = client_as("member")
    with member.get(url(meeting, f"/papers/{paper.id}/download")) as response:
        assert response.data == newer
    old = url(meeting, f"/papers/{paper.id}/versions/1/download")
    assert member.get(old).status_code == 403
    researcher = client_as("researcher")
    with researcher.get(old) as response:
        assert response.data == PDF_BYTES
    page = researcher.get(url(meeting, f"/papers/{paper.id}/edit")).get_data(as_text=True)
    assert "Version 1: plan.pdf" in page and "Version 2: plan v2.pdf" in page


def test_a_published_draft_can_be_a_paper_instead_of_a_file(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    researcher = cast.people["researcher"]
    draft = create_draft(
        cast.panel.id,
        DraftDetails(kind=DraftKind.RESULTS_SUMMARY, title="Results of workshop 2"),
        researcher.id,
    )
    add_item(draft, ItemDetails(title="Peer support"), draft.lock_version)
    publish(draft, researcher.id, draft.lock_version)
    db.session.commit()
    meeting = make_meeting(cast.panel, agenda=("Results",))
    item = db.session.scalars(select(AgendaItem)).one()
    chair = client_as("chair")
    missing = submit_form(
        chair,
        url(meeting, "/papers/new"),
        {"title": "Results", "source": "draft", "draft_id": "", "agenda_item_id": str(item.id)},
    )
    assert "Choose the draft to use as the paper" in missing.get_data(as_text=True)
    response = submit_form(
        chair,
        url(meeting, "/papers/new"),
        {
            "title": "Results",
            "source": "draft",
            "draft_id": str(draft.id),
            "agenda_item_id": str(item.id),
        },
    )
    assert response.status_code == 302
    paper = db.session.scalars(select(Paper)).one()
    assert paper.draft_id == draft.id and paper.agenda_item_id == item.id
    unlinked = submit_form(
        chair,
        url(meeting, f"/papers/{paper.id}/edit"),
        {"title": "Results", "draft_id": "", "agenda_item_id": str(item.id)},
    )
    assert "Choose the draft to use as the paper" in unlinked.get_data(as_text=True)
    meeting.pack_published_at = meeting.created_at
    db.session.commit()
    page = client_as("member").get(url(meeting, "/pack")).get_data(as_text=True)
    assert f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/1" in page


def test_only_the_chair_publishes_the_pack_and_members_get_one_email(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = make_meeting(cast.panel, days_ahead=20, agenda=("Welcome", "Priority actions"))
    assert client_as("researcher").get(url(meeting, "/pack/publish")).status_code == 403
    chair = client_as("chair")
    empty = submit_form(chair, url(meeting, "/pack/publish"), {"summary": ""})
    assert "Write a short summary" in empty.get_data(as_text=True)
    response = submit_form(
        chair,
        url(meeting, "/pack/publish"),
        {"summary": "You said the leaflet was too long. We cut it to one page."},
    )
    assert response.status_code == 302
    member = cast.people["member"]
    page = client_as("member").get(url(meeting, "/pack")).get_data(as_text=True)
    assert "We cut it to one page" in page and "Priority actions" in page

    # Twenty days ahead: not due yet.
    assert send_due_packs(app) == 0
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting is not None
    meeting.starts_at = meeting.starts_at - timedelta(days=14)
    db.session.commit()
    for job in SCHEDULED_JOBS:
        job(app)
    for job in SCHEDULED_JOBS:
        job(app)
    # The worker also sends the week-before reminder; the pack itself comes exactly once.
    messages = packs_to(member.email)
    assert len(messages) == 1
    body = messages[0].text_body
    assert (
        "We cut it to one page" in body and "1. Welcome" in body and "2. Priority actions" in body
    )
    assert f"/panels/{cast.panel.id}/meetings/{meeting.id}/pack" in body
    # Everyone in the panel gets it; nobody outside it.
    assert len(packs_to(cast.people["chair"].email)) == 1
    assert mail_to(cast.people["other_panel_member"].email) == []


def packs_to(address: str) -> list[OutboxMessage]:
    return [m for m in mail_to(address) if m.subject.startswith("Read the papers for the meeting")]


def test_two_workers_at_once_send_the_pack_once(app: Flask, cast: Cast) -> None:
    meeting = make_meeting(cast.panel, days_ahead=3, agenda=("Welcome",))
    meeting.pack_published_at = meeting.created_at
    db.session.commit()
    results: list[int] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        barrier.wait()
        results.append(send_due_packs(app))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 3  # member, chair and researcher, once each
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert total == 3


def test_a_cancelled_or_past_meeting_sends_no_pack(app: Flask, cast: Cast) -> None:
    cancelled = make_meeting(cast.panel, days_ahead=3, status=MeetingStatus.CANCELLED)
    past = make_meeting(cast.panel, days_ahead=-3)
    for meeting in (cancelled, past):
        meeting.pack_published_at = meeting.created_at
    db.session.commit()
    assert send_due_packs(app) == 0


def test_pack_and_agenda_pages_make_the_same_number_of_queries_however_much_they_hold(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    meeting = make_meeting(cast.panel, agenda=("One",))
    chair = client_as("chair")
    upload(chair, meeting, "one.pdf", PDF_BYTES)
    meeting.pack_published_at = meeting.created_at
    db.session.commit()
    pages = [url(meeting, "/agenda"), url(meeting, "/pack")]
    before = {}
    for page in pages:
        with count_queries() as log:
            assert chair.get(page).status_code == 200
        before[page] = log.count
    for number in range(8):
        db.session.add(
            AgendaItem(meeting_id=meeting.id, position=number + 2, title=f"Item {number}")
        )
        db.session.commit()
        upload(chair, meeting, f"paper {number}.pdf", PDF_BYTES, title=f"Paper {number}")
    for page in pages:
        with count_queries() as log:
            assert chair.get(page).status_code == 200
        assert log.count == before[page], page


def test_the_meeting_page_sections_show_the_agenda_and_papers_in_a_fixed_number_of_queries(
    app: Flask,
    cast: Cast,
    client_as: Callable[[str], FlaskClient],
    count_queries: Callable[[], Any],
) -> None:
    from flask import render_template_string

    from portal.meetings.packs import meeting_page_sections

    meeting = make_meeting(cast.panel, agenda=("Welcome", "Priority actions"))
    upload(client_as("chair"), meeting, "one.pdf", PDF_BYTES, title="Loose paper")
    template = (
        '{% include "meetings/_agenda_section.html" ignore missing %}'
        '{% include "meetings/_papers_section.html" ignore missing %}'
        '{% include "meetings/_minutes_section.html" ignore missing %}'
    )
    with app.test_request_context():
        from portal.panels.service import get_panel

        panel = get_panel(cast.panel.id)
        hidden = render_template_string(
            template, meeting=meeting, panel=panel, **meeting_page_sections(meeting, False)
        )
        assert "has not shared the agenda yet" in hidden and "Loose paper" not in hidden
        with count_queries() as log:
            context = meeting_page_sections(meeting, True)
        assert log.count <= 4  # items, papers, their files, their drafts: never one per item
        shown = render_template_string(template, meeting=meeting, panel=panel, **context)
        assert "Total time: 40 minutes" in shown and "Download Loose paper" in shown
        assert "Minutes and actions" in shown
        # Without the context, the section still offers the way to the agenda and papers.
        bare = render_template_string(template, meeting=meeting, panel=panel)
        assert f"/meetings/{meeting.id}/pack" in bare


def test_removing_a_paper_deletes_it_and_its_files(
    cast: Cast, client_as: Callable[[str], FlaskClient], papers_folder: Path
) -> None:
    meeting = make_meeting(cast.panel)
    chair = client_as("chair")
    upload(chair, meeting, "wrong.pdf", PDF_BYTES, title="Wrong paper")
    paper = db.session.scalars(select(Paper)).one()
    upload(chair, meeting, "wrong2.pdf", PDF_BYTES + b"%2", path=f"/papers/{paper.id}/edit")
    assert len(list(papers_folder.iterdir())) == 2
    assert client_as("member").get(url(meeting, f"/papers/{paper.id}/remove")).status_code == 403
    response = submit_form(chair, url(meeting, f"/papers/{paper.id}/remove"), {})
    assert response.status_code == 302
    assert paper_count() == 0
    assert db.session.scalars(select(PaperFile)).all() == []
    assert list(papers_folder.iterdir()) == []


def test_the_meeting_page_shows_the_agenda_and_its_total_time_once_the_pack_is_out(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    meeting = make_meeting(cast.panel, agenda=("Welcome", "Priority actions"))
    member = client_as("member")
    before = member.get(url(meeting)).get_data(as_text=True)
    assert "Priority actions" not in before
    assert "The chair has not shared the agenda yet" in before
    meeting.pack_published_at = meeting.created_at
    db.session.commit()
    after = member.get(url(meeting)).get_data(as_text=True)
    assert "Welcome" in after and "Priority actions" in after
    assert "Total time" in after
