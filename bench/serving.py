"""Serving for the bench: a throwaway database, gunicorn on loopback, signing in, memory."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def throwaway_database(server: str | None, folder: Path) -> Iterator[str]:
    """A new, empty database for one run, removed afterwards.

    With no server, a SQLite file in ``folder``. With a PostgreSQL address, a new database
    on that server (so a database someone else uses, such as the tests', is never touched).
    """
    if not server:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    url = make_url(server)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    name = f"portal_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def portal_environment(database_url: str, rate_limits: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PORTAL_DATABASE_URL": database_url,
            # Every worker must share one key, or a session made by one is refused by another.
            "PORTAL_SECRET_KEY": secrets.token_hex(32),
            "PORTAL_ENV": "development",  # plain http on loopback: cookies without Secure
            "PORTAL_LOG_LEVEL": "ERROR",  # probing for pages is refused now and then
            "PORTAL_BASE_URL": "http://127.0.0.1",
            # Counters in one worker's memory would let each worker allow the full limit.
            "PORTAL_RATELIMIT_STORAGE_URI": rate_limits,
        }
    )
    return env


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
            "--timeout=300",  # a busy machine must not have its workers killed mid-request
            app,
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    MASTERS[base] = process.pid
    try:
        deadline = time.monotonic() + 180  # a busy machine can take a while to import
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
