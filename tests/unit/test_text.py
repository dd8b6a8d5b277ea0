"""User text becomes safe HTML in one place: the Markdown subset survives, nothing that runs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from portal.text import StoredHTML, plain_text, render_user_text


def test_the_markdown_subset_is_kept() -> None:
    html = str(
        render_user_text("**bold** and *italic*\n\n- one\n- two\n\n[site](https://example.org)")
    )
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert '<li dir="auto">one</li>' in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>' in html


def test_typed_markup_is_shown_as_typed() -> None:
    html = str(render_user_text("<script>alert(1)</script> <b>x</b> I <3 this"))
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;3" in html


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "javascript:1",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "/relative/address",
    ],
)
def test_only_web_and_email_addresses_become_links(link: str) -> None:
    html = str(render_user_text(f"[click]({link})"))
    assert "href" not in html
    assert "click" in html


def test_email_addresses_and_bare_web_addresses_are_links() -> None:
    html = str(render_user_text("[write](mailto:team@example.org) or www.example.org"))
    assert 'href="mailto:team@example.org"' in html
    assert 'href="http://www.example.org"' in html


def test_many_threads_at_once_get_the_same_result() -> None:
    source = "**Hello** [site](https://example.org)\n\n- a\n- b"
    expected = str(render_user_text(source))
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: str(render_user_text(source)), range(200)))
    assert set(results) == {expected}


def test_plain_text_drops_every_tag() -> None:
    assert plain_text("<b>bold</b> <script>x</script>") == "bold x"


def test_each_paragraph_takes_its_direction_from_its_own_words() -> None:
    """English typed into an Urdu page (and Urdu into an English one) reads in the right order."""
    html = str(render_user_text("We agree.\n\nہم متفق ہیں\n\n- one"))
    assert html.count('dir="auto"') == 3
    assert '<p dir="auto">ہم متفق ہیں</p>' in html


def test_stored_html_saved_before_gets_its_direction_when_read() -> None:
    stored = StoredHTML().process_result_value("<p>Old words</p>", dialect=None)  # type: ignore[arg-type]
    assert stored == '<p dir="auto">Old words</p>'
