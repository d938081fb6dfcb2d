"""Timing helpers shared by the benchmark scripts: warm-up, then median and p90 in ms."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def stats(times: list[float]) -> tuple[float, float]:
    """Median and 90th percentile, in ms."""
    p90 = statistics.quantiles(times, n=10, method="inclusive")[-1] if len(times) > 1 else times[0]
    return statistics.median(times), p90


def timed(
    func: Callable[[], object],
    repeat: int,
    before: Callable[[], object] | None = None,
    warmup: int = 10,
) -> tuple[float, float]:
    """Median and p90 ms of `func` after `warmup` untimed calls; `before` runs, untimed, first."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return stats(times)
