"""Templates look a request's translations up once, and still follow a change of language."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale, refresh

from portal.languages import COOKIE

PAGE = '{{ _("Your account") }} · {{ ngettext("%(num)d entry", "%(num)d entries", 2) }}'


def test_a_page_is_in_the_browsers_language_and_mail_in_its_readers(app: Flask) -> None:
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}=ur"}):
        urdu = render_template_string(PAGE)
        assert "آپ کا اکاؤنٹ" in urdu
        with force_locale("bn"):
            assert "আপনার অ্যাকাউন্ট" in render_template_string(PAGE)
        assert render_template_string(PAGE) == urdu
        with force_locale("en"):
            assert render_template_string(PAGE) == "Your account · 2 entries"
        assert render_template_string(PAGE) == urdu


def test_a_refreshed_language_is_seen(app: Flask) -> None:
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}=ur"}):
        assert "آپ کا اکاؤنٹ" in render_template_string(PAGE)
        with force_locale("bn"):
            refresh()
            assert "আপনার অ্যাকাউন্ট" in render_template_string(PAGE)
