"""Translated sentences that carry people's words never let those words become markup."""

from __future__ import annotations

import ast
from pathlib import Path

from flask import Flask
from markupsafe import Markup, escape

from portal.text import lazy_translated, translated
from tests.conftest import make_app

PORTAL = Path(__file__).resolve().parents[2] / "portal"
LAZY_NAMES = {"_l", "lazy_gettext", "lazy_ngettext", "lazy_pgettext", "lazy_npgettext"}
PAYLOAD = '<img src=x onerror="alert(1)">'


def _lazy_calls_with_values(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        # Any value put into a lazy string is marked safe along with the sentence.
        if name in LAZY_NAMES and node.keywords:
            lines.append(node.lineno)
    return lines


def test_no_lazy_translated_string_is_given_values() -> None:
    found = []
    for path in sorted(PORTAL.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [
            f"{path.relative_to(PORTAL.parent)}:{line}" for line in _lazy_calls_with_values(tree)
        ]
    assert found == [], (
        "these lazy strings are given values, which Jinja would print as markup; use "
        "portal.text.translated or lazy_translated instead: " + ", ".join(found)
    )


def test_the_scan_finds_a_lazy_string_given_a_value() -> None:
    tree = ast.parse('label = _l("Item: %(title)s", title=title)\nok = _l("Plain words")\n')
    assert _lazy_calls_with_values(tree) == [1]


def test_a_value_is_escaped_and_the_sentence_is_kept() -> None:
    app: Flask = make_app("sqlite://")
    with app.test_request_context():
        label = translated("Item: %(title)s", title=PAYLOAD)
        assert isinstance(label, Markup)
        assert label == Markup("Item: ") + escape(PAYLOAD)
        assert "<img" not in str(escape(label))
        assert translated("Version %(number)d", number=3) == "Version 3"
        lazy = lazy_translated("This must be %(limit)d characters or less", limit=2000)
        assert str(lazy) == "This must be 2000 characters or less"
        assert "<img" not in str(lazy_translated("My name (%(name)s)", name=PAYLOAD))
