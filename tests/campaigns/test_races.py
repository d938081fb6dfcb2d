"""Never a second campaign, even when racing: two commands at the same moment in one project
(the project's lock serialises them), a lock held elsewhere (a bounded wait, then who holds
it), and two copies of the project (a second computer: no shared `.bulletin/`) pushing at once
(the title is the key they share: create, look again, keep the oldest)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from support.campaigns import campaigns, dispatcher, env, only_campaign, payload

from bulletin.state import mailchimp_lock


def start(fake, *args: str, **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bulletin", *args],
        env={**os.environ, **env(fake), **extra},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    out, err = proc.communicate(timeout=90)
    return proc.returncode, (out + err).decode()


@pytest.mark.parametrize("trial", range(2))
def test_two_pushes_at_the_same_moment_make_one_campaign(fake, issue, trial):
    procs = [start(fake, "push", str(issue)) for _ in range(2)]
    results = [finish(p) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    said = sorted(
        "created" if t.startswith("created") else str("up to date" in t) for _, t in results
    )
    assert said == ["True", "created"], results  # one made it; the other, waiting, found it
    assert len(fake.calls("POST", r"^/campaigns$")) == 1
    only_campaign(fake, issue)


def test_a_command_waits_a_bounded_time_for_the_lock_then_says_who_holds_it(fake, issue):
    root = issue.parent.parent
    with mailchimp_lock(root, "audiences import partners big.csv"):
        code, text = finish(start(fake, "push", str(issue), BULLETIN_LOCK_WAIT="1"))
    assert code == 1
    assert "another command is working with Mailchimp for this project" in text
    assert f"pid {os.getpid()} on " in text and "bulletin audiences import partners big.csv" in text
    assert "waited 1 s" in text
    assert fake.requests == []
    code, text = finish(start(fake, "push", str(issue), BULLETIN_LOCK_WAIT="1"))
    assert code == 0, text  # released: the next one goes ahead


def test_a_killed_holder_leaves_no_lock_behind(fake, issue):
    proc = start(fake, "push", str(issue))
    proc.kill()
    proc.wait()
    code, text = finish(start(fake, "push", str(issue), BULLETIN_LOCK_WAIT="2"))
    assert code == 0, text


def copy_project(issue: Path, where: Path) -> Path:
    root = issue.parent.parent
    shutil.copytree(root, where, ignore=shutil.ignore_patterns(".bulletin"))
    return where / "issues" / issue.name


def test_two_project_copies_pushing_at_once_end_with_one_campaign(fake, issue, tmp_path):
    other = copy_project(issue, tmp_path / "second-computer")
    fake.inject(r"^/campaigns$", "POST", times=2, fault="slow", delay=0.5)  # both look first
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def push(path: Path) -> None:
        wanted, d = payload(path), dispatcher(fake, path)
        barrier.wait()
        try:
            results[str(path)] = (d.push(wanted), d.notes)
        except Exception as err:  # the assertion below shows it
            results[str(path)] = err

    threads = [threading.Thread(target=push, args=(p,)) for p in (issue, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(fake.calls("POST", r"^/campaigns$")) == 2  # the race happened: two were made
    assert all(not isinstance(r, Exception) for r in results.values()), results
    kept = only_campaign(fake, issue)  # and one is left, holding the issue
    notes = [n for r in results.values() for n in r[1]]  # type: ignore[index]
    assert any(f"kept {kept.id}" in n and "deleted the duplicate draft" in n for n in notes)
    for path in (issue, other):
        d = dispatcher(fake, path)
        assert d.push(payload(path)).action == "unchanged"


@pytest.mark.parametrize("trial", range(2))
def test_two_computers_pushing_in_separate_processes_end_with_one_campaign(
    fake, issue, tmp_path, trial
):
    other = copy_project(issue, tmp_path / "second-computer")
    procs = [start(fake, "push", str(p)) for p in (issue, other)]
    results = [finish(p) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    assert len(campaigns(fake)) == 1, results
    only_campaign(fake, issue)
