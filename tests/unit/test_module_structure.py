"""The shape of the code: view modules stand alone and portal modules import in one direction.

A view module that imports another, or two modules that import each other, is how blueprints
ended up registering routes from the bottom of files; these tests keep new domains from
slipping back into it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from portal import VIEW_MODULES

PACKAGE = Path(__file__).resolve().parents[2] / "portal"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imported(node: ast.Import | ast.ImportFrom, importer: str) -> set[str]:
    """The portal modules an import statement loads."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in MODULES}
    base = node.module or ""
    if node.level:
        package = importer.split(".")
        if MODULES[importer].name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([base] if base else [])])
    found = set()
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in MODULES:
            found.add(submodule)
        elif base in MODULES:
            found.add(base)
    return found


def _imports(name: str, top_level_only: bool) -> set[str]:
    tree = ast.parse(MODULES[name].read_text(), filename=str(MODULES[name]))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found |= _imported(node, name)
    return found


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in (
        "TYPE_CHECKING",
        "typing.TYPE_CHECKING",
    )


def _run_time_imports(name: str) -> set[str]:
    """Every portal module ``name`` imports when it runs, inside functions too; imports kept
    for type checkers (``if TYPE_CHECKING:``) never run."""
    tree = ast.parse(MODULES[name].read_text(), filename=str(MODULES[name]))
    found: set[str] = set()
    waiting: list[ast.AST] = [tree]
    while waiting:
        node = waiting.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found |= _imported(node, name)
        if _type_checking_only(node):
            assert isinstance(node, ast.If)
            waiting.extend(node.orelse)
        else:
            waiting.extend(ast.iter_child_nodes(node))
    return found - {name}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    circles: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                circles.append([*path[path.index(other) :], other])
            elif other not in state:
                visit(other, [*path, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return circles


def test_no_view_module_imports_another() -> None:
    offenders = {
        name: sorted(other for other in _imports(name, False) if other.endswith("views"))
        for name in MODULES
        if name.endswith("views")
    }
    assert {name: others for name, others in offenders.items() if others} == {}


def test_every_view_module_is_registered_by_the_app() -> None:
    views = {name for name in MODULES if name.endswith("views")}
    assert views == set(VIEW_MODULES)


def test_portal_modules_import_each_other_without_circles() -> None:
    # Imports inside functions run later, once everything is loaded, so only the ones at the
    # top of a module can form a circle that breaks importing it.
    graph = {name: _imports(name, True) - {name} for name in MODULES}
    assert _circles(graph) == []


def test_no_module_reaches_back_for_one_that_imports_it() -> None:
    # An import tucked inside a function hides a circle rather than removing it: the two
    # modules still need each other. Models refer to each other's classes by name instead.
    graph = {name: _run_time_imports(name) for name in MODULES}
    assert _circles(graph) == []


def test_modules_that_name_each_other_do_so_only_for_type_checkers() -> None:
    # Models on both sides of a relationship (a person and their memberships) name each other's
    # classes under ``if TYPE_CHECKING:`` and as strings, so neither imports the other.
    mentions = {name: _imports(name, False) for name in MODULES}
    run_time = {name: _run_time_imports(name) for name in MODULES}
    both_ways = sorted(
        (name, other)
        for name in MODULES
        for other in mentions[name]
        if name < other and name in mentions.get(other, set())
    )
    assert [
        (name, other)
        for name, other in both_ways
        if other in run_time[name] or name in run_time[other]
    ] == []


def test_rounds_build_on_drafts_and_never_the_other_way() -> None:
    # Review rounds are about drafts' published versions, so the rounds domain uses drafts;
    # drafts' own models and services know nothing of rounds. Only the drafts pages that list
    # a draft's rounds ask the rounds service for them.
    reaching_for_rounds = {
        name: sorted(
            other for other in _run_time_imports(name) if other.startswith("portal.rounds")
        )
        for name in MODULES
        if name.startswith("portal.drafts")
    }
    assert {name: found for name, found in reaching_for_rounds.items() if found} == {
        "portal.drafts.views": ["portal.rounds.service"]
    }


# The modules that make up the request layer: they may read the request, the cookie session and
# the signed-in person. Everything else (services, models, jobs) is called by the worker and
# commands too, so it takes what it needs as arguments.
REQUEST_LAYER = {
    "portal",
    "portal.access",
    "portal.accounts.limits",
    "portal.accounts.reauthentication",
    "portal.accounts.sessions",
    "portal.accounts.signin",
    "portal.core.errors",
    "portal.extensions",
    "portal.language_choice",
    "portal.questionnaires.draft_cookie",
    "portal.request_scope",
    "portal.security",
    "portal.templating",
    "portal.transaction",
}
HTTP_NAMES = {
    "abort",
    "current_user",
    "flash",
    "g",
    "login_user",
    "logout_user",
    "redirect",
    "request",
    "session",
    "url_for",
}


def _http_names(name: str) -> set[str]:
    tree = ast.parse(MODULES[name].read_text(), filename=str(MODULES[name]))
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login")
        for alias in node.names
        if alias.name in HTTP_NAMES
    }


def test_services_and_jobs_never_reach_for_the_request() -> None:
    outside = {
        name: sorted(_http_names(name))
        for name in MODULES
        if name not in REQUEST_LAYER and not name.endswith(("views", "loaders"))
    }
    assert {name: names for name, names in outside.items() if names} == {}
