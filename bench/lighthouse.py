"""Serve the demo portal with gunicorn on loopback and run Lighthouse on four of its pages.

Called by ``bench/lighthouse.sh``, which installs Lighthouse and names it in LIGHTHOUSE_BIN.
The member's pages are opened signed in: the session cookie from the real sign-in form is
passed to Lighthouse as an extra header.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

from bench.serving import ROOT, TIMEOUT, gunicorn, portal_environment, sign_in

MEMBER = "member1@demo.invalid"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}


def demo_database(env: dict[str, str]) -> str:
    """Build the schema and load the demo; the demo accounts' password."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    loaded = subprocess.run(
        [*flask, "portal", "demo"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    found = re.search(r"password is: (.+)", loaded.stdout)
    if found is None:
        raise RuntimeError(f"the demo printed no password:\n{loaded.stdout}")
    return found.group(1).strip()


def first_link(html: str, pattern: str) -> str | None:
    found = re.search(rf'href="({pattern})"', html)
    return found.group(1) if found else None


def member_pages(base: str, cookies: dict[str, str]) -> dict[str, str]:
    """The member's home, an omission check and a meeting page, found by following links."""
    home = requests.get(base + "/", cookies=cookies, timeout=TIMEOUT).text
    pages = {"member home": "/"}
    round_page = first_link(home, r"/panels/\d+/drafts/\d+/rounds/\d+[^\"]*")
    if round_page:
        start = requests.get(base + round_page, cookies=cookies, timeout=TIMEOUT).text
        check = first_link(start, r"/panels/\d+/drafts/\d+/rounds/\d+/check[^\"]*")
        pages["omission check"] = check or round_page
    meeting = first_link(home, r"/panels/\d+/meetings/\d+")
    if meeting is None:
        listing = requests.get(base + "/meetings", cookies=cookies, timeout=TIMEOUT)
        meeting = first_link(listing.text, r"/panels/\d+/meetings/\d+")
    if meeting:
        pages["meeting page"] = meeting
    return pages


def lighthouse(url: str, cookie_header: str | None, out: Path) -> dict[str, int]:
    """Lighthouse's mobile run of ``url``; its scores out of 100."""
    command = [
        os.environ["LIGHTHOUSE_BIN"],
        url,
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie_header:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie_header}))
    ran = subprocess.run(command, capture_output=True, text=True)
    if ran.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}:\n{ran.stderr[-3000:]}")
    report = json.loads(out.read_text())
    return {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", help="a folder to keep Lighthouse's JSON reports in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-lighthouse-") as folder:
        env = portal_environment(f"sqlite:///{Path(folder) / 'demo.sqlite3'}", "memory://")
        password = demo_database(env)
        reports = Path(args.keep or folder)
        reports.mkdir(parents=True, exist_ok=True)
        with gunicorn("wsgi:app", env, 1) as base:
            cookies = sign_in(base, MEMBER, password)
            cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items())
            pages = {"sign-in page": "/sign-in", **member_pages(base, cookies)}
            rows = []
            for number, (name, path) in enumerate(pages.items()):
                header = None if name == "sign-in page" else cookie_header
                scores = lighthouse(base + path, header, reports / f"{number}.json")
                rows.append((name, path, scores))
                print(f"  {name}: {scores}", flush=True)
    print()
    print("| page | performance | accessibility | best practices |")
    print("|---|---:|---:|---:|")
    missed = False
    for name, path, scores in rows:
        cells = [str(scores[category]) for category in CATEGORIES]
        missed |= any(scores[c] < TARGETS[c] for c in CATEGORIES)
        shown = re.sub(r"/\d+", "/N", path)
        print(f"| {name} (`{shown}`) | " + " | ".join(cells) + " |")
    print()
    print("Targets: performance ≥ 95, accessibility 100, best practices 100.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
