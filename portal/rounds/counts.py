"""Each item's answer counts in a round, kept up to date as members send and change answers.

The results page reads one ``RoundItemCount`` row for each item instead of counting every
answer, so it costs the same for 500 members as for 5. Only sent omission checks count, and
every change to what they hold comes through here:

- ``count_sent_check``: a member sends their answers for the first time;
- ``count_changed_answer``: they change an answer after sending (the round is still open);
- ``forget_checks``: checks are deleted (a person's erasure with their words, or the end of a
  panel's research record), called just before the delete;
- ``recount``: a round's counts made again from the answers themselves, for data written
  straight to the tables (the demo study and the bench's seed).

Each change is added to the kept numbers in the database (``count = count + change``), never
written as a number read earlier, so two members sending their answers at once both count.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from portal.extensions import db
from portal.rounds.models import ItemAnswer, OmissionCheck, Resonance, RoundItemCount

# Which column counts each answer.
COLUMNS: dict[Resonance, str] = {
    Resonance.STRONGLY: "strongly",
    Resonance.PARTLY: "partly",
    Resonance.NO: "no_match",
    Resonance.NOT_SURE: "not_sure",
}
NUMBERS = (*COLUMNS.values(), "comments")

Key = tuple[int, int]  # (round id, version item id)


def has_comment(comment: str) -> bool:
    """The rule the counts and the results page's list of comments share (comments are kept
    with the spaces around them removed)."""
    return comment != ""


def _changes_of(resonance: Resonance | None, comment: str, sign: int) -> Counter[str]:
    change: Counter[str] = Counter()
    if resonance is not None:
        change[COLUMNS[resonance]] += sign
    if has_comment(comment):
        change["comments"] += sign
    return change


def _add(changes: dict[Key, Counter[str]]) -> None:
    """Add each item's changes to its kept counts, making the row if it is new."""
    rows = [
        {
            "round_id": round_id,
            "version_item_id": item_id,
            **{name: change[name] for name in NUMBERS},
        }
        for (round_id, item_id), change in changes.items()
        if any(change.values())
    ]
    if not rows:
        return
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(RoundItemCount)
    table = RoundItemCount.__table__
    statement = insert.on_conflict_do_update(
        index_elements=["round_id", "version_item_id"],
        set_={name: table.c[name] + insert.excluded[name] for name in NUMBERS},
    )
    db.session.execute(statement, rows)


def count_sent_check(check: OmissionCheck) -> None:
    """Count a check's answers, the first time it is sent (its answers are loaded)."""
    changes: dict[Key, Counter[str]] = {}
    for answer in check.answers:
        key = (check.round_id, answer.version_item_id)
        changes[key] = changes.get(key, Counter()) + _changes_of(
            answer.resonance, answer.comment, 1
        )
    _add(changes)


def count_changed_answer(
    round_id: int,
    item_id: int,
    before: tuple[Resonance | None, str],
    after: tuple[Resonance | None, str],
) -> None:
    """Move one answer of a sent check from what it was (answer, comment) to what it is now."""
    change = _changes_of(*before, -1)
    change.update(_changes_of(*after, 1))
    _add({(round_id, item_id): change})


def _tallied(where: ColumnElement[bool]) -> Any:
    """Each (round, item) of the answers of sent checks matching ``where``, with its numbers."""
    return db.session.execute(
        select(
            OmissionCheck.round_id,
            ItemAnswer.version_item_id,
            *(
                func.count(case((ItemAnswer.resonance == resonance, 1))).label(name)
                for resonance, name in COLUMNS.items()
            ),
            func.count(case((ItemAnswer.comment != "", 1))).label("comments"),
        )
        .join(OmissionCheck, OmissionCheck.id == ItemAnswer.check_id)
        .where(where, OmissionCheck.submitted_at.is_not(None))
        .group_by(OmissionCheck.round_id, ItemAnswer.version_item_id)
    )


def forget_checks(where: ColumnElement[bool]) -> None:
    """Take the answers of the checks matching ``where`` off the counts; call it just before
    deleting those checks."""
    _add(
        {
            (row.round_id, row.version_item_id): Counter(
                {name: -getattr(row, name) for name in NUMBERS}
            )
            for row in _tallied(where)
        }
    )


def recount(round_id: int) -> None:
    """Make a round's counts again from its sent answers."""
    db.session.execute(delete(RoundItemCount).where(RoundItemCount.round_id == round_id))
    _add(
        {
            (row.round_id, row.version_item_id): Counter(
                {name: getattr(row, name) for name in NUMBERS}
            )
            for row in _tallied(OmissionCheck.round_id == round_id)
        }
    )


def counted_now(round_id: int) -> dict[int, dict[str, int]]:
    """Each item's numbers counted from the answers themselves, as the kept ones must be."""
    return {
        row.version_item_id: {name: getattr(row, name) for name in NUMBERS}
        for row in _tallied(OmissionCheck.round_id == round_id)
        if any(getattr(row, name) for name in NUMBERS)
    }


def kept(round_id: int) -> dict[int, dict[str, int]]:
    """Each item's kept numbers (items with none left out)."""
    return {
        row.version_item_id: {name: getattr(row, name) for name in NUMBERS}
        for row in db.session.scalars(
            select(RoundItemCount).where(RoundItemCount.round_id == round_id)
        )
        if any(getattr(row, name) for name in NUMBERS)
    }
