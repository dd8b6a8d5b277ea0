"""The study team's rates and paying settings, and the panel-wide spreadsheet (by panel code;
an administrator may ask for names from the administration pages)."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import Action, admin_page, found_or_404, panel_page
from portal.audit.service import AuditAction, record
from portal.involvement import rates
from portal.involvement.blueprint import bp
from portal.involvement.entries import london_today
from portal.involvement.export import involvement_workbook
from portal.involvement.fields import RULE_LABELS
from portal.involvement.loaders import page
from portal.involvement.models import ActivityKind, PaymentRule
from portal.involvement.team_forms import PaySettingsForm, RateForm
from portal.panels.service import get_panel
from portal.security import csrf_checked_by_form

TEAM = "/panels/<int:panel_id>/payments"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rates_page(panel_id: int, form: RateForm) -> str:
    today = london_today()
    return page(
        "involvement/rates.html",
        panel_id,
        form=form,
        history=rates.rate_history(panel_id),
        current={rate.id for rate in rates.current_rates(panel_id, today).values()},
        rule_labels=RULE_LABELS,
        today=today,
    )


@bp.get(f"{TEAM}/rates")
@panel_page(Action.INVOLVEMENT_VIEW_ALL)
def show_rates(panel_id: int) -> ResponseReturnValue:
    return _rates_page(panel_id, RateForm(formdata=None, today=london_today()))


@bp.post(f"{TEAM}/rates/new")
@panel_page(Action.INVOLVEMENT_RATES)
@csrf_checked_by_form
def add_rate(panel_id: int) -> ResponseReturnValue:
    form = RateForm(today=london_today())
    if not form.validate_on_submit():
        return _rates_page(panel_id, form)
    rates.add_rate(
        panel_id,
        rates.RateDetails(
            kind=ActivityKind(form.kind.data),
            rule=PaymentRule(form.rule.data),
            amount_pence=form.amount.pence or 0,
            extra_pence=form.extra.pence or 0,
            extra_label=(form.extra_label.data or "").strip(),
            usual_minutes=form.usual_hours.minutes,
            source=(form.source.data or "").strip(),
            source_date=form.source_date.day,  # type: ignore[arg-type]
            effective_from=form.effective_from.day,  # type: ignore[arg-type]
        ),
        current_user.id,
    )
    flash(gettext("Rate saved. Entries already made keep the rate they were made with."), "success")
    return redirect(url_for(".show_rates", panel_id=panel_id))


@bp.route(f"{TEAM}/settings", methods=["GET", "POST"])
@panel_page(Action.INVOLVEMENT_RATES)
@csrf_checked_by_form
def pay_settings(panel_id: int) -> ResponseReturnValue:
    form = PaySettingsForm()
    if not form.is_submitted():
        settings = rates.pay_settings(panel_id)
        form.pay_within_weeks.data = settings.pay_within_weeks
        form.other_way.data = settings.other_way
    if form.validate_on_submit():
        rates.save_pay_settings(
            panel_id, form.pay_within_weeks.data or 4, (form.other_way.data or "").strip()
        )
        flash(gettext("Settings saved."), "success")
        return redirect(url_for(".owed_list", panel_id=panel_id))
    return page("involvement/pay_settings.html", panel_id, form=form)


def _workbook(panel_id: int, with_names: bool) -> Response:
    found_or_404(get_panel(panel_id))
    body = involvement_workbook(panel_id, with_names=with_names)
    record(
        AuditAction.INVOLVEMENT_EXPORTED,
        panel_id=panel_id,
        detail="with names" if with_names else "panel codes",
    )
    response = Response(body, content_type=XLSX)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="involvement-panel-{panel_id}.xlsx"'
    )
    return response


@bp.get(f"{TEAM}/involvement.xlsx")
@panel_page(Action.INVOLVEMENT_EXPORT)
def export_involvement(panel_id: int) -> ResponseReturnValue:
    return _workbook(panel_id, with_names=False)


@bp.get("/admin/panels/<int:panel_id>/involvement.xlsx")
@admin_page
def export_involvement_with_names(panel_id: int) -> ResponseReturnValue:
    """Names are for an administrator to ask for, with a reason of their own outside the
    portal; the download is in the audit log."""
    return _workbook(panel_id, with_names=request.args.get("names") == "yes")
