"""NHS.UK frontend's components, each rendered once for each set of parameters it is given.

Every NHS.UK component (a button, a select menu, the footer, a pagination) is a macro whose
markup depends on nothing but the parameters passed to it: its templates see no request, no
person and no page. Pages call many of them with the same parameters on every view (the footer,
the inbox's filters, a form's buttons), and rendering one is hundreds of small Jinja calls; on
the inbox it was a third of the page's time.

``ComponentLoader`` serves each ``nhsuk/components/<name>/macro.jinja`` as a macro of the same
name that asks ``nhsuk_component`` for the markup; the original file is served as
``nhsuk-original/components/<name>/macro.jinja`` and renders the markup when those parameters
have not been seen. The key is the whole of the parameters, with markup told apart from text
and every value's type kept, so what is kept is exactly what the component gives for them:
nothing about who asked is part of it, and a changed word is a different key. Parameters that
cannot be keyed (anything but text, markup, numbers, booleans, None, and lists and mappings of
them) are rendered every time, and so is a component called with a block of content
(``{% call %}``). The most recently used ``MAX_KEPT`` are kept, in each worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import BaseLoader, Environment, Undefined
from markupsafe import Markup

ORIGINAL = "nhsuk-original/"
MACRO_FILE = re.compile(r"nhsuk/components/([a-z-]+)/macro\.jinja")
MACRO_NAME = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(")
# Enough for every component of the busiest pages many times over; each is a few kilobytes.
MAX_KEPT = 512

_WRAPPER = (
    "{%% macro %(name)s(params = {}) %%}"
    "{{ nhsuk_component(%(component)r, %(name)r, params, caller) }}{%% endmacro %%}"
)


class ComponentLoader(BaseLoader):
    """NHS.UK's templates, with each component's macro file answered from ``nhsuk_component``."""

    def __init__(self, original: BaseLoader) -> None:
        self.original = original

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template.startswith(ORIGINAL):
            return self.original.get_source(environment, "nhsuk/" + template[len(ORIGINAL) :])
        found = MACRO_FILE.fullmatch(template)
        source, filename, uptodate = self.original.get_source(environment, template)
        if found is None:
            return source, filename, uptodate
        wrappers = "".join(
            _WRAPPER % {"name": name, "component": found.group(1)}
            for name in MACRO_NAME.findall(source)
        )
        return wrappers, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.original.list_templates()


class _Unkeyable(Exception):
    """A parameter that cannot be part of a key: the component is rendered as it stands."""


_MARKUP = "markup"
_DICT = "mapping"
_LIST = "list"


def _key(value: Any) -> Any:
    """``value`` as a key: the same only for values a component shows the same way. Called for
    every value of every component a page shows, so the commonest types are tried first."""
    kind = type(value)
    if kind is str:
        return value
    if kind is dict:
        return (_DICT, tuple([(name, _key(item)) for name, item in value.items()]))
    if kind is list or kind is tuple:
        return (_LIST, tuple([_key(item) for item in value]))
    if kind is int or kind is bool or kind is float or value is None:
        return (kind, value)  # the type keeps True, 1 and 1.0 apart
    if kind is Markup:
        return (_MARKUP, str(value))
    if isinstance(value, Undefined):
        raise _Unkeyable
    if hasattr(value, "__html__"):  # a lazy translation, which is escaped as markup
        return (_MARKUP, str(value.__html__()))
    if isinstance(value, Mapping):
        return (_DICT, tuple([(name, _key(item)) for name, item in value.items()]))
    raise _Unkeyable


def _value(key: Any) -> Any:
    if type(key) is str:
        return key
    kind, held = key
    if kind == _MARKUP:
        return Markup(held)  # noqa: S704  (markup when it was keyed)
    if kind == _DICT:
        return {name: _value(item) for name, item in held}
    if kind == _LIST:
        return [_value(item) for item in held]
    return held


class Components:
    """The markup of one component for the given parameters, kept for the next time.

    Called as ``nhsuk_component`` by the macro files ``ComponentLoader`` serves, and as
    ``kept_macro(file, name, params)`` by a portal template for a macro of its own that follows
    the same rule: it reads nothing but its parameters (every word it shows, translated, is one
    of them), so what it gives for the same parameters is always the same.
    """

    def __init__(self, environment: Environment) -> None:
        self.environment = environment
        self.kept = lru_cache(maxsize=MAX_KEPT)(self._render_key)

    def render(self, component: str, name: str, params: Any, caller: Any = None) -> Markup:
        macro_file = f"{ORIGINAL}components/{component}/macro.jinja"
        if caller is not None and not isinstance(caller, Undefined):
            # Called with a block ({% call %}): the block's own markup is the content.
            return self._render(macro_file, name, params, caller=caller)
        return self.macro(macro_file, name, params)

    __call__ = render

    def macro(self, macro_file: str, name: str, params: Any) -> Markup:
        try:
            key = _key(params)
        except _Unkeyable:
            return self._render(macro_file, name, params)
        return self.kept(macro_file, name, key)

    def _render_key(self, macro_file: str, name: str, key: Any) -> Markup:
        return self._render(macro_file, name, _value(key))

    def _render(self, macro_file: str, name: str, params: Any, **block: Any) -> Markup:
        macro = getattr(self.environment.get_template(macro_file).module, name)
        return Markup(macro(params, **block))  # noqa: S704  (what the macro gave)


def init_components(environment: Environment) -> None:
    components = Components(environment)
    environment.globals["nhsuk_component"] = components
    environment.globals["kept_macro"] = components.macro
