"""A person chooses their language once, in the footer, on the sign-in page or on their account;
the pages, their emails and their dates follow it, and Urdu pages read right to left."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.support import Translations
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from portal import languages
from portal.db import utcnow
from portal.extensions import db
from portal.meetings import jobs as meeting_jobs
from portal.meetings import service as meetings
from portal.meetings.calendar import feed_token
from portal.meetings.feeds import reset_feed
from portal.meetings.models import MeetingStatus
from portal.templating import london_time, long_date
from tests.conftest import csrf_token_from, submit_form
from tests.factories import PASSWORD, make_user, sign_in
from tests.outbox import last_mail_to, mail_to
from tests.roles import Cast


def said(code: str, msgid: str) -> str:
    """``msgid`` as the catalogue words it in ``code``."""
    return Translations.load(str(languages.CATALOGUES), [code]).gettext(msgid)


def _html_tag(html: str) -> str:
    found = re.search(r"<html[^>]*>", html, re.DOTALL)
    assert found
    return re.sub(r"\s+", " ", found.group(0))


def _choose(client: FlaskClient, code: str, page: str = "/support") -> object:
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post("/language", data={"csrf_token": token, "language": code, "next": page})


def test_an_urdu_reader_gets_an_urdu_page_that_reads_right_to_left(client: FlaskClient) -> None:
    html = client.get("/sign-in", headers={"Accept-Language": "ur, en;q=0.5"}).get_data(True)
    assert 'lang="ur"' in _html_tag(html) and 'dir="rtl"' in _html_tag(html)
    assert said("ur", "Sign in") != "Sign in"
    assert f"<h1>{said('ur', 'Sign in')}</h1>" in html
    assert "right-to-left" in html  # the one stylesheet that mirrors the layout

    english = client.get("/sign-in", headers={"Accept-Language": "en"}).get_data(True)
    assert 'dir="ltr"' in _html_tag(english) and "right-to-left" not in english


def test_every_language_is_offered_in_its_own_name_and_marked_until_it_is_checked(
    client: FlaskClient,
) -> None:
    html = client.get("/support").get_data(as_text=True)
    for code, name in languages.LANGUAGES.items():
        assert f'<span lang="{code}" dir="{languages.direction(code)}">{name}</span>' in html
    # None has been signed off by a fluent speaker yet, so each says so (English never does).
    assert html.count("(being checked)") == len(languages.TRANSLATED)


def test_a_language_signed_off_by_a_fluent_speaker_loses_its_mark(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(languages, "is_reviewed", lambda code: code in ("en", "bn"))
    html = client.get("/support").get_data(as_text=True)
    assert html.count("(being checked)") == len(languages.TRANSLATED) - 1


def test_choosing_in_the_footer_keeps_the_language_in_this_browser(client: FlaskClient) -> None:
    response = _choose(client, "bn")
    assert response.status_code == 302
    assert response.headers["Location"] == "/support"  # back to the page it was chosen on
    cookie = response.headers["Set-Cookie"]
    assert "portal_language=bn" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    html = client.get("/support", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="bn"' in _html_tag(html)
    assert said("bn", "Need support?") in html


def test_a_language_the_portal_does_not_speak_is_refused_with_a_message(
    client: FlaskClient,
) -> None:
    response = _choose(client, "xx")
    assert response.status_code == 302 and "portal_language" not in response.headers.get(
        "Set-Cookie", ""
    )
    html = client.get("/support").get_data(as_text=True)
    assert "Choose one of the languages in the list." in html


def test_the_way_back_is_only_ever_a_page_of_this_site(client: FlaskClient) -> None:
    token = csrf_token_from(client.get("/support").get_data(as_text=True))
    response = client.post(
        "/language", data={"csrf_token": token, "language": "ur", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_a_signed_in_persons_choice_is_kept_on_their_account(
    app: Flask, client: FlaskClient
) -> None:
    member = make_user("amina@example.org")
    sign_in(client, member)
    _choose(client, "ur", page="/account")
    db.session.refresh(member)
    assert member.language == "ur"
    # Another browser, without the cookie, still speaks Urdu to them once they sign in.
    other = app.test_client()
    sign_in(other, member)
    assert 'lang="ur"' in _html_tag(other.get("/account").get_data(as_text=True))


def test_a_language_chosen_on_the_sign_in_page_becomes_the_persons_own(
    client: FlaskClient,
) -> None:
    member = make_user("bilal@example.org")
    _choose(client, "pa", page="/sign-in")
    sign_in(client, member)
    db.session.refresh(member)
    assert member.language == "pa"


def test_a_language_chosen_on_the_account_is_not_overridden_by_a_browsers_cookie(
    client: FlaskClient,
) -> None:
    member = make_user("chen@example.org")
    member.language = "bn"
    db.session.commit()
    _choose(client, "ur", page="/sign-in")
    sign_in(client, member)
    db.session.refresh(member)
    assert member.language == "bn"
    assert 'lang="bn"' in _html_tag(client.get("/account").get_data(as_text=True))


def test_the_account_page_offers_each_language_marked_until_it_is_checked(
    client: FlaskClient,
) -> None:
    sign_in(client, make_user("dara@example.org"))
    html = client.get("/account/language").get_data(as_text=True)
    assert "اردو (being checked)" in html and "বাংলা (being checked)" in html
    assert "ਪੰਜਾਬੀ (being checked)" in html and ">English<" in html.replace("\n", "")


def test_emails_are_worded_in_the_recipients_language_whoever_asks(client: FlaskClient) -> None:
    member = make_user("esa@example.org")
    member.language = "ur"
    db.session.commit()
    # Asked for from an English page: the email still speaks the member's Urdu.
    token = csrf_token_from(client.get("/sign-in/email-link").get_data(as_text=True))
    client.post(
        "/sign-in/email-link",
        data={"csrf_token": token, "email": member.email},
        headers={"Accept-Language": "en"},
    )
    message = last_mail_to(member.email)
    urdu_subject = said("ur", "Your link to sign in to %(service)s")
    assert urdu_subject != "Your link to sign in to %(service)s"
    assert message.subject.startswith(urdu_subject.split("%(service)s")[0].strip()[:10])
    assert re.search("[\u0600-\u06ff]", message.text_body)


def test_dates_follow_the_language_in_uk_time() -> None:
    moment = datetime(2027, 3, 14, 13, 30, tzinfo=UTC)  # 13:30 in London, before the clocks change
    with force_locale("en"):
        assert london_time(moment) == "Sunday 14 March 2027, 1:30pm"
    with force_locale("ur"):
        assert "مارچ" in long_date(date(2027, 3, 14))
        assert "اتوار" in london_time(moment)
    with force_locale("bn"):
        assert "মার্চ" in long_date(date(2027, 3, 14))
    summer = datetime(2027, 7, 1, 12, 0, tzinfo=UTC)
    with force_locale("pa"):
        assert "ਜੁਲਾਈ" in london_time(summer) and "1:00" in london_time(summer)  # 13:00 BST


def test_dates_in_lists_are_the_london_day_in_the_readers_language() -> None:
    # 23:30 UTC on 30 June is half past midnight on 1 July in London (summer time).
    late = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)
    earlier = datetime(2027, 6, 30, 22, 0, tzinfo=UTC)  # 11pm on 30 June in London
    with force_locale("en"):
        assert london_time(late, "d MMMM yyyy") == "1 July 2027"
        assert london_time(earlier, "d MMMM yyyy") == "30 June 2027"
        assert london_time(late, "d MMMM yyyy, h:mma") == "1 July 2027, 12:30am"
        assert london_time(earlier, "d MMMM yyyy, h:mma") == "30 June 2027, 11:00pm"
    with force_locale("ur"):
        assert "جولائی" in london_time(late, "d MMMM yyyy")
    with force_locale("en"):
        assert london_time(late, "d MMMM yyyy") == "1 July 2027"


def test_meeting_invitations_and_reminders_speak_each_members_language(
    app: Flask, cast: Cast
) -> None:
    member = cast.people["member"]
    member.language = "ur"
    db.session.commit()
    start = utcnow() + timedelta(days=6, hours=23)
    meeting = meetings.create_meeting(
        cast.panel.id,
        meetings.MeetingDetails(
            title="Panel meeting 7",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            joining_link="https://meet.example.org/panel",
        ),
        None,
    )
    meetings.publish_meeting(meeting)  # by the chair, whose pages are in English
    db.session.commit()
    assert meeting_jobs.run_due(app) >= 1  # the week-before reminder, from the worker

    to_member = mail_to(member.email)
    invitation = next(m for m in to_member if m.attachment_body)
    reminder = next(m for m in to_member if not m.attachment_body)
    for message in (invitation, reminder):
        # The subject and the meeting's day and month are in Urdu, not the chair's English.
        assert re.search("[\u0600-\u06ff]", message.subject), message.subject
        assert not re.search(
            r"January|February|March|April|May|June|July|August|September|"
            r"October|November|December",
            message.text_body,
        )
    assert said("ur", "Join online: %(link)s").split("%(link)s")[0].strip() in (
        invitation.attachment_body or ""
    ).replace("\r\n ", "")
    chair_mail = mail_to(cast.people["chair"].email)
    assert any("Panel meeting 7" in m.subject and m.subject.isascii() for m in chair_mail)


def test_choosing_on_the_account_page_keeps_it_in_the_browser_too(client: FlaskClient) -> None:
    member = make_user("farah@example.org")
    sign_in(client, member)
    saved = submit_form(client, "/account/language", {"language": "ur"})
    assert "portal_language=ur" in saved.headers["Set-Cookie"]
    # "The language my web browser asks for" forgets the browser's choice as well.
    forgot = submit_form(client, "/account/language", {"language": ""})
    assert "portal_language=;" in forgot.headers["Set-Cookie"]
    html = client.get("/account", headers={"Accept-Language": "bn"}).get_data(as_text=True)
    assert 'lang="bn"' in _html_tag(html)


def test_the_calendar_feed_speaks_its_owners_language(app: Flask, cast: Cast) -> None:
    member = cast.people["member"]
    member.language = "ur"
    start = utcnow() + timedelta(days=9)
    meetings.create_meeting(
        cast.panel.id,
        meetings.MeetingDetails(
            title="Panel meeting 8",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            joining_link="https://meet.example.org/panel",
        ),
        None,
    ).status = MeetingStatus.PUBLISHED
    feed = reset_feed(member.id)
    db.session.commit()
    # Fetched by a calendar program that asks for English, with no session of the member's.
    body = (
        app.test_client()
        .get(
            f"/calendar-feed/{feed_token(member.id, feed.version)}.ics",
            headers={"Accept-Language": "en"},
        )
        .get_data(as_text=True)
        .replace("\r\n ", "")
    )
    assert said("ur", "Panel meetings") in body
    assert said("ur", "Join online: %(link)s").split("%(link)s")[0].strip() in body


def test_a_new_address_is_confirmed_in_the_persons_own_language(client: FlaskClient) -> None:
    member = make_user("gul@example.org")
    member.language = "pa"
    db.session.commit()
    sign_in(client, member)
    submit_form(
        client, "/account/email", {"email": "gul.new@example.org", "current_password": PASSWORD}
    )
    message = last_mail_to("gul.new@example.org")
    assert re.search("[\u0a00-\u0a7f]", message.subject), message.subject
