"""Results of a review round: what the study team sees, reminders, and the exported files."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.audit.service import AuditAction
from portal.db import utcnow
from portal.drafts.models import VersionItem
from portal.extensions import db
from portal.feedback.models import EntryKind, FeedbackEntry, TriageStatus
from portal.notifications.models import OutboxMessage
from portal.panels.models import Membership, Role
from portal.rounds import reminders, results
from portal.rounds.models import OmissionCheck, Resonance, ReviewRound
from portal.spreadsheets import safe_cell
from tests.conftest import submit_form
from tests.factories import add_to_panel, make_user
from tests.integration.agreement_helpers import answer, published_agreement
from tests.outbox import mail_to
from tests.results_data import answer_round, draft_id_of, make_round, results_path
from tests.roles import Cast

S, P, N, U = Resonance.STRONGLY, Resonance.PARTLY, Resonance.NO, Resonance.NOT_SURE


def results_url(review_round: ReviewRound, rest: str = "/results") -> str:
    return results_path(review_round, rest)


def code_of(cast: Cast, role: str) -> str:
    return db.session.scalar(
        select(Membership.pseudonym_code).where(
            Membership.user_id == cast.people[role].id, Membership.panel_id == cast.panel.id
        )
    )


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_team_sees_counts_shares_and_a_described_chart_for_each_item(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    others = [make_user(name=f"Member {n}") for n in range(3)]
    for person in others:
        add_to_panel(cast.panel, person, Role.MEMBER)
    answer_round(review_round, cast.people["member"], [S, N])
    answer_round(review_round, cast.people["chair"], [S, None])
    answer_round(review_round, others[0], [P, N])
    answer_round(review_round, others[1], [U, U])
    answer_round(review_round, others[2], [N, N], submitted=False)  # not sent: not counted

    html = client_as("researcher").get(results_url(review_round)).get_data(as_text=True)
    text = text_of(html)
    assert "Results: East London priority actions" in text
    assert "People asked 5" in text and "Sent their answers 4" in text
    assert "Started but not sent 1" in text
    # Item 1: 2 strongly, 1 partly, 0 no, 1 not sure of 4 who answered.
    first = text[text.index("Item 1: Peer support in every ward") :]
    first = first[: first.index("Item 2:")]
    assert "Yes, strongly 2 50%" in first
    assert "Yes, partly 1 25%" in first
    assert "No 0 0%" in first
    assert "Not sure 1 25%" in first
    assert "Total who answered 4 100%" in first
    # Item 2: the chair skipped it, so the shares are of the 3 who answered.
    second = text[text.index("Item 2: Training on cultures") :]
    assert "No 2 67%" in second and "Not sure 1 33%" in second

    chart = re.search(r"<svg[^>]*role=\"img\"[^>]*>.*?</svg>", html, re.DOTALL)
    assert chart, "no chart"
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', chart.group(0)).group(1).split()
    assert len(labelled_by) == 2
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", chart.group(0), re.DOTALL).group(1)
    assert "Yes, strongly: 2 people (50%)" in desc and "No: 0 people (0%)" in desc
    # Each bar says what it is in words as well as by its length.
    assert chart.group(0).count('class="portal-chart__label"') == 4


def test_each_items_chart_follows_new_answers_a_new_title_and_the_readers_language(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    # Each item's chart and table are kept once rendered (portal.components): what is kept must
    # never outlive the answers, the words or the language it was made for.
    review_round = make_round(cast.panel, cast.people["researcher"])
    answer_round(review_round, cast.people["member"], [S, N])
    researcher = client_as("researcher")
    first = text_of(researcher.get(results_url(review_round)).get_data(as_text=True))
    assert "Yes, strongly 1 100%" in first

    answer_round(review_round, cast.people["chair"], [N, N])
    again = text_of(researcher.get(results_url(review_round)).get_data(as_text=True))
    assert "Yes, strongly 1 50%" in again and "No 1 50%" in again
    assert "Yes, strongly 1 100%" not in again

    item = db.session.get(VersionItem, results.item_tallies(review_round)[0].item.id)
    assert item is not None
    item.title = "Peer support on every ward, day and night"
    db.session.commit()
    renamed = text_of(researcher.get(results_url(review_round)).get_data(as_text=True))
    assert "Item 1: Peer support on every ward, day and night" in renamed
    assert "Item 1: Peer support in every ward" not in renamed

    cast.people["researcher"].language = "ur"
    db.session.commit()
    urdu = researcher.get(results_url(review_round)).get_data(as_text=True)
    assert "Total who answered" not in urdu
    assert re.search("[\u0600-\u06ff]", urdu)
    assert "Peer support on every ward, day and night" in urdu


def test_the_team_reads_everything_members_said_made_harmless(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    answer_round(
        review_round,
        cast.people["member"],
        [S, P],
        comments=["This is **so** true", "<script>alert(1)</script>"],
        missing=[("Support for carers", "Carers are *left out*")],
        rewording="Say 'people' not 'patients'",
        general_comment="<img src=x onerror=alert(2)>Thanks",
    )
    html = client_as("researcher").get(results_url(review_round)).get_data(as_text=True)
    code = code_of(cast, "member")
    assert "This is <strong>so</strong> true" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img" not in html
    assert "Support for carers" in html and "Carers are <em>left out</em>" in html
    assert "Say &#39;people&#39; not &#39;patients&#39;" in html or "Say 'people'" in html
    assert f"{code} (A member)" in html


def test_the_results_say_beside_each_persons_words_whether_they_may_be_quoted(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    answer_round(review_round, cast.people["member"], [S, P], comments=["Member words", ""])
    answer_round(review_round, cast.people["chair"], [P, S], comments=["Chair words", ""])
    answer(client_as("member"), cast, published_agreement(cast))
    html = text_of(client_as("researcher").get(results_url(review_round)).get_data(as_text=True))
    member, chair = code_of(cast, "member"), code_of(cast, "chair")
    assert f"{member} (A member) · May be quoted" in html
    assert f"{chair} (The chair) · Not to be quoted" in html


def test_the_team_sees_who_has_and_has_not_answered(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    answer_round(review_round, cast.people["member"], [S, S])
    answer_round(review_round, cast.people["chair"], [S], submitted=False)
    text = text_of(client_as("researcher").get(results_url(review_round)).get_data(as_text=True))
    table = text[text.index("Code Name Answers") :]
    assert f"{code_of(cast, 'chair')} The chair Started, not sent" in table
    assert f"{code_of(cast, 'member')} A member Sent" in table
    # Researchers are not asked to answer.
    assert "A researcher" not in table[: table.index("Answers for each item")]


def test_only_researchers_of_the_panel_see_results(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    other_researcher = make_user(name="Another study's researcher")
    add_to_panel(cast.other_panel, other_researcher, Role.RESEARCHER)
    elsewhere = make_round(cast.other_panel, other_researcher)
    for role in ("member", "chair"):
        assert client_as(role).get(results_url(review_round)).status_code == 403
        assert client_as(role).get(results_url(review_round, "/results.xlsx")).status_code == 403
    researcher = client_as("researcher")
    # A round of another panel, even through this panel's address, is not found.
    mine = draft_id_of(review_round)
    wrong = f"/panels/{cast.panel.id}/drafts/{mine}/rounds/{elsewhere.id}/results"
    assert researcher.get(wrong).status_code == 404
    assert researcher.get(results_url(elsewhere)).status_code == 404
    # Nor is a round of this panel under another draft's address.
    other_draft = make_round(cast.panel, cast.people["researcher"], draft_title="Other draft")
    mixed = f"/panels/{cast.panel.id}/drafts/{draft_id_of(other_draft)}/rounds/{review_round.id}"
    assert researcher.get(mixed + "/results").status_code == 404


def test_long_lists_come_a_page_at_a_time(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    missing = [(f"Missing action number {n:02d}", "") for n in range(1, 26)]
    answer_round(review_round, cast.people["member"], [S, S], missing=missing)
    client = client_as("researcher")
    first = client.get(results_url(review_round)).get_data(as_text=True)
    assert "Missing action number 20" in first and "Missing action number 21" not in first
    assert "Showing 1 to 20 of 25" in text_of(first)
    assert "missing=2" in first
    second = client.get(results_url(review_round) + "?missing=2").get_data(as_text=True)
    assert "Missing action number 21" in second and "Missing action number 25" in second
    assert "Missing action number 01" not in second
    # A page past the end shows the last page rather than failing.
    beyond = client.get(results_url(review_round) + "?missing=99&people=abc")
    assert beyond.status_code == 200 and "Missing action number 25" in beyond.get_data(True)


def test_remind_those_who_have_not_answered_reaches_only_them_and_only_once_a_day(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    late = make_user(name="Late member")
    left = make_user(name="Former member")
    add_to_panel(cast.panel, late, Role.MEMBER)
    gone = add_to_panel(cast.panel, left, Role.MEMBER)
    gone.active = False
    db.session.commit()
    answer_round(review_round, cast.people["member"], [S, S])
    answer_round(review_round, late, [S], submitted=False)

    client = client_as("researcher")
    url = results_url(review_round, "/remind")
    confirm = text_of(client.get(url).get_data(as_text=True))
    assert "We will email 2 people" in confirm
    assert "Late member" in confirm and "The chair" in confirm
    assert "A member" not in confirm and "Former member" not in confirm

    response = submit_form(client, url, {}, follow_redirects=True)
    assert "We have emailed a reminder to 2 people." in response.get_data(as_text=True)
    assert len(mail_to(late.email)) == 1 and len(mail_to(cast.people["chair"].email)) == 1
    for person in (cast.people["member"], left, cast.people["researcher"]):
        assert mail_to(person.email) == []
    message = mail_to(late.email)[0]
    assert "East London priority actions" in message.subject
    assert "Hello Late member" in message.text_body and "http://localhost/" in message.text_body

    # Pressing again the same day emails nobody.
    again = submit_form(client, url, {}, follow_redirects=True)
    assert "Nobody needed a reminder" in again.get_data(as_text=True)
    assert len(mail_to(late.email)) == 1
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.ROUND_REMINDERS_SENT.value)
    ).all()
    assert [event.detail for event in events] == [f"round {review_round.id}: 2 reminded"]
    page = text_of(client.get(results_url(review_round)).get_data(as_text=True))
    assert "Last reminder sent:" in page

    # A day later the reminder can go again, still only to those who have not answered.
    db.session.expire_all()
    review_round = results.get_round(cast.panel.id, draft_id_of(review_round), review_round.id)
    tomorrow = utcnow() + timedelta(hours=25)
    assert reminders.remind_non_responders(review_round, tomorrow) == 2
    db.session.commit()
    assert len(mail_to(late.email)) == 2 and mail_to(cast.people["member"].email) == []


def test_no_reminders_once_a_round_has_closed(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    review_round.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    client = client_as("researcher")
    page = client.get(results_url(review_round)).get_data(as_text=True)
    assert "Remind those who have not answered" not in page
    response = client.get(results_url(review_round, "/remind"), follow_redirects=True)
    assert "This round has closed" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_a_forged_reminder_sends_nothing(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    response = client_as("researcher").post(results_url(review_round, "/remind"), data={})
    assert response.status_code == 200
    assert "Check your answers and send it again" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.id)) is None


# --- exports ------------------------------------------------------------------------------


DANGEROUS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _round_with_everything(cast: Cast) -> ReviewRound:
    review_round = make_round(cast.panel, cast.people["researcher"])
    answer_round(
        review_round,
        cast.people["member"],
        [S, N],
        comments=[DANGEROUS[0], "Good idea"],
        missing=[(DANGEROUS[1], DANGEROUS[2])],
        rewording=DANGEROUS[3],
        general_comment=DANGEROUS[4] + "\x01",
    )
    answer_round(review_round, cast.people["chair"], [P, U], general_comment=DANGEROUS[5])
    draft_id = draft_id_of(review_round)
    entry = FeedbackEntry(
        panel_id=cast.panel.id,
        kind=EntryKind.MISSING_ACTION,
        author_id=cast.people["member"].id,
        draft_id=draft_id,
        round_id=review_round.id,
        text="Support for carers",
        status=TriageStatus.NOT_ACTIONED,
        reason="Outside the study",
        assignee_id=cast.people["researcher"].id,
        response="Thank you; we passed it on.",
    )
    withdrawn = FeedbackEntry(
        panel_id=cast.panel.id,
        kind=EntryKind.COMMENT,
        author_id=cast.people["chair"].id,
        draft_id=draft_id,
        text="Words the chair took back",
        withdrawn=True,
    )
    db.session.add_all([entry, withdrawn])
    db.session.commit()
    return review_round


def _no_names_or_emails(cast: Cast, values: list[str]) -> None:
    joined = "\n".join(values)
    for person in cast.people.values():
        assert person.display_name not in joined
        assert person.email not in joined
    assert "@example.org" not in joined


def test_the_spreadsheet_holds_answers_comments_and_triage_under_codes_only(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = _round_with_everything(cast)
    agreement = published_agreement(cast)  # consent to be quoted: the member agrees
    answer(client_as("member"), cast, agreement)
    response = client_as("researcher").get(results_url(review_round, "/results.xlsx"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert f"round-{review_round.id}-results.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "responses",
        "missing_actions",
        "other_comments",
        "triage",
        "data_dictionary",
    ]
    sheets = {
        name: [list(row) for row in book[name].iter_rows(values_only=True)]
        for name in book.sheetnames
    }
    member, chair, researcher = (code_of(cast, r) for r in ("member", "chair", "researcher"))
    responses = sheets["responses"]
    assert responses[0] == [
        "participant",
        "submitted_at",
        "item_number",
        "item_key",
        "item_title",
        "answer",
        "item_comment",
        "may_quote",
    ]
    assert [(r[0], r[2], r[5], r[7]) for r in responses[1:]] == [
        (member, 1, "strongly", "yes"),
        (member, 2, "no", "yes"),
        (chair, 1, "partly", "no"),
        (chair, 2, "not_sure", "no"),
    ]
    assert responses[1][6] == '\'=HYPERLINK("http://evil")'
    assert sheets["missing_actions"][1][2:] == ["'+1+1", "'-2+3", "yes"]
    other = sheets["other_comments"]
    assert other[1][2:] == ["'@SUM(A1)", "'\tTab", "yes"]  # the control character is dropped
    assert other[2][3].startswith("'") and other[2][3].endswith("CR")  # XML reads \r as \n
    triage = sheets["triage"]
    header = triage[0]
    rows = [dict(zip(header, row, strict=True)) for row in triage[1:]]
    assert rows[0]["participant"] == member and rows[0]["status"] == "not_actioned"
    assert rows[0]["reason"] == "Outside the study" and rows[0]["assignee"] == researcher
    assert rows[1]["withdrawn"] == "yes" and rows[1]["text"] in ("", None)
    assert rows[0]["may_quote"] == "yes"
    # No cell anywhere is a formula, and nobody is named.
    for sheet in book:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
    values = [str(v) for rows in sheets.values() for row in rows for v in row if v is not None]
    _no_names_or_emails(cast, values)
    dictionary = {(r[0], r[1]) for r in sheets["data_dictionary"][1:]}
    for name, rows_of_sheet in sheets.items():
        if name != "data_dictionary":
            assert {(name, column) for column in rows_of_sheet[0]} <= dictionary
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.ROUND_RESULTS_EXPORTED.value)
    ).one()
    assert event.actor_id == cast.people["researcher"].id
    assert event.detail == f"round {review_round.id}: xlsx"


def test_the_csv_files_hold_the_same_under_codes_only(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = _round_with_everything(cast)
    response = client_as("researcher").get(results_url(review_round, "/results-csv.zip"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="round-{review_round.id}-results.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [
        "data_dictionary.csv",
        "missing_actions.csv",
        "other_comments.csv",
        "responses.csv",
        "triage.csv",
    ]
    tables = {
        name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
    }
    assert tables["responses.csv"][1][6] == '\'=HYPERLINK("http://evil")'
    assert tables["missing_actions.csv"][1][2] == "'+1+1"
    assert tables["data_dictionary.csv"][0] == ["sheet", "column", "meaning"]
    _no_names_or_emails(cast, [cell for rows in tables.values() for row in rows for cell in row])
    assert db.session.scalar(
        select(AuditEvent.detail).where(
            AuditEvent.action == AuditAction.ROUND_RESULTS_EXPORTED.value
        )
    ) == (f"round {review_round.id}: zip")


def test_safe_cell_leaves_ordinary_values_alone() -> None:
    assert safe_cell("Peer support") == "Peer support"
    assert safe_cell(3) == 3
    assert safe_cell(None) == ""
    assert safe_cell("a=b") == "a=b"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "x") == "'" + start + "x"


# --- scale --------------------------------------------------------------------------------


def _fill_round(cast: Cast, members: int, items: int) -> ReviewRound:
    titles = tuple(f"Action {n}" for n in range(1, items + 1))
    review_round = make_round(cast.panel, cast.people["researcher"], titles=titles)
    answers = [S, P, N, U]
    for number in range(members):
        person = make_user(name=f"Panel member {number}", password=None)
        add_to_panel(cast.panel, person, Role.MEMBER)
        answer_round(
            review_round,
            person,
            [answers[(number + i) % 4] for i in range(items)],
            comments=[f"Comment {number}.{i}" for i in range(items)],
            missing=[(f"Missing {number}", "Because")],
            rewording=f"Reword {number}",
            general_comment=f"General {number}",
            submitted=number % 5 != 0,
        )
    return review_round


def test_the_results_page_makes_the_same_number_of_queries_however_big_the_round(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    client = client_as("researcher")
    small = _fill_round(cast, members=10, items=3)
    with count_queries() as log:
        assert client.get(results_url(small)).status_code == 200
    small_count = log.count
    assert log.queries == 13  # exactly: a new query on this page must be a deliberate change
    big = _fill_round(cast, members=50, items=30)
    with count_queries() as log:
        response = client.get(results_url(big) + "?said=3&people=2")
        assert response.status_code == 200
    assert log.count == small_count
    page = text_of(response.get_data(as_text=True))
    assert "Item 30: Action 30" in page
    # Each list's length comes with the round's figures: 40 of the 50 sent their answers, each
    # with one missing action and words in both boxes; everyone in the panel is asked.
    asked = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.panel_id == cast.panel.id, Membership.role.in_([Role.MEMBER, Role.CHAIR])
        )
    )
    assert f"Showing 21 to 40 of {asked}" in page
    assert page.count("Showing 1 to 20 of 40") == 2  # what is missing; wording and comments
    assert "Showing 41 to 60 of 1200" in page  # comments on items: 30 from each of the 40


# --- harmful text -------------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><iframe src="javascript:alert(1)"></iframe>',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">link</a>',
    "<style>body{display:none}</style>",
    "<details open ontoggle=alert(1)>",
    "{{ 7*7 }}",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.kinds: set[tuple[str, tuple[str, ...]]] = set()
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.kinds.add((tag, tuple(sorted(name for name, _value in attrs))))
        self.values.extend(value or "" for _name, value in attrs)


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_harmful_text_in_every_field_is_shown_as_text_never_run(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    def page_with(words: list[str]) -> str:
        db.session.execute(OmissionCheck.__table__.delete())
        db.session.commit()
        review_round = make_round(
            cast.panel, cast.people["researcher"], titles=(words[0], words[1]), draft_title=words[2]
        )
        cast.people["member"].display_name = words[3]
        answer_round(
            review_round,
            cast.people["member"],
            [S, N],
            comments=[words[4], words[5]],
            missing=[(words[6], words[7])],
            rewording=words[8],
            general_comment=words[0],
        )
        client = client_as("researcher")
        pages = [
            client.get(results_url(review_round)),
            client.get(results_url(review_round, "/remind")),
        ]
        assert all(page.status_code == 200 for page in pages)
        return "".join(page.get_data(as_text=True) for page in pages)

    plain = _tags(page_with([f"Plain words {n}" for n in range(9)]))
    harmful_html = page_with(XSS_PAYLOADS)
    harmful = _tags(harmful_html)
    # The payloads add no new kinds of element or attribute (a link whose script address was
    # taken out is left as plain text in an <a> with no address), and no script address.
    assert harmful.kinds - plain.kinds <= {("a", ("rel",))}
    assert not any("javascript:" in value.lower() for value in harmful.values)
    assert "{{ 7*7 }}" in harmful_html  # shown as typed, never run as a template


def test_a_round_nobody_has_answered_says_so(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    review_round = make_round(cast.panel, cast.people["researcher"])
    client = client_as("researcher")
    text = text_of(client.get(results_url(review_round)).get_data(as_text=True))
    assert "0 people have sent their answers." in text
    assert "Total who answered 0 –" in text
    assert "No comments on items yet." in text
    assert "Nobody has said that anything is missing" in text
    book = load_workbook(io.BytesIO(client.get(results_url(review_round, "/results.xlsx")).data))
    assert [len(list(book[name].iter_rows())) for name in book.sheetnames[:4]] == [1, 1, 1, 1]
