"""Every PDF comes from ``portal/pdf.py``: readable text, tagged for screen readers, and made
without reaching out to any address a page names."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

from pypdf import PdfReader

from portal.pdf import pdf_from_html


class _Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        _Counting.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_pdf_holds_the_text_is_tagged_and_fetches_nothing() -> None:
    server = HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    address = f"http://127.0.0.1:{server.server_port}"
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>Statement</title>'
        f'<link rel="stylesheet" href="{address}/style.css"></head><body>'
        "<h1>Involvement statement</h1><p>Paid £12.50 on 3 December 2026</p>"
        f'<img src="{address}/tracker.png" alt="">'
        f'<p style="background: url({address}/background.png)">Thank you</p></body></html>'
    )
    try:
        made = pdf_from_html(page, title="Statement", made_at=datetime(2026, 12, 3, tzinfo=UTC))
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

    assert _Counting.hits == [], "a PDF never fetches what its page names"
    reader = PdfReader(io.BytesIO(made))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Involvement statement" in text
    assert "Paid £12.50 on 3 December 2026" in text
    assert reader.metadata.title == "Statement"
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "the PDF is tagged, so screen readers can follow it"
    assert catalog["/Lang"] == "en"


def test_the_same_page_made_twice_is_the_same_file() -> None:
    """A copy of what a member saw can be made again and compared byte for byte."""
    page = '<!DOCTYPE html><html lang="en"><head><title>A</title></head><body><p>Same</p></body>'
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert pdf_from_html(page, title="A", made_at=moment) == pdf_from_html(
        page, title="A", made_at=moment
    )
