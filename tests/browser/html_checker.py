"""The Nu HTML Checker (vnu.jar from npm), run once per test session as a service on loopback.

Starting Java and reading the checker's schemas takes many seconds, so it is started once and
each visited page is posted to it: a check then takes a few milliseconds on a quiet machine.
Java and vnu.jar are real requirements: when either is missing the tests fail with a message,
never skip.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STARTUP_SECONDS = 240  # reading its schemas is slow on a busy two-core machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class HtmlChecker:
    """A running checker; ``errors(html)`` lists what it finds wrong with a page."""

    process: subprocess.Popen[bytes]
    url: str
    ready: bool = False

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the Nu HTML Checker stopped (exit {self.process.returncode})")
            try:
                requests.get(self.url, timeout=2)
            except requests.RequestException:
                time.sleep(0.25)
                continue
            self.ready = True
            return
        pytest.fail(f"the Nu HTML Checker did not start within {STARTUP_SECONDS} seconds")

    def errors(self, html: str) -> list[dict[str, Any]]:
        """Errors in ``html`` (warnings and notes are not failures)."""
        if not self.ready:
            self.wait_until_ready()
        response = requests.post(
            self.url,
            params={"out": "json"},
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            timeout=60,
        )
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return [m for m in messages if m.get("type") in ("error", "non-document-error")]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_html_checker() -> HtmlChecker:
    java = shutil.which("java")
    if not java:
        pytest.fail(
            "Java is not installed; the browser tests check every page with the Nu HTML "
            "Checker. Install Debian's package (apt-get install default-jre-headless).",
            pytrace=False,
        )
    if not VNU_JAR.is_file():
        pytest.fail(
            "vnu.jar is missing: run `make assets` (npm ci installs vnu-jar).", pytrace=False
        )
    port = _free_port()
    process = subprocess.Popen(
        [
            java,
            "-Xmx512m",
            # Reading its schemas recurses deeply: a small stack overflows on some machines.
            "-Xss8m",
            "-XX:+UseSerialGC",  # the least work beside the browser on a two-core machine
            "-Dnu.validator.servlet.bind-address=127.0.0.1",
            "-cp",
            str(VNU_JAR),
            "nu.validator.servlet.Main",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return HtmlChecker(process=process, url=f"http://127.0.0.1:{port}/")


def describe(errors: list[dict[str, Any]], html: str) -> str:
    """Each error with its line and the markup around it, as the checker's own report does."""
    lines = html.splitlines()
    report = []
    for error in errors:
        line = error.get("lastLine")
        source = lines[line - 1].strip()[:160] if line and line <= len(lines) else ""
        report.append(f"- line {line}: {error['message']}\n    {source}")
    return "\n".join(report)
