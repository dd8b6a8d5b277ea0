"""The audit log page: filters, pages, flat query counts, and nothing secret or written by a
member on it."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.audit.models import AuditEvent
from portal.audit.service import AuditAction
from portal.extensions import db
from tests.conftest import submit_form
from tests.factories import make_user
from tests.roles import Cast


def read(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def add_event(
    action: AuditAction,
    when: datetime,
    actor_id: int | None = None,
    subject_user_id: int | None = None,
    panel_id: int | None = None,
    detail: str = "",
) -> None:
    db.session.add(
        AuditEvent(
            action=action.value,
            occurred_at=when,
            actor_id=actor_id,
            subject_user_id=subject_user_id,
            panel_id=panel_id,
            client_address="192.0.2.7",
            detail=detail,
        )
    )
    db.session.commit()


def table(page: str) -> str:
    """The log's table, without the filter form above it."""
    return page.split('<tbody class="nhsuk-table__body">', 1)[-1] if "<tbody" in page else ""


def rows(page: str) -> int:
    return page.count('<tr class="nhsuk-table__row">') - 1  # less the heading row


def test_the_log_shows_who_did_what_to_whom_when_and_from_where(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    admin = cast.people["admin"]
    member = cast.people["member"]
    add_event(
        AuditAction.ROLE_CHANGED,
        datetime(2026, 7, 1, 9, 30, tzinfo=UTC),
        actor_id=admin.id,
        subject_user_id=member.id,
        panel_id=cast.panel.id,
        detail="role: member to chair",
    )
    page = read(client_as("admin").get("/admin/audit?action=role_changed"))
    assert "1 event" in page
    assert "Role changed" in table(page) and "role: member to chair" in page
    assert "1 Jul 2026, 10:30:00" in page  # UK summer time
    assert "An administrator" in page and admin.email in page and "from 192.0.2.7" in page
    assert "A member" in page and "Study panel" in page


def test_filters_by_action_person_and_dates(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    admin = cast.people["admin"]
    amara = make_user(email="amara@example.org", name="Amara Okafor")
    add_event(AuditAction.SIGN_IN_FAILED, datetime(2026, 3, 1, 12, tzinfo=UTC))
    add_event(
        AuditAction.ACCOUNT_DEACTIVATED, datetime(2026, 3, 2, 12, tzinfo=UTC), admin.id, amara.id
    )
    add_event(
        AuditAction.ROLE_CHANGED,
        datetime(2026, 3, 3, 12, tzinfo=UTC),
        admin.id,
        cast.people["chair"].id,
    )
    add_event(
        AuditAction.ROLE_CHANGED, datetime(2026, 3, 4, 23, 30, tzinfo=UTC), admin.id, amara.id
    )
    client = client_as("admin")

    by_action = read(client.get("/admin/audit?action=role_changed"))
    assert "2 events" in by_action and rows(by_action) == 2

    by_person = read(client.get("/admin/audit?person=OKAFOR"))
    assert "2 events" in by_person and "Account closed" in table(by_person)

    by_email = read(client.get("/admin/audit?person=amara@"))
    assert "2 events" in by_email

    # Dates are whole days, from the first to the last, in UK time.
    by_dates = read(client.get("/admin/audit?start=2026-03-02&end=2026-03-03"))
    assert "2 events" in by_dates and "Sign-in failed" not in table(by_dates)

    both = read(client.get("/admin/audit?action=role_changed&person=amara&start=2026-03-04"))
    assert "1 event" in both and "4 Mar 2026, 23:30:00" in both


def test_bad_filters_say_what_is_wrong_and_never_fail(
    client_as: Callable[[str], FlaskClient],
) -> None:
    client = client_as("admin")
    bad_date = client.get("/admin/audit?start=31/02/2026")
    assert bad_date.status_code == 200
    page = read(bad_date)
    assert "There is a problem" in page and "Enter a real date" in page and 'href="#start"' in page
    backwards = read(client.get("/admin/audit?start=2026-05-02&end=2026-05-01"))
    assert "must be the same as or after" in backwards
    unknown = client.get("/admin/audit?action=not_an_action&page=abc")
    assert unknown.status_code == 200 and "There is a problem" in read(unknown)


def test_the_log_is_paged_newest_first_with_filters_kept(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    for minute in range(55):
        add_event(AuditAction.SIGN_OUT, datetime(2026, 4, 1, 10, minute, tzinfo=UTC))
    client = client_as("admin")
    first = read(client.get("/admin/audit?action=sign_out"))
    assert "55 events" in first and "Page 1 of 2" in first and rows(first) == 50
    assert "1 Apr 2026, 11:54:00" in first and "1 Apr 2026, 11:04:00" not in first
    assert "/admin/audit?page=2&action=sign_out" in first
    second = read(client.get("/admin/audit?page=2&action=sign_out"))
    assert rows(second) == 5 and "1 Apr 2026, 11:04:00" in second


def test_the_page_takes_the_same_queries_however_many_events_it_shows(
    client_as: Callable[[str], FlaskClient], cast: Cast, count_queries: Callable
) -> None:
    client = client_as("admin")
    add_event(
        AuditAction.ROLE_CHANGED,
        datetime(2026, 1, 1, tzinfo=UTC),
        actor_id=cast.people["admin"].id,
        panel_id=cast.panel.id,
    )
    with count_queries() as one:
        client.get("/admin/audit?action=role_changed")
    for number in range(20):
        person = make_user()
        add_event(
            AuditAction.ROLE_CHANGED,
            datetime(2026, 1, 2, tzinfo=UTC),
            actor_id=person.id,
            subject_user_id=cast.people["member"].id,
            panel_id=cast.panel.id if number % 2 else cast.other_panel.id,
        )
    with count_queries() as many:
        page = read(client.get("/admin/audit?action=role_changed"))
    assert "21 events" in page
    assert many.count == one.count


def test_the_log_never_shows_a_password_a_link_or_what_a_member_wrote(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    from tests.outbox import last_mail_to, link_in

    password = "my very secret typed password"
    submit_form(
        client_as("anonymous"),
        "/sign-in",
        {"email": cast.people["member"].email, "password": password},
    )
    researcher = client_as("researcher")
    submit_form(
        researcher,
        f"/panels/{cast.panel.id}/members/invite",
        {"email": "new@example.org", "role": "member"},
    )
    token = link_in(last_mail_to("new@example.org"), "/invitations/").rsplit("/", 1)[1]
    page = read(client_as("admin").get("/admin/audit"))
    assert "Sign-in failed" in table(page) and "Invitation sent" in table(page)
    assert password not in page and token not in page


def test_every_kind_of_event_has_a_plain_english_name_in_the_filter() -> None:
    from portal.admin.audit_views import ACTION_LABELS
    from portal.audit.service import AuditAction

    assert set(AuditAction) - set(ACTION_LABELS) == set()
