"""Test modules share set-up through helper modules only, never by importing one another.

Importing a test module runs its tests a second time under another name and ties unrelated files
together; shared factories and set-up live in ``tests/*.py`` or ``tests/*/…_helpers.py`` instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _is_test_module(dotted: str) -> bool:
    return dotted.rsplit(".", 1)[-1].startswith("test_")


def _imported_test_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if _is_test_module(module):
                found.append(module)
            found += [
                f"{module}.{alias.name}" for alias in node.names if _is_test_module(alias.name)
            ]
    return found


def test_the_checker_sees_every_way_of_importing_a_test_module(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "import tests.integration.test_rounds\n"
        "from tests.integration.test_rounds import open_round\n"
        "from tests.integration import test_rounds\n"
        "def test_x():\n    from .test_omission_check import XSS_PAYLOADS\n"
        "from tests.integration.round_helpers import open_round\n"
    )
    assert _imported_test_modules(sample) == [
        "tests.integration.test_rounds",
        "tests.integration.test_rounds",
        "tests.integration.test_rounds",
        ".test_omission_check",
    ]


def test_no_test_module_imports_another_test_module() -> None:
    offenders = {
        str(path.relative_to(TESTS)): imported
        for path in sorted(TESTS.rglob("*.py"))
        if (imported := _imported_test_modules(path))
    }
    assert offenders == {}
