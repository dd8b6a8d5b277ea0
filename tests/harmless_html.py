"""Script that people might type, and a check that a page built nothing dangerous from it."""

from __future__ import annotations

from html.parser import HTMLParser

XSS_PAYLOADS = (
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "<a href=\"javascript:alert('x')\">click</a>",
    "<iframe src=//example.org></iframe>",
    "[link](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
)


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def assert_harmless(html: str, payload: str) -> None:
    """Fail if the page builds a script, frame, image, style or handler from ``payload``."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in ("iframe", "svg", "img"), f"<{tag}> built from {payload!r}"
        if tag == "script":
            assert "nonce" in attrs or attrs.get("type") == "module", payload
        assert "style" not in attrs, f"a style attribute built from {payload!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} built from {payload!r}"
            if name in ("href", "src", "action"):
                assert not value.strip().lower().startswith("javascript:"), payload
