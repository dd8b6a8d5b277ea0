"""Every filter the study team's inbox offers is answered from an index, on both databases;
so is the results page's look-up of the round's last reminder in the outbox. A long inbox is
counted only up to a limit.

The plans are read with the database's own EXPLAIN: ``EXPLAIN QUERY PLAN`` on SQLite, and
PostgreSQL's ``EXPLAIN`` with sequential scans priced out of reach, so a plan that still reads
the whole table means no index can answer the filter. The inbox holds tens of thousands of
entries in a long study; a page that reads them all slows every researcher's visit.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Select, insert, text

from portal.db import utcnow
from portal.extensions import db
from portal.feedback.models import EntryKind, FeedbackEntry, TriageStatus
from portal.feedback.triage import (
    COUNTED_UP_TO,
    PAGE_SIZE,
    InboxFilters,
    inbox_count_query,
    inbox_rows_query,
    inbox_values,
)
from portal.rounds.reminders import _last_reminder_query, _reminder_range
from tests.factories import make_panel, make_user
from tests.roles import Cast

ENTRIES = 3000

# Each filter, and the column an index must look up for it (beside the panel).
FILTERS = {
    "none": (InboxFilters(), "panel_id"),
    "draft": (InboxFilters(draft_id=3), "draft_id"),
    "site": (InboxFilters(site_id=4), "site_id"),
    "round": (InboxFilters(round_id=5), "round_id"),
    "status": (InboxFilters(status=TriageStatus.ACTIONED), "status"),
    "assignee": (InboxFilters(assignee_id=6), "assignee_id"),
    "nobody assigned": (InboxFilters(assignee_id=0), "assignee_id"),
    "draft and status": (InboxFilters(draft_id=3, status=TriageStatus.NEW), "_id"),
}


def plan_of(query: Select[Any], values: dict[str, Any] | None = None) -> list[str]:
    """How the database would run ``query`` with these values: one line per step."""
    dialect = db.engine.dialect
    query = query.params(values or {})
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        return [str(line) for line in db.session.execute(text(f"EXPLAIN {sql}")).scalars()]
    return [str(row[-1]) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]


def looks_up_by_index(plan: list[str], column: str, table: str = "feedback_entry") -> bool:
    """The table is read only through an index that looks ``column`` up: not the whole
    table, and not every row of the panel checked one by one."""
    if db.engine.dialect.name == "postgresql":
        scans = [line for line in plan if table in line]
        conditions = [line for line in plan if "Index Cond" in line and column in line]
        return bool(scans and conditions) and not any("Seq Scan" in line for line in scans)
    searches = [line for line in plan if table in line]
    return bool(searches) and all(
        line.startswith("SEARCH") and "INDEX" in line and column in line for line in searches
    )


def fill_inbox() -> int:
    """A panel whose inbox holds thousands of entries, nearly all new and assigned, as in a
    long-running study."""
    panel = make_panel("A busy panel")
    person = make_user(name="A member")
    now = utcnow()
    db.session.execute(
        insert(FeedbackEntry),
        [
            {
                "panel_id": panel.id,
                "kind": EntryKind.COMMENT,
                "author_id": person.id,
                "assignee_id": None if number % 50 == 0 else person.id,
                "text": f"Entry {number}",
                "created_at": now,
                "updated_at": now,
            }
            for number in range(ENTRIES)
        ],
    )
    if db.engine.dialect.name == "postgresql":
        # PostgreSQL plans from statistics that its autovacuum keeps fresh; SQLite has none
        # unless asked, and the portal does not ask, so its plans come from the schema alone.
        db.session.execute(text("ANALYZE feedback_entry"))
    return panel.id


@pytest.mark.parametrize("name", list(FILTERS))
def test_each_inbox_filter_finds_its_page_and_its_count_through_an_index(name: str) -> None:
    filters, column = FILTERS[name]
    panel_id = fill_inbox()
    rows_plan = plan_of(inbox_rows_query(filters), inbox_values(panel_id, filters, number=2))
    count_plan = plan_of(inbox_count_query(filters), inbox_values(panel_id, filters))
    assert looks_up_by_index(rows_plan, column), "\n".join(rows_plan)
    assert looks_up_by_index(count_plan, column), "\n".join(count_plan)


def test_the_results_page_finds_the_rounds_last_reminder_through_the_outboxs_index() -> None:
    # The outbox keeps every message ever sent; the results page must not read them all.
    review_round = SimpleNamespace(id=7)
    keys = _reminder_range(review_round)  # type: ignore[arg-type]
    plan = plan_of(_last_reminder_query(), keys)
    assert looks_up_by_index(plan, "dedupe_key", table="outbox_message"), "\n".join(plan)


def test_a_long_inbox_says_more_than_it_counts_and_still_pages_to_the_end(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    # Counting every entry would read each of them on every visit; beyond COUNTED_UP_TO the
    # inbox says "more than" and still lets the team page through to the oldest entry.
    from datetime import timedelta

    author = cast.people["member"]
    start = utcnow()
    extra = 15
    db.session.execute(
        insert(FeedbackEntry),
        [
            {
                "panel_id": cast.panel.id,
                "kind": EntryKind.COMMENT,
                "author_id": author.id,
                "text": f"Entry number {number}",
                "text_html": f"<p>Entry number {number}</p>",
                "preview_html": f"<p>Entry number {number}</p>",
                "created_at": start - timedelta(minutes=number),
                "updated_at": start,
            }
            for number in range(COUNTED_UP_TO + extra)
        ],
    )
    db.session.commit()
    team = client_as("researcher")
    inbox = f"/panels/{cast.panel.id}/inbox"

    first = team.get(inbox).get_data(as_text=True)
    assert f"More than {COUNTED_UP_TO} entries" in first
    assert "Entry number 0<" in first
    assert "Page 2" in first and "Page 2 of" not in first

    last_counted = COUNTED_UP_TO // PAGE_SIZE
    beyond = team.get(f"{inbox}?page={last_counted + 1}").get_data(as_text=True)
    assert f"Entry number {COUNTED_UP_TO}<" in beyond  # the 1001st newest, past those counted
    assert f"Page {last_counted}" in beyond  # a way back
    assert f"Entry number {COUNTED_UP_TO + extra - 1}<" in beyond  # the oldest is on this page
    assert f"?page={last_counted + 2}" not in beyond  # and nothing after it

    # A filter that matches fewer than were counted is counted exactly.
    answered = team.get(f"{inbox}?status=actioned").get_data(as_text=True)
    assert "0 entries" in answered
