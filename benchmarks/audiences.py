"""Importing a partner's CSV at scale: HTTP calls, time and peak memory.

For each size (default 5,000 and 50,000 members) this generates a CSV (90% with consent, every
third row with preferences), starts the fake Mailchimp of tests/fake_mailchimp in a process of
its own (so its memory is not counted here; answers unchecked, as in the bulk tests), seeded
from this repository's audiences.yaml, and imports the file into `wscp-partners` twice:

  first     a fresh audience: HTTP calls (write calls among them), seconds;
  again     the same file again: calls, writes (target: none), seconds;
  peak MB   tracemalloc's peak during a first import (a run of its own, on another fresh
            fake, as tracing slows Python down): what `bulletin audiences import` holds.

  --tag     a first import with `--tag Schools DSLs`: HTTP calls (the tags go in one batch).

Targets: at most 110 HTTP calls for 50,000 members, with and without --tag; no write on
re-import; memory flat as the file grows (the CSV is streamed).

Run: .venv/bin/python benchmarks/audiences.py [--sizes 5000 50000] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bulletin.audiences.member_import import import_members
from bulletin.document.audiences import load_audiences
from bulletin.mailchimp.client import Config, Mailchimp

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "0123456789abcdef0123456789abcdef-us19"  # the fake's
AUDIENCE = "wscp-partners"
CALL_TARGET = 110
TAG = "Schools DSLs"


def write_members(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["Email", "First name", "Last name", "Organisation", "Preferences", "Consent"]
        )
        for n in range(count):
            writer.writerow(
                [
                    f"reader{n}@school{n % 211}.example.org",
                    "Alex",
                    f"Reader {n}",
                    f"School {n % 211}",
                    "Children's safeguarding" if n % 3 == 0 else "",
                    "" if n % 10 == 0 else "yes",
                ]
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def fake_mailchimp() -> Iterator[str]:
    """The fake in a child process, seeded with audiences.yaml; yields its base URL."""
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "fake_mailchimp"), "--audiences",
         str(ROOT / "audiences.yaml"), "--port", str(port), "--members", "5"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise RuntimeError("the fake Mailchimp did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/3.0"
    finally:
        child.terminate()
        child.wait(timeout=10)


class Counted(Mailchimp):
    """Mailchimp with its write calls counted too."""

    writes = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        send = self.client.api_client.request

        def request(method: str, *args: Any, **kwargs: Any) -> Any:
            if method.upper() != "GET":
                self.writes += 1
            return send(method, *args, **kwargs)

        self.client.api_client.request = request


def run_import(
    url: str, project: Path, members: Path, tag: str | None = None
) -> tuple[int, int, float, Any]:
    mc = Counted(Config.from_env({"MAILCHIMP_API_KEY": API_KEY, "MAILCHIMP_BASE_URL": url}))
    loaded = load_audiences(project)
    assert loaded is not None
    start = time.perf_counter()
    summary = import_members(mc, loaded.get(AUDIENCE), members, project, tag=tag)
    return summary.calls, mc.writes, time.perf_counter() - start, summary


def project_in(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "audiences.yaml", folder / "audiences.yaml")
    return folder


def measure(size: int, work: Path) -> dict[str, Any]:
    members = work / f"members-{size}.csv"
    write_members(members, size)
    with fake_mailchimp() as url:
        project = project_in(work / f"timed-{size}")
        calls, writes, seconds, summary = run_import(url, project, members)
        again_calls, again_writes, again_seconds, again = run_import(url, project, members)
    with fake_mailchimp() as url:
        project = project_in(work / f"tagged-{size}")
        tag_calls, _, tag_seconds, tagged = run_import(url, project, members, TAG)
    with fake_mailchimp() as url:
        project = project_in(work / f"traced-{size}")
        tracemalloc.start()
        run_import(url, project, members)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {
        "members": size,
        "csv_bytes": members.stat().st_size,
        "first_calls": calls,
        "first_writes": writes,
        "first_s": round(seconds, 2),
        "added": summary.added,
        "invited": summary.invited,
        "again_calls": again_calls,
        "again_writes": again_writes,
        "again_s": round(again_seconds, 2),
        "again_unchanged": again.unchanged,
        "peak_mb": round(peak / 1e6, 1),
        "tag_calls": tag_calls,
        "tag_s": round(tag_seconds, 2),
        "tagged": tagged.tagged,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        rows = [measure(size, Path(temp)) for size in args.sizes]
    if not args.json:
        print("| members | first: calls (writes) | first s | again: calls (writes) | again s "
              "| peak MB | --tag: calls |")  # fmt: skip
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for r in rows:
            print(
                f"| {r['members']:,} | {r['first_calls']} ({r['first_writes']}) | {r['first_s']} "
                f"| {r['again_calls']} ({r['again_writes']}) | {r['again_s']} | {r['peak_mb']} "
                f"| {r['tag_calls']} |"
            )
        for r in rows:
            for case, key in (("", "first_calls"), (" with --tag", "tag_calls")):
                ok = r["members"] < 50_000 or r[key] <= CALL_TARGET
                print(
                    f"{r['members']:,} members{case}: {r[key]} calls (target <= {CALL_TARGET} "
                    f"at 50,000): {'PASS' if ok else 'FAIL'}"
                )
            rewrite = "PASS" if r["again_writes"] == 0 else "FAIL"
            print(f"{r['members']:,}: re-import writes {r['again_writes']} (target 0): {rewrite}")
        if len(rows) > 1:
            small, large = rows[0], rows[-1]
            print(
                f"memory: {small['peak_mb']} MB at {small['members']:,} members, "
                f"{large['peak_mb']} MB at {large['members']:,}"
            )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
