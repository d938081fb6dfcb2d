"""The web edition: pages, index, feed, sitemap, calendar files, the PDF, and a rebuild that
writes nothing when nothing changed."""

import datetime as dt
import os
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pypdf
import pytest
from click.testing import CliRunner
from icalendar import Calendar
from support.issues import write_issue
from support.paths import REPO

from bulletin.cli import main
from bulletin.errors import BulletinError
from bulletin.site.build import build_site

SINCE = dt.date(2020, 1, 1)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("examples")
    shutil.copytree(REPO / "publications", root / "publications")
    shutil.copytree(REPO / "examples", root / "examples")
    build_site(root, root / "site", since=SINCE)
    return root / "site"


def test_every_issue_has_a_page_and_every_publication_an_index(examples: Path):
    for example in sorted((REPO / "examples").glob("*.yaml")):
        pub = example.stem.split("-")[0]
        page = (examples / pub / example.stem / "index.html").read_text()
        assert page.startswith("<!doctype html>") and '<main id="main">' in page
        assert "<table" not in page or 'role="presentation"' not in page  # no layout tables
        assert f'href="{example.stem}/"' in (examples / pub / "index.html").read_text()
    page = (examples / "hollinvale" / "hollinvale-2022-03" / "index.html").read_text()
    assert '<div class="side right">' in page and '<th scope="col">' in page


def test_merge_tags_and_unsubscribe_links_never_reach_the_web(examples: Path):
    for page in examples.rglob("*.html"):
        text = page.read_text()
        assert "*|" not in text and "unsubscribe" not in text.lower(), page


def test_the_feed_and_sitemap_list_every_issue(examples: Path):
    feed = ET.parse(examples / "wscp" / "feed.xml").getroot()
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["WSCP Newsletter: December 2020", "WSCP Newsletter: April 2020"]
    assert feed.find(f"{ATOM}updated").text == "2020-12-04T00:00:00Z"
    sitemap = ET.parse(examples / "hollinvale" / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    base = "https://www.hollinvale-partnership.org.uk/bulletin/"
    assert locs == [base, f"{base}hollinvale-2022-03/"]
    assert not (examples / "wscp" / "sitemap.xml").exists()  # no site_url, no whole addresses


def test_calendar_files_parse_with_a_london_time_zone(examples: Path):
    files = sorted((examples / "hollinvale" / "calendar").glob("*.ics"))
    assert len(files) == 12
    for path in files:
        cal = Calendar.from_ical(path.read_bytes())
        [event] = cal.walk("VEVENT")
        assert event["UID"].endswith("@www.hollinvale-partnership.org.uk")
        assert {"SUMMARY", "DTSTART", "DTSTAMP", "DESCRIPTION"} <= set(event)
        if event.decoded("DTSTART").__class__ is dt.datetime:
            assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    feed = Calendar.from_ical((examples / "hollinvale" / "calendar.ics").read_bytes())
    uids = [str(e["UID"]) for e in feed.walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 12
    first = feed.walk("VEVENT")[0]
    assert first.decoded("DTSTART") == dt.date(2022, 3, 14)  # the week of action, all day
    assert str(first["LOCATION"]) == "Libraries and community centres across Hollinvale"


def test_calendar_ics_holds_only_what_is_upcoming(tmp_path: Path):
    shutil.copytree(REPO / "publications", tmp_path / "publications")
    shutil.copy(REPO / "examples" / "hollinvale-2022-03.yaml", tmp_path)
    build_site(tmp_path, tmp_path / "site", since=dt.date(2022, 5, 1))
    feed = Calendar.from_ical((tmp_path / "site" / "hollinvale" / "calendar.ics").read_bytes())
    assert min(e.decoded("DTSTART").date() for e in feed.walk("VEVENT")) == dt.date(2022, 5, 6)


def test_a_rebuild_with_nothing_changed_writes_nothing(tmp_path: Path):
    shutil.copytree(REPO / "publications", tmp_path / "publications")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    first = build_site(tmp_path, tmp_path / "site", since=SINCE)
    seen = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in first.files}
    for path in first.files:
        os.utime(path, ns=(1, 1))  # so a rewrite of the same bytes would show
    again = build_site(tmp_path, tmp_path / "site", since=SINCE)
    assert again.written == [] and again.files == first.files
    assert all(p.read_bytes() == seen[p][0] and p.stat().st_mtime_ns == 1 for p in first.files)
    uids = sorted((tmp_path / "site" / "hollinvale" / "calendar").iterdir())
    assert uids == sorted(
        p for p in first.files if p.parent.name == "calendar" and "hollinvale" in str(p)
    )


def test_sections_for_some_readers_are_labelled_or_left_out(project: Path):
    write_issue(
        project,
        """\
  - type: notice
    heading: For everyone
    body: >-
      Hello *|FNAME|*, *|IF:LNAME|*Dear *|LNAME|**|ELSE:|*Dear reader*|END:IF|*.
      [Mail us](mailto:*|EMAIL|*)
  - type: notice
    heading: For foster carers
    for_groups: [Foster carers]
    body: Only some readers see this.
""",
    )
    build_site(project, project / "site", since=SINCE)
    page = (project / "site" / "test" / "issue" / "index.html").read_text()
    assert "Hello colleague, Dear reader. Mail us" in page and "*|" not in page
    assert "For readers interested in Foster carers" in page
    build_site(project, project / "public", public_only=True, since=SINCE)
    public = (project / "public" / "test" / "issue" / "index.html").read_text()
    assert "For everyone" in public and "Foster carers" not in public


def test_the_pdf_is_a4_tagged_with_working_links(tmp_path: Path):
    shutil.copytree(REPO / "publications", tmp_path / "publications")
    shutil.copy(REPO / "examples" / "wscp-2020-12.yaml", tmp_path)
    build_site(tmp_path, tmp_path / "site", pdf=True, since=SINCE)
    folder = tmp_path / "site" / "wscp" / "wscp-2020-12"
    assert 'href="wscp-2020-12.pdf"' in (folder / "index.html").read_text()
    reader = pypdf.PdfReader(folder / "wscp-2020-12.pdf")
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    uris = {
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object()
    }
    assert (
        "https://www.safeguardingworcestershire.org.uk/wscp-safeguarding-babies-initiative/" in uris
    )


def test_an_invalid_issue_stops_the_build_and_writes_nothing(project: Path):
    write_issue(project, "  - type: evnts\n")
    with pytest.raises(Exception, match="unknown section type"):
        build_site(project, project / "site", since=SINCE)
    assert not (project / "site").exists()


def test_an_issue_dated_after_the_day_is_held_back_from_the_site_and_its_feed(project: Path):
    write_issue(project, "  - {type: notice, heading: Sent, body: Out in December}\n", "dec.yaml")
    write_issue(
        project,
        "  - type: events\n    events:\n      - {title: Embargoed launch, date: 2021-01-20}\n",
        "jan.yaml",
        date="2021-01-08",
    )
    built = build_site(project, project / "site", since=SINCE, until=dt.date(2021, 1, 7))
    site = project / "site" / "test"
    assert [b.path.name for b in built.held_back] == ["jan.yaml"] and built.stale == []
    assert (site / "dec" / "index.html").is_file() and not (site / "jan").exists()
    published = "".join(p.read_text() for p in site.rglob("*") if p.is_file())
    assert "Embargoed launch" not in published and "jan/" not in published

    on_the_day = build_site(project, project / "site", since=SINCE, until=dt.date(2021, 1, 8))
    assert on_the_day.held_back == [] and (site / "jan" / "index.html").is_file()
    assert "Embargoed launch" in (site / "calendar.ics").read_text()
    # built early by hand, then held back again: the page already there is named
    again = build_site(project, project / "site", since=SINCE, until=dt.date(2021, 1, 7))
    assert again.stale == [site / "jan"]


def test_nothing_dated_yet_is_one_line_naming_the_first_issue_and_the_option(project: Path):
    write_issue(project, "  - {type: notice, heading: Hi, body: Soon}\n", date="2021-01-08")
    with pytest.raises(BulletinError) as info:
        build_site(project, project / "site", until=dt.date(2021, 1, 7))
    assert str(info.value) == (
        f"{project}: no issue is dated on or before 2021-01-07; the first, issue.yaml, "
        "is dated 2021-01-08 (--until 2021-01-08 puts it on)"
    )
    assert not (project / "site").exists()


def test_the_command_names_each_held_back_issue_and_a_page_left_from_an_early_build(
    project: Path, monkeypatch
):
    write_issue(project, "  - {type: notice, heading: Sent, body: Out}\n", "dec.yaml")
    write_issue(
        project, "  - {type: notice, heading: Draft, body: Soon}\n", "jan.yaml", date="2099-01-08"
    )
    monkeypatch.chdir(project)
    early = CliRunner().invoke(main, ["site", "--until", "2099-01-08"])
    assert early.exit_code == 0 and "held back" not in early.output, early.output
    result = CliRunner().invoke(main, ["site"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        f"held back jan.yaml: dated 2099-01-08, after {dt.date.today():%Y-%m-%d}"
        " (--until 2099-01-08 puts it on)",
        f"warning: {Path('site') / 'test' / 'jan'} is from a held-back issue: delete it before"
        " you upload",
    ]


@pytest.mark.parametrize(
    ("out", "says"),
    [
        (".", "--out . is the project's folder itself"),
        ("..", "--out .. holds the project"),
        ("drafts", "--out drafts holds the issue drafts/jan.yaml"),
    ],
)
def test_an_output_folder_mixed_with_the_issues_is_refused(project: Path, monkeypatch, out, says):
    """Before, the issues inside OUT were passed over and the build said there were none."""
    (project / "drafts").mkdir()
    write_issue(project / "drafts", "  - {type: notice, heading: Hi, body: Soon}\n", "jan.yaml")
    before = sorted(project.parent.rglob("*"))
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["site", "--out", out])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"error: {says}") and len(result.output.splitlines()) == 1
    assert "give the web edition a folder of its own (the default is site/)" in result.output
    assert sorted(project.parent.rglob("*")) == before


@pytest.mark.parametrize(
    ("issue_name", "out", "says"),
    [
        ("jan.yaml", "jan.yaml", "jan.yaml is the issue itself"),
        ("jan.pdf", None, "jan.pdf is the issue itself"),
        ("jan.yaml", "jan-print.txt", "--out jan-print.txt: a PDF's path ends in .pdf"),
        ("jan.yaml", "../README.md", "--out ../README.md: a PDF's path ends in .pdf"),
    ],
)
def test_the_pdf_never_writes_over_the_issue_or_a_file_that_is_no_pdf(
    project: Path, monkeypatch, issue_name, out, says
):
    """Before, `bulletin pdf jan.yaml --out jan.yaml` replaced the issue with its PDF."""
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Soon}\n", issue_name)
    (project.parent / "README.md").write_text("notes")
    before = {p: p.read_bytes() for p in project.parent.rglob("*") if p.is_file()}
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["pdf", issue.name, *(["--out", out] if out else [])])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"error: {says}")
    assert result.output.endswith("(nothing written)\n") and len(result.output.splitlines()) == 1
    assert {p: p.read_bytes() for p in project.parent.rglob("*") if p.is_file()} == before
