"""A web worker loads only what serving pages needs: heavy libraries wait until they are used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each is several megabytes in every web worker that loads it, and serving pages needs none.
LOADED_WHEN_USED = {
    "alembic": "migrations (flask db, the migration tests)",
    "flask_migrate": "migrations",
    "authlib": "single sign-on",
    "requests": "single sign-on",
    "openpyxl": "spreadsheet exports",
    "icalendar": "calendar files",
    "segno": "the two-step QR code",
    "weasyprint": "PDFs",
    "notifications_python_client": "text messages, sent by the mail worker",
    "textstat": "reading age advice, on the study team's forms",
    "pkg_resources": "reading age advice (textstat reads its word list through it)",
}

SERVE_PAGES = """
import json, sys
from portal import create_app
app = create_app({"ENV": "test", "SECRET_KEY": "k" * 64, "DATABASE_URL": sys.argv[1],
                  "RATELIMIT_STORAGE_URI": "memory://"})
client = app.test_client()
statuses = [client.get(path).status_code for path in ("/sign-in", "/support", "/health")]
print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules)}))
"""


def test_serving_pages_loads_no_heavy_library(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env={"PORTAL_DATABASE_URL": database, "PATH": ""},
        check=True,
        capture_output=True,
    )
    served = subprocess.run(
        [sys.executable, "-c", SERVE_PAGES, database],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(served.stdout.splitlines()[-1])
    assert result["statuses"] == [200, 200, 200]
    loaded = {name.split(".")[0] for name in result["modules"]}
    assert {name: why for name, why in LOADED_WHEN_USED.items() if name in loaded} == {}
