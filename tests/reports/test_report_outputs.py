"""What `bulletin report` prints and writes: the same figures everywhere, no one picked out.

Every output (terminal, CSV, JSON, HTML, SVG, PNG) is searched for e-mail addresses and for the
names of the groups under 5 people; the charts are opened as images and XML.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from support.campaigns import env
from support.reports import ADDRESS, Sent, addresses, seed_readers, send

from bulletin.cli import main
from bulletin.reports import charts
from bulletin.reports.figures import SectionRow

SMALL_GROUPS = ["Tiny Charity", "Police", "Voluntary sector", "in no partner list"]


def run(fake, *args: str):
    result = CliRunner().invoke(main, ["report", *args], env=env(fake))
    return result


def outputs(result, out: Path) -> dict[str, str]:
    """Every output as text: the terminal's, and each file (a PNG as its bytes, decoded)."""
    found = {"terminal": result.output}
    for path in sorted(out.iterdir()):
        found[path.name] = path.read_bytes().decode("latin-1")
    return found


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def written(fake, issue: Path, sent: Sent, tmp_path: Path):
    out = tmp_path / "out"
    result = run(fake, str(issue), "--out", str(out))
    assert result.exit_code == 0, result.output
    return result, out


def test_the_terminal_shows_every_figure_that_was_set(written):
    result, _ = written
    text = result.output
    expected = ("emails sent       20", "delivered         18  bounces: 1 hard, 1 soft",
                "opened (unique)    6  33.3% of delivered*", "clicked (unique)   4  22.2%",
                "clicks             6", "unsubscribes       1", "abuse reports      1")  # fmt: skip
    for line in expected:
        assert line in text
    assert "Apple Mail's privacy protection opens every email" in text
    assert "Reached 18 people in 4 organisations." in text
    # the campaign, its content, the report, its links, sent-to, activity, unsubscribed,
    # the segments, and the members of each of the 4 partner lists
    assert "(12 Mailchimp calls)" in text


def test_the_csv_figures_equal_what_was_set(written, issue: Path):
    _, out = written
    summary = dict(rows(out / "wscp-2020-12-report-summary.csv")[1:])
    expected = {"emails sent": "20", "delivered": "18", "hard bounces": "1", "soft bounces": "1",
                "unsubscribes": "1", "abuse reports": "1", "opened (unique)": "6",
                "open rate % of delivered": "33.3", "clicked (unique)": "4",
                "click rate % of delivered": "22.2", "clicks": "6",
                "organisations reached": "4"}  # fmt: skip
    assert {k: summary[k] for k in expected} == expected
    sections = rows(out / "wscp-2020-12-report-sections.csv")
    assert sections[0][:6] == [
        "position",
        "section",
        "type",
        "line",
        "clicks",
        "readers who clicked",
    ]
    assert [r[:1] + r[2:6] for r in sections[1:]] == [
        ["1", "article", "10", "3", "2"],
        ["2", "article", "26", "2", "2"],
        ["3", "icon", "42", "1", "1"],
        ["4", "quote", "54", "0", "0"],
    ]
    orgs = {r[0]: r[1:6] for r in rows(out / "wscp-2020-12-report-organisations.csv")[1:]}
    assert orgs == {
        "School A": ["6", "6", "3", "2", "33.3"],
        "NHS Trust": ["5", "5", "1", "1", "20.0"],
        "other organisations": ["9", "7", "2", "1", "14.3"],
    }
    data = json.loads((out / "wscp-2020-12-report.json").read_text(encoding="utf-8"))
    assert data["totals"]["emails_sent"] == 20 and data["computed"]["delivered"] == 18


def test_no_output_names_a_group_of_fewer_than_five(written):
    result, out = written
    for name, text in outputs(result, out).items():
        for small in SMALL_GROUPS:
            assert small.lower() not in text.lower(), (small, name)


def test_no_output_holds_an_email_address(written, issue: Path):
    result, out = written
    for name, text in outputs(result, out).items():
        assert not ADDRESS.search(text), (name, ADDRESS.search(text))
    state = issue.parent.parent / ".bulletin"
    for path in state.rglob("*"):
        if path.is_file():
            data = path.read_bytes().decode("latin-1")
            assert not any(a in data for a in addresses()), path


def test_the_charts_open_and_the_page_reads_in_a_browser(written):
    _, out = written
    png = out / "wscp-2020-12-report-sections.png"
    with Image.open(png) as image:
        image.verify()
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size[0] > 600
    svg = ET.fromstring((out / "wscp-2020-12-report-sections.svg").read_text(encoding="utf-8"))
    assert svg.tag.endswith("svg")
    assert "Preventing Injury to Babies" in ET.tostring(svg, encoding="unicode")
    page = (out / "wscp-2020-12-report.html").read_text(encoding="utf-8")
    parser = HTMLParser()
    parser.feed(page)
    assert "<script" not in page and "default-src 'none'" in page
    assert "data:image/svg+xml;base64," in page and "School A" in page


def test_what_readers_typed_is_defused_in_every_output(fake_mailchimp, issue: Path, tmp_path):
    hostile = [
        '=HYPERLINK("https://evil.example")',
        "<script>alert(1)</script>",
        "boss@org.example",
    ]
    extra = [
        {"email": f"h{n}-{i}@reader.example", "merge_fields": {"ORG": org}}
        for i, org in enumerate(hostile)
        for n in range(5)
    ]
    seed_readers(fake_mailchimp, extra)
    send(fake_mailchimp, issue)
    result = run(fake_mailchimp, str(issue), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    orgs = {r[0] for r in rows(tmp_path / "out" / "wscp-2020-12-report-organisations.csv")}
    assert "'" + hostile[0] in orgs  # a spreadsheet shows it, never runs it
    page = (tmp_path / "out" / "wscp-2020-12-report.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "organisation not given" in result.output  # an address is no organisation
    for name, text in outputs(result, tmp_path / "out").items():
        assert "boss@org.example" not in text, name


def test_a_heading_is_drawn_as_written_whatever_it_holds():
    row = SectionRow(1, "Costs: $5 for <b>all</b> & more", "notice", 3, 4, 2)
    svg, png = charts.sections_chart([("", row)], "A <title> & $x$")
    tree = ET.fromstring(svg)
    text = "".join(tree.itertext())
    assert "$5 for <b>all</b> & more" in text and "<title> & $x$" in text
    assert png.startswith(b"\x89PNG")


def test_usage_errors_are_one_line_and_status_two(fake, issue: Path):
    for args, message in (
        ([], "give ISSUE.yaml, or a period"),
        ([str(issue), "--from", "2025-04-01"], "not both"),
        (["--from", "2025-13-01", "--to", "2026-03-31"], "is not a date"),
        (["--from", "2026-04-01", "--to", "2025-03-31"], "ends before it begins"),
    ):
        result = run(fake, *args)
        assert result.exit_code == 2 and message in result.output, (args, result.output)


def test_a_campaign_not_sent_is_an_error_not_a_traceback(fake, issue: Path):
    from support.campaigns import dispatcher, payload

    dispatcher(fake, issue).push(payload(issue))
    result = run(fake, str(issue))
    assert result.exit_code == 1
    assert "has not been sent" in result.output and "Traceback" not in result.output


def test_the_page_shows_its_tables_and_charts_in_a_browser(written):
    from support.browser import browser

    _, out = written
    with browser() as chrome:
        page = chrome.new_page()
        try:
            page.goto((out / "wscp-2020-12-report.html").as_uri())
            shown = page.evaluate(
                "() => ({text: document.body.innerText,"
                " images: [...document.images].map(i => i.complete && i.naturalWidth)})"
            )
        finally:
            page.close()
    assert shown["images"] and all(width > 0 for width in shown["images"])  # the charts drew
    assert "School A" in shown["text"] and "Preventing Injury to Babies" in shown["text"]
    assert "other organisations (3 groups)" in shown["text"]


@pytest.mark.parametrize(
    ("people", "organisations", "says"),
    [
        (18, 4, "Reached 18 people in 4 organisations"),
        (1, 1, "Reached 1 person in 1 organisation"),
        (5, 0, "Reached 5 people (no reader's organisation is known)"),
        (0, 0, "Reached 0 people"),
    ],
)
def test_the_reach_line_counts_people_and_organisations_in_words(people, organisations, says):
    from bulletin.reports.text import _reach

    assert _reach(people, organisations) == says
