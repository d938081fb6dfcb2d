"""Link checks: syntax, placeholders, http, mailto/tel, link text, and --online fetching."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.checking import findings
from support.issues import write_issue
from support.paths import REPO

from bulletin.checks import online
from bulletin.cli import main
from bulletin.errors import Problem

# write_issue puts five header lines and `sections:` first: the first section is on line 7,
# so the body's `|` is on line 9 and its first line of text on line 10, indented to column 7.
ARTICLE = """\
  - type: article
    heading: Links
    body: |
      {body}
"""
LINKS = """\
  - type: article
    heading: Buttons
    body: Read on.
    links:
{links}
"""


def found(problems: list[Problem], rule: str) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.column, p.severity, p.message) for p in problems if p.rule == rule]


def checked(project: Path, sections: str, *, online: bool = False) -> list[Problem]:
    problems, rendered = findings(write_issue(project, sections), online=online)
    assert rendered is not None, problems
    return problems


def body(project: Path, *lines: str) -> list[Problem]:
    return checked(project, ARTICLE.format(body="\n      ".join(lines)))


def buttons(project: Path, *pairs: tuple[str, str]) -> list[Problem]:
    links = "".join(f"      - text: {text}\n        url: {url}\n" for text, url in pairs)
    return checked(project, LINKS.format(links=links))


# link-syntax


def test_link_without_scheme_is_relative_so_broken(project: Path):
    problems = body(project, "See [our website](www.foo.org).")
    assert found(problems, "link-syntax") == [
        (
            10,
            11,
            "error",
            "link 'www.foo.org' has no 'https://', so it goes nowhere from an email",
        )
    ]


def test_link_syntax_faults_each_say_what_is_wrong(project: Path):
    problems = body(
        project,
        "[a](htp://foo.org/a)",
        "[b](https://foo.org/a b.pdf)",
        "[c](jo@foo.org)",
        "[d](#contacts)",
        "[e](https://foo)",
    )
    assert [(line, message) for line, _, _, message in found(problems, "link-syntax")] == [
        (
            10,
            "link 'htp://foo.org/a' has the unknown scheme 'htp:' "
            "(an email keeps only https:, http:, mailto: and tel: links)",
        ),
        (
            11,
            "'[b](https://foo.org/a b.pdf)' is not a link: "
            "its address 'https://foo.org/a b.pdf' has a space (write %20)",
        ),
        (12, "link 'jo@foo.org' lacks 'mailto:': write 'mailto:jo@foo.org'"),
        (13, "link '#contacts' points at no section: none has 'anchor: contacts'"),
        (14, "link 'https://foo' has no valid host name"),
    ]


def test_well_formed_links_pass_link_syntax(project: Path):
    sections = ARTICLE.format(
        body="[a](https://www.foo.org/a) [b](<https://foo.org/a b.pdf>) [c](#contacts) "
        "[d](mailto:jo@foo.org) <https://xn--bcher-kva.example.de/> [e](*|ARCHIVE|*)"
    )
    sections += "  - type: notice\n    anchor: contacts\n    body: Call us.\n"
    assert found(checked(project, sections), "link-syntax") == []


# link-placeholder


def test_placeholder_links_are_errors(project: Path):
    problems = body(
        project,
        "[a](#) [b]()",
        "[c](https://www.example.org/book)",
        "[d](TODO) [e](https://foo.org/xxx)",
    )
    assert found(problems, "link-placeholder") == [
        (10, 7, "error", "link 'a' goes nowhere ('#')"),
        (10, 14, "error", "link 'b' has no address"),
        (11, 7, "error", "link 'c' goes to a placeholder address ('https://www.example.org/book')"),
        (12, 7, "error", "link 'd' has a placeholder, 'TODO', for its address ('TODO')"),
        (
            12,
            17,
            "error",
            "link 'e' has a placeholder, 'xxx', for its address ('https://foo.org/xxx')",
        ),
    ]
    assert found(problems, "link-syntax") == []  # one finding per fault


def test_placeholder_in_a_url_field_is_found_at_its_line(project: Path):
    problems = buttons(project, ("Book", "https://events.example.com/tbc"))
    assert found(problems, "link-placeholder") == [
        (
            12,
            14,
            "error",
            "link 'Book' goes to a placeholder address ('https://events.example.com/tbc')",
        )
    ]


def test_real_addresses_are_no_placeholders(project: Path):
    problems = buttons(
        project, ("Examples", "https://www.examples.co.uk/todos"), ("Text", "https://foo.org/#top")
    )
    assert found(problems, "link-placeholder") == []


# link-insecure


def test_http_link_is_a_warning(project: Path):
    problems = buttons(project, ("Council advice", "http://www.worcestershire.gov.uk/coronavirus"))
    assert found(problems, "link-insecure") == [
        (
            12,
            14,
            "warning",
            "link 'http://www.worcestershire.gov.uk/coronavirus' is not secure: "
            "use 'https://www.worcestershire.gov.uk/coronavirus'",
        )
    ]


def test_https_link_is_secure(project: Path):
    problems = buttons(project, ("Council advice", "https://www.worcestershire.gov.uk/"))
    assert found(problems, "link-insecure") == []


# link-mailto


def test_malformed_mailto_and_tel_links(project: Path):
    problems = body(project, "[Email us](mailto:)", "[Email Jo](mailto:jo@)", "[Call](tel:abc)")
    assert found(problems, "link-mailto") == [
        (10, 7, "error", "link 'Email us' has an empty mailto: address"),
        (11, 7, "error", "link 'Email Jo' is not a valid e-mail address ('jo@')"),
        (12, 7, "error", "link 'Call' is not a valid phone link ('tel:abc')"),
    ]


def test_good_mailto_and_tel_links(project: Path):
    problems = body(
        project, "[Email Jo](mailto:jo@foo.org.uk?subject=Hello) [Call](<tel:+44 1432 260000>)"
    )
    assert found(problems, "link-mailto") == []


# link-text-conflict


def test_same_text_to_different_addresses_is_flagged_after_the_first(project: Path):
    problems = body(
        project,
        "[Our website](https://a.org.uk/) and [our  WEBSITE](https://a.org.uk)",
        "and [our website](https://b.org.uk/)",
    )
    assert found(problems, "link-text-conflict") == [
        (
            11,
            11,
            "warning",
            "link text 'our website' leads to 'https://b.org.uk/' here, "
            "but to 'https://a.org.uk/' at sections[0].body",
        )
    ]


def test_same_text_to_the_same_address_is_fine(project: Path):
    problems = buttons(
        project, ("How to Book", "https://a.org.uk/"), ("How to Book", "https://a.org.uk/")
    )
    assert found(problems, "link-text-conflict") == []


# link-text-vague


def test_vague_link_text_is_a_warning(project: Path):
    problems = body(
        project, "Click on this [LINK](https://iconcope.org/).", "[Click here!](https://a.org.uk/)"
    )
    assert found(problems, "link-text-vague") == [
        (10, 21, "warning", "link text 'LINK' does not say where it goes"),
        (11, 7, "warning", "link text 'Click here!' does not say where it goes"),
    ]


def test_descriptive_link_text_and_bare_urls_are_fine(project: Path):
    problems = body(project, "[the ICON advice](https://iconcope.org/) and <https://iconcope.org/>")
    assert found(problems, "link-text-vague") == []


# Where a link in Markdown is reported


def test_link_line_counts_lines_within_a_block(project: Path):
    problems = body(
        project,
        "First paragraph.",
        "",
        "- a list item",
        "- a list item that goes on",
        "  to [here](https://a.org.uk/)",
    )
    assert found(problems, "link-text-vague")[0][:2] == (14, 12)


def test_link_in_a_folded_or_plain_text_is_at_its_exact_place(project: Path):
    sections = (
        "  - type: article\n    heading: A\n    body: >\n      Folded\n\n      see [here](https://a.org.uk/)\n"
        "  - type: article\n    heading: B\n    body: plain\n      see [here](https://a.org.uk/)\n"
    )
    assert [where[:2] for where in found(checked(project, sections), "link-text-vague")] == [
        (12, 11),
        (16, 11),
    ]


# link-broken, with --online, against a local server


class _Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]]
    release: threading.Event

    def do_HEAD(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        self.seen.append((self.command, self.path))
        if self.path == "/slow":
            self.release.wait(5)
        status = {"/ok": 200, "/slow": 200, "/moved": 301}.get(self.path, 404)
        if self.path == "/nohead":
            status = 405 if self.command == "HEAD" else 200
        try:
            self.send_response(status)
            if status == 301:
                self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:  # the client gave up on /slow
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A web server on a free local port: its address, and the requests it has had."""
    seen: list[tuple[str, str]] = []
    release = threading.Event()
    handler = type("Handler", (_Handler,), {"seen": seen, "release": release})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", seen
    release.set()
    httpd.shutdown()
    httpd.server_close()


def _unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_fetch_all_reports_errors_and_follows_redirects(server):
    base, seen = server
    dead = f"http://127.0.0.1:{_unused_port()}/"
    urls = [f"{base}/ok", f"{base}/missing", f"{base}/nohead", f"{base}/moved", f"{base}/ok"]
    results = online.fetch_all([*urls, f"{base}/slow", dead], timeout=0.5)
    assert results[f"{base}/ok"] is None
    assert results[f"{base}/missing"] == "HTTP 404 Not Found"
    assert results[f"{base}/nohead"] is None  # HEAD refused with 405, GET answered
    assert results[f"{base}/moved"] is None
    assert results[f"{base}/slow"] == "no answer within 0.5 s"
    assert (results[dead] or "").startswith("cannot connect (")
    assert seen.count(("HEAD", "/ok")) == 2  # once for /ok, once after /moved: HEAD kept
    assert ("GET", "/nohead") in seen
    assert ("GET", "/ok") not in seen


def test_online_check_reports_broken_links_where_they_are(project: Path, server, monkeypatch):
    base, seen = server
    monkeypatch.setattr(online, "TIMEOUT", 0.5)
    sections = ARTICLE.format(body=f"[a]({base}/ok) [b]({base}/missing)\n      [c]({base}/slow)")
    sections += LINKS.format(links=f"      - text: d\n        url: {base}/missing\n")
    problems = checked(project, sections, online=True)
    assert found(problems, "link-broken") == [
        (
            10,
            7 + len(f"[a]({base}/ok) "),
            "error",
            f"link '{base}/missing' is broken: HTTP 404 Not Found",
        ),
        (11, 7, "error", f"link '{base}/slow' is broken: no answer within 0.5 s"),
        (17, 14, "error", f"link '{base}/missing' is broken: HTTP 404 Not Found"),
    ]
    assert seen.count(("HEAD", "/missing")) == 1  # each address is fetched once


def test_online_check_with_no_site_answering_is_one_line_not_one_per_link(project: Path):
    """A laptop off the network: one line saying so, not a broken-link error for every link."""
    dead = [f"http://127.0.0.1:{_unused_port()}/page" for _ in range(2)]
    sections = ARTICLE.format(body=f"[a]({dead[0]}) [b]({dead[1]}) [c]({dead[0]}x)")
    problems = checked(project, sections, online=True)
    (only,) = [p for p in problems if p.rule == "link-broken"]
    assert only.severity == "error"
    assert only.message.startswith("no link could be checked: none of the 2 sites answered (")
    assert only.message.endswith("is this computer online? Check again with --online when it is")


def test_one_site_not_answering_is_that_links_error(project: Path, server):
    base, _ = server
    dead = f"http://127.0.0.1:{_unused_port()}/page"
    problems = checked(project, ARTICLE.format(body=f"[a]({base}/ok) [b]({dead})"), online=True)
    (only,) = [p for p in problems if p.rule == "link-broken"]
    assert only.message.startswith(f"link '{dead}' is broken: cannot connect (")
    lone = checked(project, ARTICLE.format(body=f"[b]({dead}) [c]({dead}#top)"), online=True)
    assert [p.message.split(" is broken")[0] for p in lone if p.rule == "link-broken"] == [
        f"link '{dead}'",
        f"link '{dead}#top'",
    ]  # one site only: it may be that site that is down


def test_offline_check_fetches_nothing_and_says_so(project: Path, server):
    base, seen = server
    issue = write_issue(
        project,
        ARTICLE.format(body=f"[a]({base}/missing) [b]({base}/missing) [c]({base}/ok) [d](#)"),
    )
    problems, _ = findings(issue)
    assert found(problems, "link-broken") == []
    text = CliRunner().invoke(main, ["check", str(issue)])
    assert text.stdout.splitlines()[-1] == "2 links not checked (use --online to check them)"
    as_json = CliRunner().invoke(main, ["check", str(issue), "--format", "json"])
    assert isinstance(json.loads(as_json.stdout), list)  # nothing after the JSON
    assert seen == []


def test_online_check_has_no_not_checked_line(project: Path, server):
    base, seen = server
    issue = write_issue(project, ARTICLE.format(body=f"[a]({base}/ok)"))
    result = CliRunner().invoke(main, ["check", str(issue), "--online"])
    assert result.exit_code == 0, result.output
    assert "not checked" not in result.stdout
    assert seen == [("HEAD", "/ok")]


# The examples


@pytest.mark.parametrize("name", ["herefordshire-2020-11", "wscp-2020-04", "wscp-2020-12"])
def test_examples_have_no_link_errors(name: str):
    problems, _ = findings(REPO / "examples" / f"{name}.yaml")
    links = [p for p in problems if p.rule.startswith("link-")]
    assert [p for p in links if p.severity == "error"] == []
    expected = {
        "herefordshire-2020-11": [
            ("link-text-vague", "link text 'LINK' does not say where it goes")
        ],
        "wscp-2020-04": [
            (
                "link-insecure",
                "link 'http://www.worcestershire.gov.uk/coronavirus' is not secure: "
                "use 'https://www.worcestershire.gov.uk/coronavirus'",
            )
        ],
        "wscp-2020-12": [],
    }
    assert [(p.rule, p.message) for p in links] == expected[name]


def test_each_occurrence_is_a_finding_at_its_own_place(project: Path):
    """Three vague links in one text: three warnings, each at its line and column."""
    problems = body(
        project,
        "[click here](https://a.org.uk/) or [click here](https://b.org.uk/)",
        "and then [click here](https://c.org.uk/).",
    )
    assert [(line, column) for line, column, _, _ in found(problems, "link-text-vague")] == [
        (10, 7),
        (10, 42),
        (11, 16),
    ]


def test_each_occurrence_in_a_plain_or_quoted_text_is_at_its_column(project: Path):
    sections = (
        "  - type: notice\n    body: See [here](https://a.org.uk/) and [here](https://b.org.uk/)\n"
        '  - type: notice\n    body: "Quoted: [here](https://a.org.uk/)"\n'
    )
    problems = checked(project, sections)
    assert [(line, column) for line, column, _, _ in found(problems, "link-text-vague")] == [
        (8, 15),
        (8, 45),
        (10, 20),
    ]


def test_a_link_in_a_table_cell_is_found_in_its_cell(project: Path):
    problems = body(
        project, "| Service | Link |", "| --- | --- |", "| Help | [here](https://a.org.uk/) |"
    )
    assert [(line, column) for line, column, _, _ in found(problems, "link-text-vague")] == [
        (12, 16)
    ]


def test_addresses_written_in_the_ways_writers_get_them_wrong(project: Path):
    """Each fault is found once, by its own rule, with what to write instead."""
    problems = body(
        project,
        "[a](JavaScript:alert(1)) [b](https://www.site.test/) [c](https://www.example.com./x)",
        "[d](www.site.org:8080) [e](jo@foo.org) [f](a.org/people/@jo) [g](TEL:+441432260000)",
        "[h](https://www.site.org.uk./) [i](http://[x)",
    )
    no_https = "has no 'https://', so it goes nowhere from an email"
    assert [(p.line, p.column, p.rule, p.message) for p in problems if p.severity == "error"] == [
        (10, 7, "link-syntax", "'[a](JavaScript:alert(1))' is not a link: "
                                "an email link cannot run a script"),
        (10, 32, "link-placeholder", "link 'b' goes to a placeholder address ('https://www.site.test/')"),
        (10, 60, "link-placeholder", "link 'c' goes to a placeholder address ('https://www.example.com./x')"),
        (11, 7, "link-syntax", f"link 'www.site.org:8080' {no_https}"),
        (11, 30, "link-syntax", "link 'jo@foo.org' lacks 'mailto:': write 'mailto:jo@foo.org'"),
        (11, 46, "link-syntax", f"link 'a.org/people/@jo' {no_https}"),
        (12, 38, "link-syntax", "link 'http://%5Bx' has no valid host name"),
    ]  # fmt: skip


def test_the_same_address_written_two_ways_is_no_conflict(project: Path):
    problems = body(
        project, "[Our site](https://A.org.uk/path/) and [our site](http://a.org.uk/path)"
    )
    assert found(problems, "link-text-conflict") == []


def test_only_real_web_addresses_are_left_for_online(project: Path):
    """What `--online` would fetch: not mailto:, tel:, placeholders, bad hosts or merge tags."""
    issue = write_issue(
        project,
        ARTICLE.format(
            body="[a](https://a.org.uk/) [b](mailto:jo@a.org.uk) [c](tel:+441432260000) "
            "[d](https://www.example.org/) [e](http://[x) [f](*|ARCHIVE|*) [g](https://a.org.uk/)"
        ),
    )
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.output.splitlines()[-1] == "1 link not checked (use --online to check them)"


def test_a_user_part_in_a_written_link_is_a_trap(project: Path):
    problems = body(project, "[Our site](https://www.a.org.uk@evil.com/)")
    assert [p.message for p in problems if p.rule == "link-syntax"] == [
        "link 'https://www.a.org.uk@evil.com/' has a user part ('www.a.org.uk@'), so it goes to "
        "evil.com, not where it seems"
    ]


def test_a_different_last_letter_is_a_different_address(project: Path):
    problems = body(project, "[The annex](https://a.org.uk/X) and [the annex](https://a.org.uk/)")
    assert [p.line for p in problems if p.rule == "link-text-conflict"] == [10]


def test_addresses_that_validation_refuses_elsewhere_still_get_a_plain_answer():
    """The rules stand behind validation and Markdown, which refuse or percent-encode such
    addresses: one that reaches them all the same is described, never a crash."""
    from bulletin.checks.links import _placeholder, _split, _syntax_problem, _why_unmade

    assert tuple(_split("http://[x")) == ("", "", "http://[x", "", "")
    assert _syntax_problem("http://[x", set()) == "link 'http://[x' cannot be read as an address"
    assert _placeholder(" JavaScript:void(0)") == (
        "runs a script instead of going anywhere ('JavaScript:void(0)')"
    )
    assert _why_unmade("[x](a<b)") == "Markdown cannot read the address 'a<b'"
