"""Seed a fresh database, serve the portal with gunicorn on loopback, and measure it.

Each page a member or the study team opens most (the member's home page and "My feedback", the
omission check, the meeting page, the team's home page, the inbox, a round's results and a
questionnaire's results) is compared with a trivial Flask route served the same way at the same
time: the figure is the median of (trivial route's requests per second ÷ the page's) over
alternating rounds, with the spread of the rounds beside it.

    .venv/bin/python -m bench.serve_and_measure
    .venv/bin/python -m bench.serve_and_measure --database postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python -m bench.serve_and_measure --comments 100000 --members 500

Run it from the repository's root. It starts and stops its own servers and removes its database.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from bench.serving import (
    ROOT,
    TIMEOUT,
    gunicorn,
    portal_environment,
    sign_in,
    throwaway_database,
    worker_memory_mb,
)
from bench.timing import PageResult, Target, compare, table

# The study team's own round pages, never the omission check.
RESULTS_PAGES = {
    "rounds.show_results",
    "rounds.remind_round",
    "rounds.export_results_xlsx",
    "rounds.export_results_csv",
}


def seed_database(env: dict[str, str], comments: int, members: int, items: int) -> dict[str, str]:
    """Build the schema with the real migrations, then seed it (each in its own process)."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    seeded = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.seed",
            f"--comments={comments}",
            f"--members={members}",
            f"--items={items}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if seeded.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{seeded.stderr}")
    _gather_statistics(env["PORTAL_DATABASE_URL"])
    return {key: str(value) for key, value in json.loads(seeded.stdout).items()}


def _gather_statistics(database_url: str) -> None:
    """On PostgreSQL, ``ANALYZE`` the freshly seeded tables, as autovacuum does within a minute
    of a large change in a live database: without it the planner still believes the tables are
    empty and picks plans for that, such as reading the panel's every entry to find one member's."""
    if not database_url.startswith("postgresql"):
        return
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def find_page(
    base: str, cookies: dict[str, str], candidates: list[str], words: tuple[str, ...]
) -> str | None:
    """The first candidate path that answers 200, preferring those whose endpoint has one of
    ``words`` in its name (candidates are "endpoint path" pairs)."""
    ranked = sorted(candidates, key=lambda pair: not any(w in pair.split()[0] for w in words))
    for pair in ranked:
        path = pair.split()[1]
        answer = requests.get(base + path, cookies=cookies, timeout=TIMEOUT, allow_redirects=False)
        if answer.status_code == 200:
            return path
    return None


def candidate_paths(env: dict[str, str], values: dict[str, str], prefix: str) -> list[str]:
    """GET pages of one blueprint whose address needs only what the seed made, as
    "endpoint path" pairs. Read from the application's own routes, in a separate process, so
    this script does not depend on what other parts of the portal name their pages."""
    program = (
        "import sys\n"
        "from portal import create_app\n"
        "app = create_app()\n"
        "values = dict(a.split('=', 1) for a in sys.argv[2:])\n"
        "for rule in app.url_map.iter_rules():\n"
        "    wanted = rule.endpoint.startswith(sys.argv[1]) and 'GET' in rule.methods\n"
        "    if wanted and set(rule.arguments) <= set(values):\n"
        "        args = {name: int(values[name]) for name in rule.arguments}\n"
        "        print(rule.endpoint, rule.build(args, append_unknown=False)[1])\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", program, prefix, *(f"{k}={v}" for k, v in values.items())],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return [line for line in found.stdout.splitlines() if line.strip()]


def pages(portal: str, env: dict[str, str], seeded: dict[str, str]) -> list[Target]:
    """Sign in as a member and as the researcher; the pages to measure, in order."""
    values = {
        "panel_id": seeded["panel_id"],
        "round_id": seeded["round_id"],
        "draft_id": seeded["draft_id"],
        "number": seeded["version_number"],
        "version_item_id": seeded["first_item_id"],
    }
    rounds_pages = candidate_paths(env, values, "rounds.")
    feedback_pages = candidate_paths(env, values, "feedback.")
    member = sign_in(portal, seeded["member_email"], seeded["password"])
    team = sign_in(portal, seeded["researcher_email"], seeded["password"])
    panel = f"/panels/{seeded['panel_id']}"
    targets = [
        Target("member home", portal + "/", member),
        Target("my feedback", portal + panel + "/my-feedback", member),
    ]
    check = find_page(
        portal,
        member,
        [
            pair
            for pair in rounds_pages
            if "/rounds/" in pair.split()[1] and pair.split()[0] not in RESULTS_PAGES
        ],
        ("check", "answer", "omission"),
    )
    if check:
        targets.append(Target("omission check", portal + check, member))
    else:
        print("Skipping the omission-check page: the portal has no such page yet.")
    targets.append(
        Target("meeting page", portal + f"{panel}/meetings/{seeded['meeting_id']}", member)
    )
    targets.append(Target("team home", portal + "/", team))
    inbox = find_page(portal, team, feedback_pages, ("inbox", "triage"))
    if inbox:
        targets.append(Target("inbox", portal + inbox, team))
    else:
        print("Skipping the inbox: the portal has no inbox page yet.")
    results_path = next(
        pair.split()[1] for pair in rounds_pages if pair.split()[0] == "rounds.show_results"
    )
    targets.append(Target("round results", portal + results_path, team))
    questionnaire = f"{panel}/questionnaires/{seeded['questionnaire_id']}/results"
    targets.append(Target("questionnaire results", portal + questionnaire, team))
    return targets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for both apps")
    parser.add_argument("--requests", type=int, default=200, help="requests per page per round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per page")
    parser.add_argument("--warm-up", type=int, default=40, help="uncounted requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight at once")
    parser.add_argument(
        "--database",
        help="a PostgreSQL server (postgresql://user@host:port/db); the bench makes its own "
        "database there and removes it afterwards. Without it: a SQLite file.",
    )
    parser.add_argument(
        "--rate-limits",
        default=os.environ.get("PORTAL_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/13"),
        help="rate-limit storage when more than one worker serves (one worker: in memory)",
    )
    parser.add_argument("--only", action="append", help="measure only pages with these names")
    args = parser.parse_args()
    rate_limits = args.rate_limits if args.workers > 1 else "memory://"

    with (
        tempfile.TemporaryDirectory(prefix="portal-bench-") as folder,
        throwaway_database(args.database, Path(folder)) as database_url,
    ):
        env = portal_environment(database_url, rate_limits)
        engine = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
        print(
            f"Seeding {args.comments} comments and a round of {args.members} members × "
            f"{args.items} items ({engine})…",
            flush=True,
        )
        started = time.perf_counter()
        seeded = seed_database(env, args.comments, args.members, args.items)
        print(f"Seeded in {time.perf_counter() - started:.1f} s.", flush=True)

        with (
            gunicorn("wsgi:app", env, args.workers) as portal,
            gunicorn("bench.trivial_app:app", dict(env), args.workers) as trivial_base,
        ):
            targets = [
                t for t in pages(portal, env, seeded) if not args.only or t.name in args.only
            ]
            trivial = Target("trivial Flask route", trivial_base + "/", {})
            requests.get(trivial.url, timeout=TIMEOUT)
            results: list[PageResult] = []
            for target in targets:
                print(f"  {target.name}: {target.url[len(portal) :]}", flush=True)
                results.append(
                    compare(
                        target,
                        trivial,
                        args.requests,
                        args.concurrency,
                        args.rounds,
                        args.warm_up,
                    )
                )
            portal_memory = worker_memory_mb(portal)
            trivial_memory = worker_memory_mb(trivial_base)

    print()
    print(
        f"{engine}; gunicorn, {args.workers} workers (rate limits: {rate_limits.split(':')[0]}); "
        f"{args.comments} comments, {args.members} members × {args.items} items; "
        f"{args.warm_up} warm-up + {args.rounds} rounds × {args.requests} requests per page, "
        f"{args.concurrency} at a time. trivial ÷ page is the median of the rounds; spread: "
        "each round's ratio."
    )
    print()
    print(table(results))
    print()
    print("Memory of each gunicorn worker after serving those requests (resident, MB):")
    print(f"  portal:              {', '.join(f'{size:.0f}' for size in portal_memory)}")
    print(f"  trivial Flask route: {', '.join(f'{size:.0f}' for size in trivial_memory)}")
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
