"""Timing helpers shared by the benchmark scripts: warm-up, then median and p90 in ms."""

from __future__ import annotations

import compileall
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path


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


def processes(
    commands: dict[str, Sequence[str]],
    runs: int,
    ok: Callable[[str, int], bool] | None = None,
    envs: dict[str, dict[str, str]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Median and p90 wall ms of whole processes, run in turn (one of each, `runs` times) so a
    busy moment on a shared machine lands on all of them alike; one untimed round first.
    `envs` gives some commands their own environment."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, cmd in commands.items():
            start = time.perf_counter()
            env = (envs or {}).get(name)
            done = subprocess.run(cmd, capture_output=True, text=True, env=env)
            elapsed = (time.perf_counter() - start) * 1000
            if not (ok(name, done.returncode) if ok else done.returncode == 0):
                tail = (done.stderr.strip().splitlines() or ["no message"])[-1]
                raise SystemExit(f"{name} failed ({done.returncode}): {tail}")
            if round_:
                times[name].append(elapsed)
    return {name: stats(t) for name, t in times.items()}


def bytecode(tree: Path) -> None:
    """Compile `tree`'s package and sections as pip does on install, so whole processes time
    what a user runs, even where PYTHONDONTWRITEBYTECODE kept Python from caching them."""
    for folder in ("bulletin", "sections"):
        if (tree / folder).is_dir():
            compileall.compile_dir(tree / folder, quiet=1)
