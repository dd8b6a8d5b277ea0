"""NHS.UK components are rendered once for each set of parameters and kept: what is kept must
always be exactly what the component gives for those parameters, never what an earlier page
gave for other words (portal.components)."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string
from markupsafe import Markup

from portal.components import MAX_KEPT

# Parameters as the portal's pages pass them: text, markup, numbers, booleans, nesting.
EXAMPLES = [
    ("button", "button", {"text": "Save <and> go", "classes": "nhsuk-button--secondary"}),
    ("tag", "tag", {"text": "New", "classes": "nhsuk-tag--blue"}),
    (
        "select",
        "select",
        {
            "id": "filter-draft",
            "name": "draft",
            "label": {"text": "Draft"},
            "items": [
                {"value": "", "text": "All drafts"},
                {"value": 3, "text": "Priority actions", "selected": True},
                {"value": 4, "text": "Draft & notes", "selected": False},
            ],
        },
    ),
    (
        "pagination",
        "pagination",
        {
            "previous": {"href": "/inbox?page=1", "labelText": "Page 1 of 3"},
            "next": {"href": "/inbox?page=3", "labelText": "Page 3 of 3"},
        },
    ),
    (
        "summary-list",
        "summaryList",
        {"rows": [{"key": {"text": "People asked"}, "value": {"html": Markup("<b>50</b>")}}]},
    ),
    (
        "footer",
        "footer",
        {"meta": {"items": [{"href": "/support", "text": "Need support?"}]}, "copyright": "©"},
    ),
]


def _kept(component: str, macro: str, params: object) -> str:
    return render_template_string(
        f'{{% from "nhsuk/components/{component}/macro.jinja" import {macro} %}}'
        f"{{{{ {macro}(params) }}}}",
        params=params,
    )


def _original(component: str, macro: str, params: object) -> str:
    return render_template_string(
        f'{{% from "nhsuk-original/components/{component}/macro.jinja" import {macro} %}}'
        f"{{{{ {macro}(params) }}}}",
        params=params,
    )


@pytest.mark.parametrize(("component", "macro", "params"), EXAMPLES)
def test_a_kept_component_is_the_components_own_markup(
    app: Flask, component: str, macro: str, params: dict[str, object]
) -> None:
    with app.test_request_context("/"):
        original = _original(component, macro, params)
        assert "<" in original
        assert _kept(component, macro, params) == original
        assert _kept(component, macro, params) == original  # and again, from what was kept


def test_changed_words_are_never_answered_with_the_old_markup(app: Flask) -> None:
    with app.test_request_context("/"):
        first = _kept("tag", "tag", {"text": "Comment from a member"})
        second = _kept("tag", "tag", {"text": "Comment withdrawn"})
    assert "Comment from a member" in first
    assert "Comment withdrawn" in second
    assert "Comment from a member" not in second


def test_text_and_markup_with_the_same_letters_are_kept_apart(app: Flask) -> None:
    with app.test_request_context("/"):
        as_text = _kept("tag", "tag", {"text": "<b>New</b>"})
        as_markup = _kept("tag", "tag", {"text": Markup("<b>New</b>")})
        as_text_again = _kept("tag", "tag", {"text": "<b>New</b>"})
    assert "&lt;b&gt;New&lt;/b&gt;" in as_text
    assert "<b>New</b>" in as_markup
    assert as_text_again == as_text


def test_true_one_and_one_point_nought_are_kept_apart(app: Flask) -> None:
    # They are equal in Python, so a key that forgot the type would answer one with another's.
    with app.test_request_context("/"):
        shown = [_kept("tag", "tag", {"text": value}) for value in (True, 1, 1.0)]
    assert ">True<" in shown[0].replace("\n", "").replace(" ", "")
    assert ">1<" in shown[1].replace("\n", "").replace(" ", "")
    assert ">1.0<" in shown[2].replace("\n", "").replace(" ", "")


def test_parameters_that_cannot_be_keyed_are_rendered_as_they_stand(app: Flask) -> None:
    class Label:
        def __str__(self) -> str:
            return "A label of its own"

    with app.test_request_context("/"):
        page = _kept("button", "button", {"text": Label()})
        missing = render_template_string(
            '{% from "nhsuk/components/button/macro.jinja" import button %}'
            '{{ button({"text": "Go", "href": nothing.here}) }}'
        )
        original_missing = render_template_string(
            '{% from "nhsuk-original/components/button/macro.jinja" import button %}'
            '{{ button({"text": "Go", "href": nothing.here}) }}'
        )
    assert "A label of its own" in page
    assert missing == original_missing
    assert "<button" in missing  # no address: a button, not a link


def test_a_component_called_with_a_block_shows_the_block(app: Flask) -> None:
    with app.test_request_context("/"):
        pages = [
            render_template_string(
                f'{{% from "{folder}/components/button/macro.jinja" import button %}}'
                f'{{% call button({{"text": "Go"}}) %}}{words}{{% endcall %}}'
            )
            for folder in ("nhsuk", "nhsuk-original")
            for words in ("Save this answer", "Send this answer")
        ]
    assert pages[0] == pages[2]
    assert pages[1] == pages[3]
    assert "Save this answer" in pages[0]
    assert "Send this answer" in pages[1]


def test_only_the_most_recently_used_are_kept(app: Flask) -> None:
    components = app.jinja_env.globals["nhsuk_component"]
    with app.test_request_context("/"):
        for number in range(MAX_KEPT + 20):
            _kept("tag", "tag", {"text": f"Entry {number}"})
        assert components.kept.cache_info().currsize == MAX_KEPT
        assert "Entry 3" in _kept("tag", "tag", {"text": "Entry 3"})
