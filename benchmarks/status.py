"""HTTP calls of `bulletin status` as a project grows: 5 issues, then 50.

Each size is a throwaway project of copies of the example issue (one campaign each), pushed to
the fake Mailchimp of tests/fake_mailchimp; every campaign is then sent but the newest (the
month being written), and `bulletin status` runs once, its requests counted by the fake.

Target (issue 16): the calls do not grow with the number of issues (the same at 50 as at 5).

Run: .venv/bin/python benchmarks/status.py [--sizes 5 50] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_mailchimp import running  # noqa: E402
from support.campaigns import env, make_project, seed  # noqa: E402

from bulletin.cli import main as cli  # noqa: E402


def measure(issues: int, work: Path) -> dict[str, Any]:
    with running(check_responses=False) as fake:
        seed(fake)
        issue = make_project(work / f"p{issues}")
        paths = [issue]
        for n in range(1, issues):
            paths.append(Path(shutil.copy(issue, issue.with_name(f"{issue.stem}-{n:02d}.yaml"))))
        for path in paths:
            pushed = CliRunner().invoke(cli, ["push", str(path)], env=env(fake))
            assert pushed.exit_code == 0, pushed.output
        sdk = fake.client()
        with fake.lock:
            made = sorted(fake.state.campaigns.values(), key=lambda c: c.created)
        for campaign in made[:-1]:
            sdk.campaigns.send(campaign.id)
        fake.clear_requests()
        here = Path.cwd()
        os.chdir(issue.parent)  # status finds the project above the current folder
        try:
            start = time.perf_counter()
            result = CliRunner().invoke(cli, ["status"], env=env(fake))
            seconds = time.perf_counter() - start
        finally:
            os.chdir(here)
        assert result.exit_code == 0, result.output
        rows = len(result.output.splitlines()) - 1
        return {"issues": issues, "rows": rows, "calls": len(fake.requests), "s": round(seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 50])
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        found = [measure(size, Path(temp)) for size in args.sizes]
    if not args.json:
        for r in found:
            print(f"{r['issues']} issues: {r['rows']} rows, {r['calls']} calls, {r['s']} s")
        flat = len({r["calls"] for r in found}) == 1
        counts = ", ".join(f"{r['calls']} at {r['issues']}" for r in found)
        print(f"status calls do not grow with the issues ({counts}): {'PASS' if flat else 'FAIL'}")
    print(json.dumps(found))


if __name__ == "__main__":
    main()
