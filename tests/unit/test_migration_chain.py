"""The migration files read in the order they run: one chain, one head, numbered 0001, 0002, …"""

from __future__ import annotations

import re
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def test_there_is_exactly_one_head() -> None:
    assert len(_scripts().get_heads()) == 1


def test_each_file_is_numbered_by_its_place_in_the_chain() -> None:
    scripts = _scripts()
    oldest_first = list(reversed(list(scripts.walk_revisions())))
    names = [Path(script.path).name for script in oldest_first]
    numbers = [
        int(match.group(1)) if (match := re.match(r"(\d{4})_", name)) else 0 for name in names
    ]
    assert numbers == list(range(1, len(names) + 1)), names
    on_disk = sorted(path.name for path in Path(scripts.versions).glob("*.py"))
    assert on_disk == sorted(names), "a file in versions/ is not part of the chain"
