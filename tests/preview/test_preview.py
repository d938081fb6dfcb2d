"""The live preview in Debian's Chromium: it shows the issue, reloads on save, survives errors.

Screenshots of each view land in tests/artifacts/.
"""

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from checks.test_axe import FAILING, axe_script, violations  # noqa: F401 - axe_script: a fixture
from playwright.sync_api import expect
from support.browser import browser
from support.paths import REPO, TESTS

from bulletin.preview.server import PreviewServer

ARTIFACTS = TESTS / "artifacts"
EXAMPLE = "wscp-2020-12.yaml"


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    """A copy of an example in a project of its own, free to edit."""
    shutil.copytree(REPO / "publications", tmp_path / "publications")
    shutil.copy(REPO / "audiences.yaml", tmp_path / "audiences.yaml")
    (tmp_path / "issues").mkdir()
    return Path(shutil.copy(REPO / "examples" / EXAMPLE, tmp_path / "issues" / EXAMPLE))


@pytest.fixture
def server(issue: Path):
    with PreviewServer(issue) as running:
        yield running


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


@pytest.fixture
def page(chrome, server):
    page = chrome.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server.url)
    yield page
    page.close()


def save(path: Path, text: str) -> None:
    """Write as an editor does: a new file renamed over the old one."""
    temp = path.with_suffix(".tmp~")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def test_page_shows_the_issue_and_its_sections(page):
    email = page.frame_locator("#email")
    expect(email.locator("h1")).to_have_text("WSCP Newsletter")
    expect(email.locator("h2").first).to_have_text("Preventing Injury to Babies")
    expect(email.locator("body")).to_contain_text("Harmony at Home")
    expect(email.locator("body")).not_to_contain_text("*|UNSUB|*")  # sample values shown
    page.screenshot(path=str(ARTIFACTS / "preview-desktop.png"), full_page=True)


def test_phone_view_is_375_wide_without_horizontal_scroll(page):
    page.get_by_role("button", name="Phone (375 px)").click()
    email = page.frame_locator("#email")
    expect(email.locator("h1")).to_have_text("WSCP Newsletter")
    frame = page.frame(url=lambda url: "/email.html" in url)
    assert frame is not None
    widths = frame.evaluate("() => [window.innerWidth, document.documentElement.scrollWidth]")
    assert widths[0] == 375
    assert widths[1] <= 375
    page.screenshot(path=str(ARTIFACTS / "preview-phone.png"), full_page=True)


def test_plain_text_and_checks_views(page, issue: Path):
    page.get_by_role("button", name="Plain text").click()
    expect(page.locator("#text-body")).to_contain_text("PREVENTING INJURY TO BABIES")
    page.screenshot(path=str(ARTIFACTS / "preview-text.png"))
    page.get_by_role("button", name="Checks").click()
    expect(page.locator("#checks")).to_be_visible()
    expect(page.locator("#checks-button")).to_have_text("Checks (0)")

    vague = "For the full article [click here](https://www.safeguardingworcestershire.org.uk/)."
    text = issue.read_text()
    save(issue, text.replace("Please follow the link below", vague + " Please follow the link", 1))
    line = next(n for n, row in enumerate(issue.read_text().splitlines(), 1) if vague in row)
    column = issue.read_text().splitlines()[line - 1].index("[click here]") + 1
    finding = page.locator("#checks-list li.warning a")
    expect(finding).to_have_count(1, timeout=5000)
    expect(finding).to_contain_text("link text 'click here' does not say where it goes")
    expect(finding).to_have_attribute("href", f"vscode://file{issue.resolve()}:{line}:{column}")
    expect(page.locator("#checks-button")).to_have_text("Checks (1)")


def test_saving_the_yaml_shows_the_new_text(page, issue: Path):
    expect(page.frame_locator("#email").locator("h1")).to_have_text("WSCP Newsletter")
    save(issue, issue.read_text().replace("Preventing Injury to Babies", "Keeping Babies Safe"))
    expect(page.frame_locator("#email").locator("h2").first).to_have_text(
        "Keeping Babies Safe", timeout=5000
    )


def test_a_save_keeps_the_place_the_officer_was_reading(page, issue: Path):
    email = page.frame_locator("#email")
    expect(email.locator("h1")).to_have_text("WSCP Newsletter")
    frame = page.locator("#email").element_handle().content_frame()
    assert frame is not None
    frame.evaluate("() => window.scrollTo(0, 700)")
    save(issue, issue.read_text().replace("Preventing Injury to Babies", "Keeping Babies Safe"))
    expect(email.locator("h2").first).to_have_text("Keeping Babies Safe", timeout=5000)
    assert frame.evaluate("() => window.scrollY") == 700


def test_the_email_a_save_swaps_in_looks_as_the_email_loaded_afresh(page, chrome, issue: Path):
    email = page.frame_locator("#email")
    expect(email.locator("h1")).to_have_text("WSCP Newsletter")
    save(issue, issue.read_text().replace("Preventing Injury to Babies", "Keeping Babies Safe"))
    expect(email.locator("h2").first).to_have_text("Keeping Babies Safe", timeout=5000)
    swapped = page.locator("#email").screenshot()
    fresh = chrome.new_page(viewport={"width": 1100, "height": 900})
    fresh.goto(page.url)
    expect(fresh.frame_locator("#email").locator("h2").first).to_have_text("Keeping Babies Safe")
    assert fresh.locator("#email").screenshot() == swapped
    fresh.close()


def test_saves_in_quick_succession_end_on_the_last_one(page, issue: Path):
    """Each save brings two events and a fetch; however they interleave, the page ends on
    the last save's email, text and findings."""
    email = page.frame_locator("#email")
    expect(email.locator("h1")).to_have_text("WSCP Newsletter")
    original = issue.read_text()
    vague = "For the full article [click here](https://www.safeguardingworcestershire.org.uk/)."
    for n in range(12):
        text = original.replace("Preventing Injury to Babies", f"Edit {n}")
        if n % 2:  # every other save draws a warning: the findings change with each one
            text = text.replace("Please follow the link below", vague, 1)
        save(issue, text)
        time.sleep(0.015 * (n % 4))
    expect(email.locator("h2").first).to_have_text("Edit 11", timeout=5000)
    expect(page.locator("#text-body")).to_contain_text("EDIT 11")
    expect(page.locator("#checks-button")).to_have_text("Checks (1)", timeout=5000)
    expect(page.locator("#status")).not_to_contain_text("checking")
    page.wait_for_timeout(700)  # anything still on its way lands by now
    expect(email.locator("h2").first).to_have_text("Edit 11")
    expect(page.locator("#checks-button")).to_have_text("Checks (1)")


def test_saving_the_publication_shows_it(page, issue: Path):
    publication = issue.parent.parent / "publications" / "wscp.yaml"
    expect(page.frame_locator("#email").locator("h1")).to_have_text("WSCP Newsletter")
    save(publication, publication.read_text().replace("County Hall, Spetchley Road", "Shire Hall"))
    expect(page.frame_locator("#email").locator("body")).to_contain_text("Shire Hall", timeout=5000)


@pytest.fixture
def own_article(issue: Path) -> Path:
    """The project's own copy of the article section, which overrides the built-in one."""
    folder = issue.parent.parent / "sections" / "article"
    shutil.copytree(REPO / "sections" / "article", folder)
    return folder / "email.mjml.j2"


def test_saving_a_section_template_shows_it(own_article: Path, chrome, server):
    page = chrome.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server.url)
    expect(page.frame_locator("#email").locator("h1")).to_have_text("WSCP Newsletter")
    template = own_article.read_text()
    start = "{% call ui.section(section, section.heading) %}\n"
    assert start in template
    save(
        own_article, template.replace(start, start + "<mj-text><p>Our own article</p></mj-text>\n")
    )
    expect(page.frame_locator("#email").locator("body")).to_contain_text(
        "Our own article", timeout=5000
    )
    page.close()


def test_saving_audiences_yaml_shows_its_groups(page, issue: Path):
    audiences = issue.parent.parent / "audiences.yaml"
    boxes = page.locator("#group-boxes")
    expect(boxes).to_contain_text("Topics:Training and events")
    save(audiences, audiences.read_text().replace("Training and events", "Training days"))
    expect(boxes).to_contain_text("Topics:Training days", timeout=5000)
    expect(boxes).not_to_contain_text("Training and events")


def test_a_broken_file_shows_its_error_over_the_last_render_and_recovers(page, issue: Path):
    good = issue.read_text()
    expect(page.frame_locator("#email").locator("h1")).to_have_text("WSCP Newsletter")
    save(issue, good.replace("type: article", "type: artcle", 1))
    failure = page.locator("#failure")
    expect(failure).to_be_visible(timeout=5000)
    expect(failure).to_contain_text("unknown section type 'artcle' (did you mean 'article'?)")
    expect(failure).to_contain_text(f"{EXAMPLE}:")
    expect(page.frame_locator("#email").locator("h1")).to_have_text("WSCP Newsletter")
    page.screenshot(path=str(ARTIFACTS / "preview-error.png"))
    save(issue, good)
    expect(failure).to_be_hidden(timeout=5000)


def get(server, path: str) -> tuple[int, bytes]:
    host, port = server.url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


@pytest.mark.parametrize(
    "path",
    ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/preview.html", "/email.html/../x"],
)
def test_nothing_outside_the_preview_is_served(server, path: str):
    status, body = get(server, path)
    assert status == 404
    assert b"root:" not in body


def test_no_secret_reaches_the_page(server, monkeypatch):
    monkeypatch.setenv("MAILCHIMP_API_KEY", "0123456789abcdef-us19")
    server.state.refresh()
    for path in ("/", "/email.html", "/email.txt", "/state.json"):
        status, body = get(server, path)
        assert status == 200
        assert b"0123456789abcdef" not in body


def _as_typed_in_a_terminal() -> None:
    """Ctrl-C reaches a command typed in a terminal. A suite started in the background of a
    shell (`make test &`) passes its children SIGINT ignored, and Python keeps it so."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_preview_command_prints_its_url_and_stops_cleanly_on_ctrl_c(issue: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin", "preview", str(issue), "--no-open", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_typed_in_a_terminal,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith(f"previewing {issue} at http://127.0.0.1:")
        url = line.split(" at ")[1].split()[0]
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/state.json")
        assert connection.getresponse().status == 200
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out
    assert "Traceback" not in err


_LAID_OUT_IN = """([bg, fg]) => {
  const d = document.getElementById('email').contentDocument;
  const a = d && d.querySelector('div[role=article]');
  const t = d && d.querySelector('.dp td > div:not([class])');
  return Boolean(a && t && getComputedStyle(a).backgroundColor === bg
                 && getComputedStyle(t).color === fg);
}"""


def test_dark_view_shows_the_email_s_own_dark_palette_and_passes_axe(page, server, chrome):
    palette = _palette(server)
    dark = [_rgb(palette.background), _rgb(palette.text)]
    assert not page.evaluate(_LAID_OUT_IN, dark)
    page.get_by_role("button", name="Dark").click()
    page.wait_for_function(_LAID_OUT_IN, arg=dark)  # the frame, laid out in the dark palette
    page.screenshot(path=str(ARTIFACTS / "preview-dark.png"), full_page=True)
    page.get_by_role("button", name="Desktop").click()
    page.wait_for_function(f"(dark) => !({_LAID_OUT_IN})(dark)", arg=dark)


def test_dark_view_passes_axe(chrome, server, axe_script):  # noqa: F811 - the fixture
    import urllib.request

    with urllib.request.urlopen(server.url + "email.html?scheme=dark") as answer:
        html = answer.read().decode()
    assert "@media all{" in html
    found = violations(chrome, axe_script, html, 800)
    assert not [v for v in found if v["impact"] in FAILING]


def _palette(server):
    from bulletin.document.issue import load_bulletin

    return load_bulletin(server.issue).publication.colours.dark_palette


def _rgb(colour: str) -> str:
    digits = colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(digits[i : i + 2], 16) for i in (0, 2, 4)))


def test_the_bar_shows_the_html_s_size_against_gmail_s_clip(page, server):
    html = server.state.rendered.html.encode()
    expect(page.locator("#size")).to_have_text(f"{len(html) / 1024:.1f} KB of 102 KB")
    assert page.locator("#size").get_attribute("data-bytes") == str(len(html))
    assert page.locator("#size").get_attribute("class") == ""
    page.evaluate("() => showSize(95000, 104448)")  # 91% of the clip: the figure stands out
    assert page.locator("#size").get_attribute("class") == "near"


def test_inbox_view_cuts_a_long_subject_where_each_app_does(page, issue):
    subject = "Safeguarding news for December: babies, harmony at home and the GET SAFE strategy"
    text = issue.read_text(encoding="utf-8")
    save(issue, re.sub(r"(?m)^subject: .*$", f'subject: "{subject}"', text))
    page.get_by_role("button", name="Inbox").click()
    gmail_phone = page.locator('#inbox tr[data-client="Gmail phone"] .subject')
    expect(gmail_phone).to_have_text(subject[:39].rstrip() + "…")
    gmail_desktop = page.locator('#inbox tr[data-client="Gmail desktop"] .subject')
    expect(gmail_desktop).to_have_text(subject[:69].rstrip() + "…")
    assert len(subject) == 81
    snippet = page.locator('#inbox tr[data-client="Outlook phone"] .snippet')
    expect(snippet).to_have_text(re.compile(r"^.{1,79}(…)?$"))
    page.screenshot(path=str(ARTIFACTS / "preview-inbox.png"), full_page=True)
