"""User text to safe HTML: the one place where what people write becomes markup.

People write in a small Markdown subset (paragraphs, lists, bold, italic, links). It is
rendered, then cleaned with bleach so only that subset survives: no scripts, no styles, no
images, no attributes except a link's address, and only web and email addresses as links.
Templates show user text through the ``user_text`` filter and nowhere else.

A translated sentence that carries a person's words (an item's title, a name) is built with
``translated`` or ``lazy_translated`` here: the sentence is the translators' and is trusted, the
values are escaped. Flask-Babel's own lazy strings mark the whole result as safe, values and all.
"""

from __future__ import annotations

import html
import threading
from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from flask import Flask
from flask_babel import LazyString, gettext
from markupsafe import Markup

ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "strong", "em", "a", "br"})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_LINK_STARTS = ("http://", "https://", "mailto:")


def _allowed_link_attribute(tag: str, name: str, value: str) -> bool:
    """A link keeps its address only when it is plainly a web or email address: bleach's own
    check reads some addresses, such as ``javascript:1``, as relative ones and lets them by."""
    if name == "rel":
        return True
    return name == "href" and value.strip().lower().startswith(_LINK_STARTS)


ALLOWED_ATTRIBUTES = {"a": _allowed_link_attribute}


LinkAttributes = dict[tuple[str | None, str], str]


def _set_rel(attrs: LinkAttributes, new: bool = False) -> LinkAttributes:
    attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


class _Renderers(threading.local):
    """A Markdown parser and a bleach cleaner for each thread: neither is safe to share between
    threads, and building them for every piece of text is most of the cost."""

    def __init__(self) -> None:
        self.markdown = markdown.Markdown(output_format="html")
        self.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags=None)],
        )


_renderers = _Renderers()


def render_user_text(source: str | None) -> Markup:
    """Markdown-subset text as safe HTML. Anything outside the subset is removed, not run."""
    if not source:
        return Markup("")
    # What people type is text: "<b>" or "<3" is shown as typed, never read as markup.
    escaped = html.escape(source, quote=False)
    rendered = _renderers.markdown.reset().convert(escaped)
    return Markup(_renderers.cleaner.clean(rendered))  # noqa: S704  (cleaned by bleach just above)


def plain_text(source: str | None) -> str:
    """User text with every tag removed: for emails' text parts, exports and titles."""
    if not source:
        return ""
    return bleach.clean(source, tags=set(), strip=True)


def translated(sentence: str, **values: object) -> Markup:
    """``sentence`` in the reader's language with ``values`` put in escaped: safe to show.

    Only the sentence is trusted markup; whatever a person typed stays text, even inside a
    select's option or a radio's label, which Jinja and WTForms print without escaping again.
    """
    # The sentence comes from the catalogue, written by us and the translators, never by users.
    template = Markup(gettext(sentence))  # noqa: S704
    # Markup's % escapes every value it puts in (and still formats numbers with %d).
    return template % values if values else template


def lazy_translated(sentence: str, **values: object) -> LazyString:
    """``translated``, worked out when shown: for labels and messages made at import time."""
    return LazyString(translated, sentence, **values)


def is_web_address(value: object) -> bool:
    """Is ``value`` a web address that may be a link's target? Forms accept only these; the
    templates check again, so a stored ``javascript:`` address is shown as text, never linked."""
    return isinstance(value, str) and value.strip().lower().startswith(("https://", "http://"))


def init_text(app: Flask) -> None:
    app.add_template_filter(render_user_text, "user_text")
    app.add_template_test(is_web_address, "web_address")
