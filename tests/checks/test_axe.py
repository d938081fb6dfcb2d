"""An independent accessibility audit: axe-core in headless Chromium over the rendered emails.

Our own rules (bulletin/checks/accessibility.py) read the issue and the brand colours; axe reads
the page as a browser lays it out (the computed colour behind each piece of text, the name of
each link, the role of each table), so the two catch different mistakes. Any "serious" or
"critical" finding fails; lesser ones are listed in the message of a failure. Two "moderate"
best-practice findings are expected on every email and are not failures: `landmark-one-main`
and `region` (an email is one `role="article"`, since the mail client's own page holds the
main landmark).

axe-core comes from npm, installed once into ~/.cache/bulletin-tests/axe-core-VERSION/.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support.browser import browser
from support.checking import findings
from support.issues import write_issue
from support.paths import REPO

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

AXE_VERSION = "4.14.1"  # the latest 4.x on npm when this was written
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bulletin-tests"
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
SECTION_EXAMPLES = sorted((REPO / "sections").glob("*/example.yaml"))
FAILING = {"serious", "critical"}


def unavailable(reason: str) -> None:
    """Missing tools fail in CI (which has npm and the network), and skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    prefix = CACHE / f"axe-core-{AXE_VERSION}"
    script = prefix / "node_modules" / "axe-core" / "axe.min.js"
    if script.is_file():
        return script
    npm = shutil.which("npm")
    if not npm:
        unavailable("needs npm to install axe-core (apt-get install npm)")
    prefix.mkdir(parents=True, exist_ok=True)
    cmd = [npm, "install", "--no-save", "--prefix", str(prefix), f"axe-core@{AXE_VERSION}"]
    cmd += ["--no-audit", "--no-fund", "--silent"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if done.returncode or not script.is_file():
        unavailable(f"npm install axe-core@{AXE_VERSION} failed: {done.stderr.strip()[-300:]}")
    return script


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


def violations(
    chrome, axe_script: Path, html: str, width: int, scheme: str = "light"
) -> list[dict]:
    page = chrome.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    try:
        page.emulate_media(color_scheme=scheme)
        page.route("**/*", lambda route: route.abort())  # an email fetches nothing while tested
        page.set_content(html, wait_until="load")
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return result["violations"]
    finally:
        page.close()


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        for node in v["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {node['html'][:160]}\n        {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(
    chrome, axe_script: Path, html: str, width: int, scheme: str = "light"
) -> None:
    found = violations(chrome, axe_script, html, width, scheme)
    bad = [v for v in found if v["impact"] in FAILING]
    assert not bad, f"axe found serious or critical violations:\n{describe(found)}"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_pass_axe(chrome, axe_script: Path, path: Path):
    assert_accessible(chrome, axe_script, render(load_bulletin(path)).html, 800)


@pytest.mark.parametrize("width", [600, 375])
def test_the_example_of_tables_columns_sessions_and_parts_passes_axe(
    chrome, axe_script: Path, width: int
):
    """Data tables (which stack on a phone), cards in columns, an image beside its text,
    parts with their headings a level up: at an email's width and a phone's."""
    html = render(load_bulletin(REPO / "examples" / "hollinvale-2022-03.yaml")).html
    assert 'scope="col"' in html and "mj-column-per-50" in html and 'class="side"' in html
    assert_accessible(chrome, axe_script, html, width)


@pytest.mark.parametrize("publication", ["herefordshire", "wscp"])
def test_every_section_type_passes_axe_on_a_phone(
    chrome, axe_script: Path, tmp_path: Path, publication: str
):
    """The examples hold no image; this issue has each built-in section once, images too."""
    shutil.copytree(REPO / "publications", tmp_path / "publications")
    issue = {
        "publication": publication,
        "date": "2020-12-04",
        "title": "Every section",
        "subject": "Every built-in section type",
        "preview": "Each built-in section type once, as its example shows it",
        "sections": [yaml.safe_load(p.read_text(encoding="utf-8")) for p in SECTION_EXAMPLES],
    }
    path = tmp_path / "every-section.yaml"
    path.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    html = render(load_bulletin(path)).html
    assert_accessible(chrome, axe_script, html, 375)
    assert_accessible(chrome, axe_script, html, 375, "dark")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_pass_axe_in_dark_mode(chrome, axe_script: Path, path: Path):
    """A reader whose mail app is dark gets the dark palette: axe reads it as laid out."""
    assert_accessible(chrome, axe_script, render(load_bulletin(path)).html, 800, "dark")


def test_axe_does_find_a_violation(chrome, axe_script: Path):
    """So that a pass above means axe looked, not that it never ran."""
    faint = '<p style="color:#ccc;background:#fff">faint</p>'
    html = f'<html><body>{faint}<a href="/x"></a></body></html>'
    ids = {v["id"] for v in violations(chrome, axe_script, html, 800)}
    assert {"color-contrast", "link-name", "html-has-lang"} <= ids


def test_what_axe_finds_in_blank_texts_our_checks_find_too(chrome, axe_script: Path, project: Path):
    """A link or heading of spaces: axe finds links with no name (serious) and empty headings.
    `bulletin check` should stop it too, in validation or a rule."""
    section = {
        "type": "article",
        "heading": " ",
        "body": "Some text.",
        "links": [{"text": " ", "url": "https://www.gov.uk/"}],
    }
    path = write_issue(project, yaml.safe_dump([section]))
    problems, rendered = findings(path)
    if rendered is not None:  # else validation stopped it, and that is enough
        found = violations(chrome, axe_script, rendered.html, 800)
        assert [v["id"] for v in found if v["impact"] in FAILING] == ["link-name"]
    assert [p for p in problems if p.severity == "error"], "axe finds a nameless link; we do not"
