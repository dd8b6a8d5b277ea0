"""Seed a fresh database, serve the portal with gunicorn on loopback, and measure it.

For each page (a member's home page, the omission-check page, the study team's inbox and a
round's results) it reports requests per second and the median (p50) and 95th-percentile (p95)
time to answer. A trivial Flask route is served the same way in the same run; the ratio of its
requests per second to each page's is the figure to watch, since it does not depend on the
machine.

    .venv/bin/python -m bench.serve_and_measure
    .venv/bin/python -m bench.serve_and_measure --requests 500 --concurrency 8 --workers 4

Run it from the repository's root. It starts and stops its own servers and deletes its database.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEOUT = 30
# The study team's own round pages, never the omission check.
RESULTS_PAGES = {
    "drafts.show_results",
    "drafts.remind_round",
    "drafts.export_results_xlsx",
    "drafts.export_results_csv",
}


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    cookies: dict[str, str]


@dataclass(frozen=True)
class Measurement:
    name: str
    requests: int
    failures: int
    per_second: float
    p50_ms: float
    p95_ms: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def portal_environment(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PORTAL_DATABASE_URL": f"sqlite:///{database}",
            # Every worker must share one key, or a session made by one is refused by another.
            "PORTAL_SECRET_KEY": secrets.token_hex(32),
            "PORTAL_ENV": "development",  # plain http on loopback: cookies without Secure
            "PORTAL_LOG_LEVEL": "ERROR",  # probing for pages is refused now and then
            "PORTAL_BASE_URL": "http://127.0.0.1",
            # Several workers: the rate-limit counters must be shared, as in production.
            "PORTAL_RATELIMIT_STORAGE_URI": os.environ.get(
                "PORTAL_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/14"
            ),
        }
    )
    return env


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
    return {key: str(value) for key, value in json.loads(seeded.stdout).items()}


# The gunicorn master's process id for each address being served.
MASTERS: dict[str, int] = {}


def worker_memory_mb(base: str) -> list[float]:
    """Resident memory of each gunicorn worker serving ``base``, in MB (Linux /proc)."""
    master = MASTERS[base]
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue  # the process ended while we looked
        if fields.get("PPid", "").strip() == str(master) and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int) -> Iterator[str]:
    """Serve ``app`` with gunicorn on a free loopback port until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            app,
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    MASTERS[base] = process.pid
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(base + "/", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start serving {app}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sign_in(base: str, email: str, password: str) -> dict[str, str]:
    """Sign in through the real form; the session's cookies."""
    session = requests.Session()
    page = session.get(base + "/sign-in", timeout=TIMEOUT)
    token = CSRF.search(page.text)
    if token is None:
        raise RuntimeError("the sign-in page has no CSRF token")
    answer = session.post(
        base + "/sign-in",
        data={"csrf_token": token.group(1), "email": email, "password": password},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"could not sign in as {email}: {answer.status_code}")
    return session.cookies.get_dict()


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


def measure(target: Target, total: int, concurrency: int, warm_up: int = 5) -> Measurement:
    """Send ``total`` GETs from ``concurrency`` threads at once; time each one."""
    for _ in range(warm_up):
        requests.get(target.url, cookies=target.cookies, timeout=TIMEOUT)
    timings: list[float] = []
    failures = 0
    lock = threading.Lock()
    remaining = iter(range(total))

    def work() -> None:
        nonlocal failures
        session = requests.Session()
        session.cookies.update(target.cookies)
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            started = time.perf_counter()
            answer = session.get(target.url, timeout=TIMEOUT, allow_redirects=False)
            elapsed = time.perf_counter() - started
            with lock:
                timings.append(elapsed)
                if answer.status_code != 200:
                    failures += 1

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return Measurement(
        name=target.name,
        requests=len(timings),
        failures=failures,
        per_second=len(timings) / wall,
        p50_ms=statistics.median(timings) * 1000,
        p95_ms=cuts[94] * 1000,
    )


def report(results: list[Measurement], baseline: Measurement) -> str:
    lines = [
        f"{'page':<28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'failed':>7} {'trivial÷page':>13}",
    ]
    for result in [baseline, *results]:
        ratio = baseline.per_second / result.per_second if result.per_second else float("inf")
        lines.append(
            f"{result.name:<28} {result.per_second:>8.1f} {result.p50_ms:>8.1f} "
            f"{result.p95_ms:>8.1f} {result.failures:>7} {ratio:>13.1f}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for both apps")
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight at once")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as folder:
        env = portal_environment(Path(folder) / "bench.sqlite3")
        print(
            f"Seeding {args.comments} comments and a round of {args.members} members × "
            f"{args.items} items…",
            flush=True,
        )
        started = time.perf_counter()
        seeded = seed_database(env, args.comments, args.members, args.items)
        print(f"Seeded in {time.perf_counter() - started:.1f} s.", flush=True)
        values = {
            "panel_id": seeded["panel_id"],
            "round_id": seeded["round_id"],
            "draft_id": seeded["draft_id"],
            "number": seeded["version_number"],
            "version_item_id": seeded["first_item_id"],
        }
        drafts_pages = candidate_paths(env, values, "drafts.")
        feedback_pages = candidate_paths(env, values, "feedback.")

        with gunicorn("wsgi:app", env, args.workers) as portal:
            member = sign_in(portal, seeded["member_email"], seeded["password"])
            team = sign_in(portal, seeded["researcher_email"], seeded["password"])
            targets = [Target("member home", portal + "/", member)]
            check = find_page(
                portal,
                member,
                [
                    pair
                    for pair in drafts_pages
                    if "/rounds/" in pair.split()[1] and pair.split()[0] not in RESULTS_PAGES
                ],
                ("check", "answer", "omission"),
            )
            if check:
                targets.append(Target("omission check", portal + check, member))
            else:
                print("Skipping the omission-check page: the portal has no such page yet.")
            inbox = find_page(portal, team, feedback_pages, ("inbox", "triage"))
            if inbox:
                targets.append(Target("inbox", portal + inbox, team))
            else:
                print("Skipping the inbox: the portal has no inbox page yet.")
            meeting_path = f"/panels/{seeded['panel_id']}/meetings/{seeded['meeting_id']}"
            targets.append(Target("meeting page", portal + meeting_path, member))
            results_path = next(
                pair.split()[1] for pair in drafts_pages if pair.split()[0] == "drafts.show_results"
            )
            targets.append(Target("round results", portal + results_path, team))
            for target in targets:
                print(f"  {target.name}: {target.url[len(portal) :]}", flush=True)
            measured = [measure(t, args.requests, args.concurrency) for t in targets]
            portal_memory = worker_memory_mb(portal)

        trivial_env = dict(env)
        with gunicorn("bench.trivial_app:app", trivial_env, args.workers) as trivial:
            baseline = measure(
                Target("trivial Flask route", trivial + "/", {}), args.requests, args.concurrency
            )
            trivial_memory = worker_memory_mb(trivial)

    print()
    print(
        f"gunicorn, {args.workers} workers; {args.requests} requests per page, "
        f"{args.concurrency} at a time; SQLite"
    )
    print(report(measured, baseline))
    print()
    print("Memory of each gunicorn worker after serving those requests (resident, MB):")
    print(f"  portal:              {', '.join(f'{size:.0f}' for size in portal_memory)}")
    print(f"  trivial Flask route: {', '.join(f'{size:.0f}' for size in trivial_memory)}")
    return 1 if any(m.failures for m in measured) else 0


if __name__ == "__main__":
    sys.exit(main())
