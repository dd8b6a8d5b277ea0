"""Text handed to the NHS.UK macros is escaped: a name or title cannot carry a script."""

from __future__ import annotations

from flask import Flask, render_template_string

PAYLOAD = '<script>alert("x")</script>'


def test_a_macro_text_parameter_with_a_script_is_shown_as_text(app: Flask) -> None:
    with app.test_request_context():
        html = render_template_string(
            '{% from "nhsuk/components/hint/macro.jinja" import hint %}'
            '{% from "nhsuk/components/button/macro.jinja" import button %}'
            '{{ hint({"text": payload}) }}{{ button({"text": payload}) }}',
            payload=PAYLOAD,
        )
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 2


def test_html_a_page_builds_on_purpose_is_still_drawn(app: Flask) -> None:
    with app.test_request_context():
        html = render_template_string(
            '{% from "nhsuk/components/hint/macro.jinja" import hint %}'
            "{% set note %}<strong>{{ payload }}</strong>{% endset %}"
            '{{ hint({"html": note}) }}',
            payload=PAYLOAD,
        )
    assert "<strong>&lt;script&gt;" in html
