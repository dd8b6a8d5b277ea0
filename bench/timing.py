"""Timing pages against a trivial route in alternating rounds, and the table of results.

A page's figure is the median, over several rounds, of (trivial route's requests per second ÷
the page's). In each round the trivial route is measured just before the page, so when other
work on the machine slows everything down it slows both sides of that round's ratio alike.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field

import requests

TIMEOUT = 60


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    cookies: dict[str, str]


@dataclass(frozen=True)
class Batch:
    """One burst of requests to one address."""

    timings: list[float]
    failures: int
    wall: float

    @property
    def per_second(self) -> float:
        return len(self.timings) / self.wall if self.wall else 0.0


@dataclass
class PageResult:
    name: str
    page: list[Batch] = field(default_factory=list)
    trivial: list[Batch] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [
            t.per_second / p.per_second if p.per_second else float("inf")
            for t, p in zip(self.trivial, self.page, strict=True)
        ]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def timings(self) -> list[float]:
        return [timing for batch in self.page for timing in batch.timings]

    @property
    def failures(self) -> int:
        return sum(batch.failures for batch in self.page)

    @property
    def per_second(self) -> float:
        return statistics.median(batch.per_second for batch in self.page)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.timings) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.timings, n=100, method="inclusive")[94] * 1000


def burst(target: Target, total: int, concurrency: int) -> Batch:
    """Send ``total`` GETs from ``concurrency`` threads at once; time each one."""
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
            try:
                answer = session.get(target.url, timeout=TIMEOUT, allow_redirects=False)
                ok = answer.status_code == 200
            except requests.RequestException:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                timings.append(elapsed)
                if not ok:
                    failures += 1

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Batch(timings=timings, failures=failures, wall=time.perf_counter() - started)


def compare(
    page: Target, trivial: Target, requests_per_round: int, concurrency: int, rounds: int, warm: int
) -> PageResult:
    """Warm the page up (not counted: the first requests fill caches and compile templates),
    then measure the trivial route and the page one after the other, ``rounds`` times."""
    burst(page, warm, concurrency)
    result = PageResult(page.name)
    for _ in range(rounds):
        result.trivial.append(burst(trivial, requests_per_round, concurrency))
        result.page.append(burst(page, requests_per_round, concurrency))
    return result


def table(results: list[PageResult]) -> str:
    """The results as a Markdown table, ready to paste into the README."""
    trivial = [batch for result in results for batch in result.trivial]
    trivial_timings = sorted(t for batch in trivial for t in batch.timings)
    lines = [
        "| page | req/s | p50 ms | p95 ms | p95 ÷ p50 | failed | trivial ÷ page | spread |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    if trivial_timings:
        p50 = statistics.median(trivial_timings) * 1000
        p95 = statistics.quantiles(trivial_timings, n=100, method="inclusive")[94] * 1000
        rate = statistics.median(batch.per_second for batch in trivial)
        lines.append(
            f"| trivial Flask route | {rate:.1f} | {p50:.1f} | {p95:.1f} | {p95 / p50:.1f} "
            "| 0 | 1.0 | |"
        )
    for result in results:
        spread = ", ".join(f"{ratio:.1f}" for ratio in sorted(result.ratios))
        lines.append(
            f"| {result.name} | {result.per_second:.1f} | {result.p50_ms:.1f} | "
            f"{result.p95_ms:.1f} | {result.p95_ms / result.p50_ms:.1f} | {result.failures} | "
            f"**{result.ratio:.1f}** | {spread} |"
        )
    return "\n".join(lines)
