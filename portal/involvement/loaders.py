"""What the involvement view modules share: the page frame, loading from the URL (another
panel's object, or another member's, is a 404) and the statement downloads, which members and
the study team both use."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template
from flask_babel import force_locale, gettext

from portal.access import found_or_404
from portal.accounts.models import User
from portal.extensions import db
from portal.involvement import statements
from portal.involvement.entries import london_today
from portal.involvement.fields import EXPENSE_LABELS, KIND_LABELS, METHOD_LABELS
from portal.involvement.forms import StatementForm
from portal.involvement.models import EntryStatus, ExpenseStatus
from portal.panels.models import Panel
from portal.panels.service import MEMBERS_AND_CHAIR, active_membership, get_panel
from portal.pdf import PDF_TYPE, render_pdf


def status_labels() -> dict[EntryStatus, str]:
    return {
        EntryStatus.WAITING: gettext("Waiting for approval"),
        EntryStatus.APPROVED: gettext("Approved"),
        EntryStatus.IN_BATCH: gettext("Being paid"),
        EntryStatus.PAID: gettext("Paid"),
        EntryStatus.DECLINED: gettext("Declined"),
        EntryStatus.REMOVED: gettext("Removed"),
    }


def expense_labels() -> dict[ExpenseStatus, str]:
    return {
        ExpenseStatus.CLAIMED: gettext("Waiting for the study team"),
        ExpenseStatus.QUERIED: gettext("The study team has a question"),
        ExpenseStatus.APPROVED: gettext("Approved"),
    }


def page(template: str, panel_id: int, **context: object) -> str:
    return render_template(
        template,
        panel=get_panel(panel_id),
        status_labels=status_labels(),
        expense_labels=expense_labels(),
        kind_labels=KIND_LABELS,
        method_labels=METHOD_LABELS,
        expense_kinds=EXPENSE_LABELS,
        **context,
    )


def panel_member(panel_id: int, user_id: int) -> User:
    """A member or the chair of this panel; anyone else (a researcher, someone of another
    panel) is a 404."""
    membership = active_membership(panel_id, user_id)
    if membership is None or membership.role not in MEMBERS_AND_CHAIR:
        found_or_404(None)
    return found_or_404(db.session.get(User, user_id))


def statement_form() -> StatementForm:
    """The date-range form from the address; empty, it offers this tax year so far."""
    from flask import request

    form = StatementForm(request.args)
    if not request.args:
        today = london_today()
        form.start.data = statements.tax_year_start(today).strftime("%d %m %Y").lstrip("0")
        form.end.data = today.strftime("%d %m %Y").lstrip("0")
    return form


def statement_download(
    panel: Panel, person: User, start: date, end: date, kind: str
) -> Response | None:
    """The statement (``pdf`` or ``csv``) or the letter (``letter``) as a download."""
    statement = statements.statement_for(panel, person, start, end)
    stem = f"involvement-{start.isoformat()}-to-{end.isoformat()}"
    if kind == "csv":
        body = statements.statement_csv(statement, status_labels())
        return _download(body, "text/csv; charset=utf-8", f"{stem}.csv")
    if kind == "pdf":
        title = gettext("Statement of involvement")
        body = render_pdf(
            "involvement_statement.html",
            title=title,
            statement=statement,
            status_labels=status_labels(),
            kind_labels=KIND_LABELS,
        )
        return _download(body, PDF_TYPE, f"{stem}.pdf")
    if kind == "letter":
        # Written for the Jobcentre or a benefits adviser, so always in English, whatever
        # language the member reads the portal in.
        with force_locale("en"):
            title = gettext("Letter about taking part")
            body = render_pdf(
                "involvement_letter.html", title=title, statement=statement, today=london_today()
            )
        return _download(body, PDF_TYPE, f"letter-{start.isoformat()}-to-{end.isoformat()}.pdf")
    return None


def statement_page(panel_id: int, person: User, *, own: bool) -> Response | str:
    """A member's statement page (``own``: the member's own; else the study team's view of it),
    or, when the address asks for a format and the dates are good, the download itself."""
    from flask import request

    form = statement_form()
    if request.args.get("format") and form.validate():
        download = statement_download(
            found_or_404(get_panel(panel_id)),
            person,
            form.start.day,
            form.end.day,  # type: ignore[arg-type]
            request.args["format"],
        )
        if download is not None:
            return download
    return page(
        "involvement/statement.html",
        panel_id,
        form=form,
        person=person,
        own=own,
        organisation=statements.organisation(),
    )


def _download(body: bytes, content_type: str, name: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
