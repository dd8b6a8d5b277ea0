"""The box beside each row of a list and each row of the attendance sheet are written out by
hand for speed, and the status tag is NHS.UK's tag kept once rendered: all must stay the markup
NHS.UK's checkboxes, tag and radios macros give (white space aside)."""

from __future__ import annotations

import re

import pytest
from flask import Flask, render_template_string

NHSUK = """{% from "nhsuk/components/checkboxes/macro.jinja" import checkboxes %}{{ checkboxes({
  "idPrefix": id, "name": "entry_ids", "small": true,
  "formGroup": {"classes": "nhsuk-u-margin-bottom-2"},
  "items": [{"value": value, "text": label, "checked": checked}]}) }}"""
OURS = """{% import "macros/forms.html" as f %}{{
  f.checkbox(id, "entry_ids", value, label, checked, small=true) }}"""


def _normal(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*([<>])\s*", r"\1", html)
    return re.sub(r" (?=[ >])", "", html).strip()


@pytest.mark.parametrize(
    ("box_id", "value", "label", "checked"),
    [
        ("entry_ids", 7, "Choose entry 7", True),
        ("entry-12", 12, "Choose entry 12", False),
        ("entry-3", '3" onclick="x', "<b>Approve</b> & pay", False),
    ],
)
def test_the_list_checkbox_is_nhsuk_markup(
    app: Flask, box_id: str, value: object, label: str, checked: bool
) -> None:
    values = {"id": box_id, "value": value, "label": label, "checked": checked}
    with app.test_request_context("/"):
        assert _normal(render_template_string(OURS, **values)) == _normal(
            render_template_string(NHSUK, **values)
        )


def test_the_status_tag_is_nhsuk_markup(app: Flask) -> None:
    from portal.feedback.models import TriageStatus

    nhsuk = """{% from "nhsuk/components/tag/macro.jinja" import tag %}{{
      tag({"text": status_labels[status], "classes": classes}) }}"""
    ours = (
        '{% from "feedback/_status_tag.html" import status_tag %}'
        "{{ status_tag(status, status_labels) }}"
    )
    colours = {"new": "blue", "acknowledged": "aqua-green", "actioned": "green"}
    colours |= {"not_actioned": "grey", "duplicate": "purple"}
    with app.test_request_context("/"):
        for status in TriageStatus:
            values = {
                "status": status,
                "status_labels": {status: "A <label>"},
                "classes": f"nhsuk-tag--{colours[status.value]}",
            }
            assert _normal(render_template_string(ours, **values)) == _normal(
                render_template_string(nhsuk, **values)
            )


NHSUK_RADIOS = """{% from "nhsuk/components/radios/macro.jinja" import radios %}{{ radios({
  "idPrefix": "attendance-5", "name": "attendance-5", "classes": "nhsuk-radios--inline",
  "fieldset": {"legend": {"text": "A <b>member</b> (X1)", "size": "s"}},
  "items": items}) }}"""


def test_an_attendance_row_is_nhsuk_markup(app: Flask) -> None:
    from types import SimpleNamespace

    from flask import render_template

    from portal.meetings.papers_forms import ATTENDANCE_CHOICES, ConfirmForm

    row = SimpleNamespace(
        person=SimpleNamespace(id=5, display_name="A <b>member</b>"), pseudonym_code="X1"
    )
    with app.test_request_context("/"):
        page = render_template(
            "meetings/attendance_record.html",
            meeting=SimpleNamespace(title="A meeting"),
            meeting_url="/",
            form=ConfirmForm(),
            sheet=[row],
            chosen={5: "apologies"},
            errors={},
            choices=ATTENDANCE_CHOICES,
        )
        items = [
            {"value": c.value, "text": str(c.label), "checked": c.value == "apologies"}
            for c in ATTENDANCE_CHOICES
        ]
        nhsuk = _normal(render_template_string(NHSUK_RADIOS, items=items))
    assert nhsuk.count('type="radio"') == 3
    assert nhsuk in _normal(page)
