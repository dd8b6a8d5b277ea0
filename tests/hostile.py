"""Hostile text for security tests, and a check that none of it became markup."""

from __future__ import annotations

from html.parser import HTMLParser

# Each payload marks what it would inject with ``data-xss``, so an element that got through is
# easy to find; the others are addresses and handlers that must never become live.
CORPUS = (
    "<img src=x onerror=alert(1) data-xss>",
    '"><script>alert(2)</script><b data-xss>',
    "'><svg onload=alert(3) data-xss>",
    "javascript:alert(4)",
    "</textarea><img src=x onerror=alert(5) data-xss>",
    '<a href="javascript:alert(6)" data-xss>link</a>',
    "<div onmouseover=alert(7) data-xss>x</div>",
    "[a link](javascript:alert(8))",
    "</option></select><img src=x onerror=alert(9) data-xss>",
    "<iframe srcdoc=x data-xss></iframe>",
)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "data-xss" or name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "iframe":
            self.found.append("<iframe>")


def injected_markup(html: str) -> list[str]:
    """Elements, handlers and addresses in ``html`` that only the corpus could have put there."""
    parser = _Markup()
    parser.feed(html)
    return parser.found
