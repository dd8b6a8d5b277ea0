"""The routes the access-matrix and query-budget tests request, and how each one's address is
built from the world (``tests/world.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from werkzeug.routing import Rule as UrlRule

from tests.world import World

# Endpoints that cannot be requested meaningfully by URL alone (files, JSON for scripts…).
NOT_PAGES = {"static", "nhsuk_assets"}


@dataclass(frozen=True)
class Route:
    endpoint: str
    rule: UrlRule

    def url(self, world: World) -> str:
        values = {name: world.value_for(name, self.endpoint) for name in self.rule.arguments}
        return self.rule.build(values, append_unknown=False)[1]  # type: ignore[index]


def routes(app: Flask, method: str) -> list[Route]:
    """Every route that answers ``method``, pages only."""
    return [
        Route(rule.endpoint, rule)
        for rule in app.url_map.iter_rules()
        if method in (rule.methods or set()) and rule.endpoint not in NOT_PAGES
    ]
