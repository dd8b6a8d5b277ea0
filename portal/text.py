"""User text to safe HTML: the one place where what people write becomes markup.

People write in a small Markdown subset (paragraphs, lists, bold, italic, links). It is
rendered, then cleaned with bleach so only that subset survives: no scripts, no styles, no
images, no attributes except a link's address, and only web and email addresses as links.
Templates show saved text through the safe HTML kept beside it in a ``*_html`` column
(``keep_html``): rendered here when the text is saved or changed, so a page shows it without
rendering it again on every view. The ``user_text`` filter is for words that are not a saved
column: what a person just typed and could not save, or words handed to an email.

A translated sentence that carries a person's words (an item's title, a name) is built with
``translated`` or ``lazy_translated`` here: the sentence is the translators' and is trusted, the
values are escaped. Flask-Babel's own lazy strings mark the whole result as safe, values and all.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask
from flask_babel import LazyString, gettext
from jinja2 import Environment
from jinja2.filters import do_truncate
from markupsafe import Markup
from sqlalchemy import Text, event
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.types import TypeDecorator

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


class _Renderers:
    """A Markdown parser and a bleach cleaner for one thread: neither is safe to share between
    threads, and building them for every piece of text is most of the cost."""

    def __init__(self) -> None:
        # Imported on first use: most requests show stored HTML and never need them.
        import bleach
        import markdown
        from bleach.linkifier import LinkifyFilter

        self.markdown = markdown.Markdown(output_format="html")
        self.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags=None)],
        )


_per_thread = threading.local()


def _renderers() -> _Renderers:
    """This thread's renderers, built the first time it renders anything."""
    renderers: _Renderers | None = getattr(_per_thread, "renderers", None)
    if renderers is None:
        renderers = _per_thread.renderers = _Renderers()
    return renderers


def render_user_text(source: str | None) -> Markup:
    """Markdown-subset text as safe HTML. Anything outside the subset is removed, not run."""
    if not source:
        return Markup("")
    # What people type is text: "<b>" or "<3" is shown as typed, never read as markup.
    escaped = html.escape(source, quote=False)
    renderers = _renderers()
    rendered = renderers.markdown.reset().convert(escaped)
    cleaned = renderers.cleaner.clean(rendered)
    return Markup(with_own_direction(cleaned))  # noqa: S704  (cleaned by bleach just above)


def with_own_direction(cleaned: str) -> str:
    """Each paragraph and list item of cleaned HTML takes its direction from its own words
    (``dir="auto"``), so English typed into an Urdu page, or Urdu into an English one, reads
    in the right order. Only the bare tags that bleach leaves are touched."""
    return cleaned.replace("<p>", '<p dir="auto">').replace("<li>", '<li dir="auto">')


def plain_text(source: str | None) -> str:
    """User text with every tag removed: for emails' text parts, exports and titles."""
    if not source:
        return ""
    import bleach

    return bleach.clean(source, tags=set(), strip=True)


# --- safe HTML kept beside its source -------------------------------------------------------

PREVIEW_LENGTH = 400
_TRUNCATING = Environment(autoescape=True)


def render_preview(source: str | None) -> Markup:
    """The start of a text (as the ``truncate`` filter cuts it) as safe HTML: for lists."""
    return render_user_text(do_truncate(_TRUNCATING, source or "", PREVIEW_LENGTH))


class StoredHTML(TypeDecorator[str]):
    """Safe HTML made by this module from a person's text, read back ready to show.

    Only ``keep_html`` writes these columns, so what is read back was cleaned by bleach.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str:
        return str(value or "")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Markup:
        # Rows saved before paragraphs carried their own direction get it as they are read.
        return Markup(with_own_direction(value or ""))  # noqa: S704  (written by render_user_text)


def keep_html(
    source: InstrumentedAttribute[str],
    target: InstrumentedAttribute[str],
    render: Callable[[str | None], Markup] = render_user_text,
) -> None:
    """Whenever ``source`` is given a value, render it into ``target`` on the same object.

    The ORM calls this for new objects and every change, so the HTML cannot fall behind the
    text it shows (an edited comment shows its new words at once).
    """

    def rendered(obj: Any, value: str | None, _old: Any, _initiator: Any) -> str | None:
        setattr(obj, target.key, render(value))
        return value

    event.listen(source, "set", rendered, retval=True)


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


class PlainSentence:
    """A sentence worded when it is turned into text, in the language in force then: for an
    email's subject, made by whoever acts but read by someone who may read another language.

    Plain text, not markup: it has no ``__html__``, so a template escapes it like any string.
    """

    __slots__ = ("sentence", "values")

    def __init__(self, sentence: str, values: dict[str, object]) -> None:
        self.sentence = sentence
        self.values = values

    def __str__(self) -> str:
        return gettext(self.sentence, **self.values)  # type: ignore[arg-type]


def plain_later(sentence: str, **values: object) -> PlainSentence:
    """``sentence`` with ``values``, worded later in the reader's language (see PlainSentence)."""
    return PlainSentence(sentence, values)


def is_web_address(value: object) -> bool:
    """Is ``value`` a web address that may be a link's target? Forms accept only these; the
    templates check again, so a stored ``javascript:`` address is shown as text, never linked."""
    return isinstance(value, str) and value.strip().lower().startswith(("https://", "http://"))


def init_text(app: Flask) -> None:
    app.add_template_filter(render_user_text, "user_text")
    app.add_template_test(is_web_address, "web_address")
