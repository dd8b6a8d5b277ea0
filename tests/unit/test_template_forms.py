"""Forms get their CSRF token from the form macro set, so no template can forget or misspell it."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MACROS = TEMPLATES / "macros" / "forms.html"


def test_no_template_writes_a_csrf_input_by_hand() -> None:
    by_hand = [
        str(path.relative_to(TEMPLATES))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if path != MACROS and 'name="csrf_token"' in path.read_text(encoding="utf-8")
    ]
    assert by_hand == []


def test_every_form_that_posts_renders_a_token() -> None:
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for form in text.split("<form")[1:]:
            form = form.split("</form>", 1)[0]
            if 'method="post"' in form and not any(
                call in form
                for call in ("f.csrf(", "f.hidden_fields(", "csrf_field()", "hidden_tag()")
            ):
                missing.append(str(path.relative_to(TEMPLATES)))
    assert missing == []
