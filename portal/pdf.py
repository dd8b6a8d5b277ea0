"""PDFs: the one place where the portal makes a PDF.

Statements, letters for a benefits adviser and copies of agreements as a member saw them are all
HTML pages from ``templates/pdf/``, rendered here by WeasyPrint. WeasyPrint lays text out with the
system's Pango and HarfBuzz, so right-to-left and joined scripts (Urdu, Bengali, Punjabi) shape
correctly from the fonts the server already has, and it writes tagged PDF/UA files that screen
readers can follow. Nothing is fetched while a PDF is made: every address a page names is refused,
so a person's text can never make the server reach out, and a locked-down server needs nothing
from the internet.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import render_template
from flask_babel import get_locale

from portal.languages import direction

PDF_TYPE = "application/pdf"


def pdf_from_html(html: str, *, title: str, made_at: datetime | None = None) -> bytes:
    """A tagged PDF/UA file of ``html``. ``made_at`` fixes the file's dates (tests, copies)."""
    from weasyprint import HTML  # heavy: loaded when the first PDF is made, not at start-up
    from weasyprint.urls import URLFetcher

    # Only data: addresses are read; any other address is refused and left out of the page.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    document = HTML(string=html, base_url="about:blank", url_fetcher=fetcher)
    moment = (made_at or datetime.now(UTC)).replace(microsecond=0)
    stamp = moment.strftime("%Y%m%d%H%M%S") + "Z"
    return document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_identifier=False,
        custom_metadata=True,
        finisher=_dated(stamp, title),
    )


def _dated(stamp: str, title: str) -> Any:
    def finish(document: Any, pdf: Any) -> None:
        pdf.info["Title"] = _pdf_string(title)
        pdf.info["CreationDate"] = _pdf_string(f"D:{stamp}")
        pdf.info["ModDate"] = _pdf_string(f"D:{stamp}")

    return finish


def _pdf_string(value: str) -> Any:
    from pydyf import String

    return String(value)


def render_pdf(
    template: str, *, title: str, made_at: datetime | None = None, **context: Any
) -> bytes:
    """Render ``templates/pdf/<template>`` (which extends ``pdf/base.html``) to a PDF."""
    language = str(get_locale() or "en")
    html = render_template(
        f"pdf/{template}",
        title=title,
        pdf_language=language,
        pdf_direction=direction(language),
        **context,
    )
    return pdf_from_html(html, title=title, made_at=made_at)
