"""A review round's results, reminders and exports (study team), on the rounds blueprint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_translations, gettext, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.access import Action, found_or_404, panel_page
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.drafts.forms import KIND_LABELS
from portal.forms import PortalForm
from portal.ids import page_number
from portal.paging import Page
from portal.panels.service import get_panel
from portal.rounds import export, reminders, results
from portal.rounds.blueprint import bp
from portal.rounds.models import Resonance, ReviewRound
from portal.security import csrf_checked_by_form
from portal.spreadsheets import csv_zip_bytes, workbook_bytes
from portal.templating import london_time

ANSWER_LABELS = {
    Resonance.STRONGLY: _l("Yes, strongly"),
    Resonance.PARTLY: _l("Yes, partly"),
    Resonance.NO: _l("No"),
    Resonance.NOT_SURE: _l("Not sure"),
}
ROUND = "/<int:draft_id>/rounds/<int:round_id>"
# The lists on the results page, each with its own page number in the address.
LISTS = ("people", "said", "missing", "other")


def answer_labels() -> dict[Resonance, str]:
    return {answer: str(label) for answer, label in ANSWER_LABELS.items()}


def item_results(tallies: list[results.ItemTally]) -> list[dict[str, Any]]:
    """Each item's answers as the parameters of its chart and table
    (``templates/rounds/_item_result.html``), every word translated here: the same answers in
    the same language always give the same markup, so it is rendered once and kept.

    The translations are looked up once for the page, not once for each of some 300 sentences.
    """
    words = get_translations()
    labels = answer_labels()
    headings = {
        "question": words.ugettext("Does it match their lived experience?"),
        "people": words.ugettext("People"),
        "share": words.ugettext("Share"),
        "total": words.ugettext("Total who answered"),
    }
    # The sentence is ours and the translators'; Markup's % escapes the item's title.
    heading = Markup(words.ugettext("Item %(number)d: %(title)s"))  # noqa: S704
    chart_title = words.ugettext("Bar chart of answers about item %(number)d")
    caption = words.ugettext("Answers about item %(number)d")
    people: dict[int, str] = {}
    shown = []
    for tally in tallies:
        item = tally.item
        lines = []
        for line in tally.lines:
            if line.count not in people:
                said = words.ungettext("%(num)d person", "%(num)d people", line.count)
                people[line.count] = said % {"num": line.count}
            lines.append(
                {
                    "label": labels[line.answer],
                    "count": line.count,
                    "share": line.share,
                    "people": people[line.count],
                }
            )
        shown.append(
            {
                "id": item.id,
                "heading": heading % {"number": item.position, "title": item.title},
                "chart_title": chart_title % {"number": item.position},
                "caption": caption % {"number": item.position},
                "answered": tally.answered,
                "lines": lines,
                **headings,
            }
        )
    return shown


@dataclass(frozen=True)
class Written:
    """A row of one of the results page's lists with its sentences written in the reader's
    language: who it is (``author``), whether their words may be quoted (``quote``) and, for
    the lists that have one, what it is about (``about``)."""

    row: Any
    author: str = ""
    quote: str = ""
    about: str = ""


def _written(
    people: Page[Any], said: Page[Any], missing: Page[Any], other: Page[Any]
) -> dict[str, Page[Written]]:
    """The page's four lists with each row's sentences written for it. Each sentence is
    translated once for the page and filled in for each row (the template escapes what it
    shows), rather than translated again for each of 80 rows."""
    words = get_translations()
    unknown = words.gettext("Unknown")
    quote = (words.gettext("Not to be quoted"), words.gettext("May be quoted"))
    about_item = words.gettext("Item %(number)d: %(title)s")
    sent = words.gettext("Sent %(when)s")
    started = words.gettext("Started, not sent")
    not_started = words.gettext("Not started")
    labels = answer_labels()

    def by(row: Any, about: str = "") -> Written:
        code = row.pseudonym_code or unknown
        author = f"{code} ({row.display_name})" if row.display_name else code
        return Written(row, author=author, quote=quote[bool(row.may_quote)], about=about)

    def on_item(row: Any) -> Written:
        about = about_item % {"number": row.position, "title": row.title}
        return by(row, f"{about} · {labels[row.resonance]}" if row.resonance else about)

    def answers(row: Any) -> Written:
        if row.submitted_at:
            return Written(row, about=sent % {"when": london_time(row.submitted_at, "d MMMM yyyy")})
        return Written(row, about=started if row.started else not_started)

    def written(page: Page[Any], write: Callable[[Any], Written]) -> Page[Written]:
        return replace(page, rows=[write(row) for row in page.rows])  # type: ignore[arg-type]

    return {
        "people": written(people, answers),
        "said": written(said, on_item),
        "missing": written(missing, by),
        "other": written(other, by),
    }


class ReminderForm(PortalForm):
    """The button that sends reminders: only its CSRF token."""


def _load_round(panel_id: int, draft_id: int, round_id: int) -> ReviewRound:
    return found_or_404(results.get_round(panel_id, draft_id, round_id))


def _page_number(name: str) -> int:
    return max(1, request.args.get(name, default=1, type=page_number) or 1)


@bp.get(ROUND + "/results")
@panel_page(Action.RESULTS_VIEW)
def show_results(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    review_round = _load_round(panel_id, draft_id, round_id)
    pages = {name: _page_number(name) for name in LISTS}
    tallies = results.item_tallies(review_round)
    summary = results.response_summary(review_round)
    return render_template(
        "rounds/results.html",
        panel=get_panel(panel_id),
        kind_labels=KIND_LABELS,
        review_round=review_round,
        version=review_round.version,
        draft=review_round.version.draft,
        is_open=review_round.is_open(utcnow()),
        item_results=item_results(tallies),
        summary=summary,
        **_written(
            people=results.respondents(review_round, summary, pages["people"]),
            said=results.item_comments(review_round, tallies, pages["said"]),
            missing=results.missing_actions(review_round, summary, pages["missing"]),
            other=results.other_words(review_round, summary, pages["other"]),
        ),
        last_reminder_at=reminders.last_reminder_at(review_round),
        pages=pages,
    )


@bp.route(ROUND + "/remind", methods=["GET", "POST"])
@panel_page(Action.ROUND_REMIND)
@csrf_checked_by_form
def remind_round(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    review_round = _load_round(panel_id, draft_id, round_id)
    now = utcnow()
    back = url_for(".show_results", panel_id=panel_id, draft_id=draft_id, round_id=round_id)
    if not review_round.is_open(now):
        flash(gettext("This round has closed, so there is nobody to remind."))
        return redirect(back)
    form = ReminderForm()
    if form.validate_on_submit():
        count = reminders.remind_non_responders(review_round, now)
        if count:
            record(
                AuditAction.ROUND_REMINDERS_SENT,
                panel_id=panel_id,
                detail=f"round {review_round.id}: {count} reminded",
            )
        if count:
            flash(
                ngettext(
                    "We have emailed a reminder to %(num)d person.",
                    "We have emailed a reminder to %(num)d people.",
                    count,
                ),
                "success",
            )
        else:
            flash(gettext("Nobody needed a reminder. Nobody was emailed."), "success")
        return redirect(back)
    to_remind = reminders.people_to_remind(review_round, now)
    return render_template(
        "rounds/remind.html",
        panel=get_panel(panel_id),
        review_round=review_round,
        version=review_round.version,
        form=form,
        to_remind=to_remind,
        back=back,
    )


def _download(review_round: ReviewRound, body: bytes, extension: str, mimetype: str) -> Response:
    record(
        AuditAction.ROUND_RESULTS_EXPORTED,
        panel_id=review_round.panel_id,
        detail=f"round {review_round.id}: {extension}",
    )
    filename = f"round-{review_round.id}-results.{extension}"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(ROUND + "/results.xlsx")
@panel_page(Action.RESULTS_VIEW)
def export_results_xlsx(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    review_round = _load_round(panel_id, draft_id, round_id)
    body = workbook_bytes(export.round_sheets(review_round))
    return _download(
        review_round,
        body,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get(ROUND + "/results-csv.zip")
@panel_page(Action.RESULTS_VIEW)
def export_results_csv(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    review_round = _load_round(panel_id, draft_id, round_id)
    body = csv_zip_bytes(export.round_sheets(review_round))
    return _download(review_round, body, "zip", "application/zip")
