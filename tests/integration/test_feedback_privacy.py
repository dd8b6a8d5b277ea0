"""What members write reaches only whom it should, and never runs as markup anywhere.

A "study team only" comment is looked for in every page another member or the chair can open.
A corpus of script-injection payloads goes through every feedback field, and every page and
email that shows them is checked for anything a browser would run.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.feedback.models import FeedbackEntry
from portal.notifications.models import OutboxMessage
from portal.panels.models import Role
from tests.conftest import hidden_inputs, submit_form
from tests.factories import add_to_panel, make_user, sign_in
from tests.integration.feedback_helpers import last_comment, post_comment, published_draft
from tests.roles import Cast
from tests.world import build_world

SECRET = "Only-for-the-team-7f3a"


def _get_pages(app: Flask, values: dict[str, object]) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint in ("static", "nhsuk_assets"):
            continue
        if not set(rule.arguments) <= values.keys():
            continue
        urls.append(rule.build(dict(values), append_unknown=False)[1])  # type: ignore[index]
    return urls


def test_a_study_team_only_comment_never_reaches_another_member(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    world = build_world(cast)
    other_member = make_user(name="Second member")
    add_to_panel(cast.panel, other_member, Role.MEMBER)
    from portal.drafts.models import Draft

    draft = db.session.get(Draft, world.values["draft_id"])
    assert draft is not None
    author = client_as("member")
    post_comment(author, cast, draft, f"{SECRET} about the wards", shown_as="pseudonym")
    comment = last_comment()
    # The team answers it, which must not reach anyone but its author either.
    entry = db.session.scalars(
        select(FeedbackEntry).where(FeedbackEntry.comment_id == comment.id)
    ).one()
    submit_form(
        client_as("researcher"),
        f"/panels/{cast.panel.id}/inbox/{entry.id}",
        {"status": "actioned", "response": f"Answer to {SECRET}"},
    )
    values = {**world.values, "comment_id": comment.id, "entry_id": entry.id}
    second = client_as("anonymous")
    sign_in(second, other_member)
    readers = {"chair": client_as("chair"), "second member": second}
    seen = []
    pages = _get_pages(app, values)
    assert any("/versions/1" in url for url in pages)
    for name, client in readers.items():
        for url in pages:
            response = client.get(url, follow_redirects=True)
            if SECRET in response.get_data(as_text=True):
                seen.append(f"{name}: {url}")
    assert seen == []
    # Its author and the study team do see it.
    assert SECRET in author.get(f"/panels/{cast.panel.id}/my-feedback").get_data(as_text=True)
    team_page = client_as("researcher").get(f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/1")
    assert SECRET in team_page.get_data(as_text=True)
    db.session.expire_all()
    recipients = {
        message.to_address
        for message in db.session.scalars(select(OutboxMessage))
        if SECRET in message.text_body
    }
    assert recipients == {cast.people["member"].email}


# Ways people have made browsers run text as code.
XSS_PAYLOADS = (
    '<script>alert("x1")</script>',
    '<img src=x onerror=alert("x2")>',
    "<svg onload=alert('x3')>",
    '"><script>alert("x4")</script>',
    "'><img src=x onerror=alert('x5')>",
    '</textarea><script>alert("x6")</script>',
    '[click me](javascript:alert("x7"))',
    "<a href=\"javascript:alert('x8')\">link</a>",
    "<iframe src=\"javascript:alert('x9')\"></iframe>",
    '<details open ontoggle=alert("x10")>',
    "<style>body{display:none}</style>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("x11")>',
    '![picture](https://example.org/x.png" onerror="alert(1))',
    "<body onload=alert('x12')>",
    "<input autofocus onfocus=alert('x13')>",
    "&lt;script&gt;alert('x14')&lt;/script&gt;",
    "<a href=\"jav&#x09;ascript:alert('x15')\">tab</a>",
    "<<script>script>alert('x16')<</script>/script>",
    "{{ config }} {% raw %} ${alert('x17')}",
)
CORPUS = "\n\n".join(XSS_PAYLOADS)
DANGEROUS_TAGS = {"img", "svg", "iframe", "object", "embed", "style", "math", "base", "body"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class _Danger(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.body_tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "body":
            self.body_tags += 1
            if self.body_tags > 1 or any(name.startswith("on") for name in found):
                self.found.append(f"<{tag}>")
            return
        if tag in DANGEROUS_TAGS - {"body"}:
            self.found.append(f"<{tag}>")
        if tag == "script" and not (found.get("src") or found.get("nonce")):
            self.found.append("<script> without src or nonce")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            cleaned = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and cleaned.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value}>")


def assert_harmless(html: str, where: str) -> None:
    parser = _Danger()
    parser.feed(html)
    assert parser.found == [], f"{where}: {parser.found}"


def test_script_in_every_feedback_field_is_shown_as_harmless_text(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    member, researcher = client_as("member"), client_as("researcher")
    panel = cast.panel.id
    version = f"/panels/{panel}/drafts/{draft.id}/versions/1"
    checked: dict[str, str] = {}

    refused = post_comment(member, cast, draft, CORPUS + "a" * 2000, visibility="panel")
    checked["comment over the limit"] = refused.get_data(as_text=True)
    assert "characters too many" in checked["comment over the limit"]
    post_comment(member, cast, draft, CORPUS, visibility="panel", shown_as="pseudonym")
    comment = last_comment()
    assert comment.body == CORPUS  # stored as typed; made safe only when shown
    entry = db.session.scalars(select(FeedbackEntry)).one()

    entry_url = f"/panels/{panel}/inbox/{entry.id}"
    first_page = researcher.get(entry_url).get_data(as_text=True)
    triage = {"status": "not_actioned", "reason": CORPUS, "assignee_id": "", "response": CORPUS}
    assert (
        researcher.post(entry_url, data={**hidden_inputs(first_page), **triage}).status_code == 302
    )
    conflict = researcher.post(
        entry_url, data={**hidden_inputs(first_page), **triage, "response": CORPUS + "!"}
    )
    assert conflict.status_code == 409
    checked["triage conflict"] = conflict.get_data(as_text=True)
    bad_duplicate = submit_form(
        researcher, entry_url, {**triage, "status": "duplicate", "duplicate_of": CORPUS}
    )
    checked["triage error"] = bad_duplicate.get_data(as_text=True)
    inbox_page = researcher.get(f"/panels/{panel}/inbox").get_data(as_text=True)
    bulk = researcher.post(
        f"/panels/{panel}/inbox/change-status",
        data={
            **hidden_inputs(inbox_page),
            "entry_ids": ["not a number", CORPUS],
            "status": "actioned",
        },
    )
    checked["bulk change with nonsense"] = bulk.get_data(as_text=True)
    assert bulk.status_code in (200, 302)

    checked["version page, author"] = member.get(version).get_data(as_text=True)
    checked["version page, chair"] = client_as("chair").get(version).get_data(as_text=True)
    checked["version page, team"] = researcher.get(version).get_data(as_text=True)
    checked["change comment"] = member.get(f"/panels/{panel}/comments/{comment.id}/edit").get_data(
        as_text=True
    )
    checked["withdraw comment"] = member.get(
        f"/panels/{panel}/comments/{comment.id}/withdraw"
    ).get_data(as_text=True)
    checked["inbox"] = researcher.get(f"/panels/{panel}/inbox").get_data(as_text=True)
    checked["triage entry"] = researcher.get(entry_url).get_data(as_text=True)
    checked["my feedback"] = member.get(f"/panels/{panel}/my-feedback").get_data(as_text=True)
    checked["home"] = member.get("/").get_data(as_text=True)
    db.session.expire_all()
    for message in db.session.scalars(select(OutboxMessage)):
        checked[f"email to {message.to_address}"] = message.html_body

    for where, html in checked.items():
        assert_harmless(html, where)
    # The words are still there for people to read, as text.
    for where in ("version page, chair", "my feedback", "triage entry"):
        assert "alert(" in checked[where], where
    assert "&lt;/textarea&gt;&lt;script&gt;" in checked["change comment"]
