"""A web worker loads only what serving pages needs: heavy libraries wait until they are used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each costs every web worker that loads it memory (from half a megabyte to several), and
# serving these pages needs none.
LOADED_WHEN_USED = {
    "alembic": "migrations (flask db, the migration tests)",
    "flask_migrate": "migrations",
    "authlib": "single sign-on",
    "requests": "single sign-on",
    "cryptography": "single sign-on (checking the identity provider's signed tokens)",
    "openpyxl": "spreadsheet exports",
    "icalendar": "calendar files",
    "segno": "the two-step QR code",
    "weasyprint": "PDFs",
    "notifications_python_client": "text messages, sent by the mail worker",
    "textstat": "reading age advice, on the study team's forms",
    "pkg_resources": "reading age advice (textstat reads its word list through it)",
    "markdown": "rendering members' words, done when they are saved (pages show the stored HTML)",
    "bleach": "cleaning members' words, done when they are saved",
    "email_validator": "forms that take an email address",
    "brotli": "compressing static files, done by the asset build",
}

SERVE_PAGES = """
import json, re, sys
import babel.core, babel.localedata
from portal import create_app
database, seeded = sys.argv[1], json.loads(sys.argv[2])
app = create_app({"ENV": "test", "SECRET_KEY": "k" * 64, "DATABASE_URL": database,
                  "RATELIMIT_STORAGE_URI": "memory://"})
token = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

def signed_in(email):
    client = app.test_client()
    form = client.get("/sign-in").get_data(as_text=True)
    answer = client.post("/sign-in", data={"csrf_token": token.search(form).group(1),
                                           "email": email, "password": seeded["password"]})
    assert answer.status_code == 302, answer.status_code
    return client

panel = f"/panels/{seeded['panel_id']}"
round_ = f"{panel}/drafts/{seeded['draft_id']}/rounds/{seeded['round_id']}"
statuses = [app.test_client().get(path).status_code for path in ("/sign-in", "/support", "/health")]
member = signed_in(seeded["member_email"])
for path in ("/", panel + "/my-feedback", f"{panel}/meetings/{seeded['meeting_id']}"):
    statuses.append(member.get(path).status_code)
team = signed_in(seeded["researcher_email"])
for path in ("/", panel + "/inbox", round_ + "/results",
             f"{panel}/questionnaires/{seeded['questionnaire_id']}/results"):
    statuses.append(team.get(path).status_code)
# Babel's locale data is not a module: it is kept in these two once anything loads it.
locale_data = sorted(babel.localedata._cache) + ["global"] * (babel.core._global_data is not None)
print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules),
                  "locale_data": locale_data}))
"""


def test_serving_pages_loads_no_heavy_library(tmp_path: Path) -> None:
    """Signed in as a member and as the study team, the pages they open most: the home pages,
    My feedback, a meeting, the inbox and the results of a round and of a questionnaire."""
    database = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    env = {"PORTAL_DATABASE_URL": database, "PATH": ""}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    seeded = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--comments=5", "--members=3", "--items=2"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    served = subprocess.run(
        [sys.executable, "-c", SERVE_PAGES, database, seeded],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(served.stdout.splitlines()[-1])
    assert result["statuses"] == [200] * 10
    loaded = {name.split(".")[0] for name in result["modules"]}
    assert {name: why for name, why in LOADED_WHEN_USED.items() if name in loaded} == {}
    assert result["locale_data"] == []  # dates are written by portal.dates
