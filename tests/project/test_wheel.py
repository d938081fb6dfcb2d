"""The package as a user gets it: the built wheel installed into a fresh virtual environment,
used in an empty folder far from this repository. The built-in sections and templates must
come from the wheel; nothing may reach back into the checkout."""

import datetime as dt
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from support.paths import REPO
from support.projects import INIT_ANSWERS as ANSWERS


class Installed:
    """A virtual environment holding the wheel, and how to run its `bulletin` as a user would."""

    def __init__(self, venv: Path, seconds: float) -> None:
        self.venv = venv
        self.seconds = seconds
        self.outputs: list[str] = []
        self.env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        self.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"

    def run(self, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.venv / "bin" / args[0]), *args[1:]],
            cwd=cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.outputs += [done.stdout, done.stderr]
        assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
        return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Built and installed once for the module; the figures are printed with `-s`."""
    where = tmp_path_factory.mktemp("wheel")
    started = time.monotonic()
    _quietly([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(where), str(REPO)])
    (wheel,) = where.glob("bulletin-*.whl")
    built = time.monotonic()
    venv = where / "venv"
    _quietly([sys.executable, "-m", "venv", str(venv)])
    _quietly(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel)]
    )
    done = time.monotonic()
    print(f"\nwheel built in {built - started:.1f} s, installed in {done - built:.1f} s")
    return Installed(venv, done - started)


def _quietly(command: list[str]) -> None:
    """Run a set-up step; its output (pip's notices) is shown only if it fails."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"


def _next_month(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, 1)


def test_the_wheel_alone_makes_a_project_that_builds_and_previews(installed, tmp_path_factory):
    folder = tmp_path_factory.mktemp("empty") / "bulletins"
    assert REPO not in (folder, *folder.parents)
    site_packages = installed.run(
        folder.parent, "python", "-c", "import bulletin, sysconfig; print(bulletin.__file__)"
    )
    package = Path(site_packages.stdout.strip()).parent
    assert package.is_relative_to(installed.venv)
    assert "site-packages" in package.parts
    builtin = installed.run(
        folder.parent,
        "python",
        "-c",
        "from bulletin.document.project import BUILTIN_ROOT; print(BUILTIN_ROOT)",
    )
    assert Path(builtin.stdout.strip()) == package / "builtin"

    quick = installed.run(folder.parent, "bulletin", "--help")  # bulletin/cli/help.txt
    assert quick.stdout == (package / "cli" / "help.txt").read_text(encoding="ascii")
    assert quick.stdout.startswith("Usage: bulletin [OPTIONS] COMMAND [ARGS]...")

    made = installed.run(folder.parent, "bulletin", "init", "bulletins", *ANSWERS)
    first = _next_month(dt.date.today())
    first_issue = f"issues/{first:%Y-%m}.yaml"
    assert f"wrote bulletins/{first_issue}" in made.stdout
    second_issue = f"issues/{_next_month(first):%Y-%m}.yaml"
    installed.run(folder, "bulletin", "new", second_issue, "--from", first_issue)
    for issue in (first_issue, second_issue):
        checked = installed.run(folder, "bulletin", "check", issue)
        assert "no problems" in checked.stdout
        installed.run(folder, "bulletin", "build", issue)
    html = (folder / "build" / f"{Path(first_issue).stem}.html").read_text()
    assert "Hollinvale HV1 2AB" in html
    schema = installed.run(folder, "bulletin", "schema")
    assert '"title": "bulletin issue"' in schema.stdout
    after_both = _next_month(_next_month(first))  # the new issues are dated in the months ahead
    published = installed.run(folder, "bulletin", "site", "--until", f"{after_both:%Y-%m-%d}")
    assert "held back" not in published.stdout
    assert (folder / "site" / "hsp" / Path(second_issue).stem / "index.html").is_file()
    installed.run(folder, "bulletin", "pdf", first_issue, "--out", "build/first.pdf")
    assert (folder / "build" / "first.pdf").read_bytes().startswith(b"%PDF")

    page = _preview_page(installed, folder, first_issue)
    assert "Safeguarding bulletin" in page
    assert f"{first:%B %Y}" in page

    written = "".join(
        p.read_text(errors="replace")
        for p in folder.rglob("*")
        if p.is_file() and p.suffix != ".pdf"
    )
    for text in (*installed.outputs, written):
        assert str(REPO) not in text


def _preview_page(installed: Installed, folder: Path, issue: str) -> str:
    """The preview's email page, fetched over HTTP from a server on a free loopback port."""
    server = subprocess.Popen(
        [str(installed.venv / "bin" / "bulletin"), "preview", issue, "--no-open", "--port", "0"],
        cwd=folder,
        env=installed.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in server.stdout], daemon=True
    ).start()
    try:
        first = lines.get(timeout=120)
        installed.outputs.append(first)
        url = re.search(r"at (http://127\.0\.0\.1:\d+/)", first)
        assert url, first
        with urllib.request.urlopen(url[1] + "email.html", timeout=60) as answer:
            assert answer.status == 200
            return str(answer.read().decode())
    finally:
        server.terminate()
        server.wait(timeout=60)
        server.stdout.close()
