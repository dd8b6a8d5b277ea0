"""The involvement pages load what they show up front: the number of queries stays the same
however many people, entries, claims and batches there are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from portal.extensions import db
from portal.involvement.models import ActivityKind, PaymentRule
from tests.factories import add_to_panel, make_user
from tests.involvement_data import add_entry, add_rate, approve, claim, paid_batch
from tests.roles import Cast


def _more(cast: Cast, people: int) -> None:
    researcher_id = cast.people["researcher"].id
    for number in range(people):
        person = make_user(name=f"Member {number}")
        add_to_panel(cast.panel, person)
        made = [add_entry(cast.panel, person.id, researcher_id, f"Part {n}") for n in range(3)]
        approve(cast.panel, [made[0].id, made[1].id], researcher_id)
        paid_batch(cast.panel, [made[0].id], researcher_id)
        claim(cast.panel, person.id, receipt=False)
    member = cast.people["member"]
    for n in range(3):
        add_entry(cast.panel, member.id, researcher_id, f"Mine {n}")
    claim(cast.panel, member.id, receipt=False)
    db.session.commit()


def test_the_pages_query_the_same_however_much_there_is(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    add_rate(cast.panel, ActivityKind.PREPARATION, PaymentRule.PER_HOUR, 2000)
    _more(cast, 1)
    base = f"/panels/{cast.panel.id}"
    pages = {
        "researcher": [
            f"{base}/payments",
            f"{base}/payments/batches",
            f"{base}/payments/batches/1",
            f"{base}/payments/people/{cast.people['member'].id}",
            f"{base}/payments/batches/new?method=voucher",
            "/",
        ],
        "member": [f"{base}/involvement", "/"],
    }
    clients = {role: client_as(role) for role in pages}

    def counts() -> dict[str, int]:
        found = {}
        for role, urls in pages.items():
            for url in urls:
                with count_queries() as log:
                    assert clients[role].get(url).status_code == 200, url
                found[f"{role} {url}"] = log.queries
        return found

    few = counts()
    _more(cast, 4)
    assert counts() == few
