"""`bulletin site`: the web edition of every issue of a project, one folder per publication.

`OUT/<publication>/` holds `index.html`, `<issue>/index.html` (and `<issue>/<issue>.pdf` with
`--pdf`), `calendar/<entry>.ics`, `calendar.ics`, `feed.xml`, `sitemap.xml` and `site.css`:
upload it to the publication's `site_url`. A file is written only when its bytes change, so a
rebuild with nothing changed writes nothing and every modification time stays.

An issue dated after the day the build is for (today, unless told) is held back: next month's
draft, sitting in the project, must not reach the public site and its feed before it is sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.calendars.entries import entries
from bulletin.calendars.links import ics_path
from bulletin.compose.email_files import email_copy, local_files, relative_urls, shown_at
from bulletin.document.audiences import load_audiences
from bulletin.document.issue import Bulletin, load_bulletin
from bulletin.document.project import PUBLICATIONS
from bulletin.errors import BulletinError, ContentError, problem_at
from bulletin.files import write_atomically
from bulletin.site import feeds
from bulletin.site.calendar import Dated, calendar_bytes, upcoming
from bulletin.site.pages import render_page, sections

_SKIPPED = frozenset({PUBLICATIONS, "sections", "templates", "node_modules"})
_OWN_FOLDER = "give the web edition a folder of its own (the default is site/)"
_ISSUE = re.compile(r"^publication:.*^sections:", re.MULTILINE | re.DOTALL)


@dataclass
class Built:
    """What a build made: every file's path, and those it (re)wrote."""

    files: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    held_back: list[Bulletin] = field(default_factory=list)  # dated after `until`
    until: dt.date = field(default_factory=dt.date.today)
    stale: list[Path] = field(default_factory=list)  # pages of held-back issues already in OUT


def issue_files(root: Path) -> list[Path]:
    """The project's issues: YAML files at or below `root` with `publication:` and
    `sections:`, outside hidden folders and any folder that is a project itself."""
    found = []
    for path in sorted(root.rglob("*.yaml")):
        parts = path.relative_to(root).parts[:-1]
        if any(p.startswith(".") or p in _SKIPPED for p in parts):
            continue
        if any((root.joinpath(*parts[: i + 1]) / PUBLICATIONS).is_dir() for i in range(len(parts))):
            continue  # a project of its own below this one
        if _ISSUE.search(path.read_text(encoding="utf-8", errors="replace")[:200_000]):
            found.append(path)
    return found


def _refuse_mixed_output(root: Path, out: Path, issues: list[Path]) -> None:
    """The web edition is a folder of its own: one that is the project's, holds it, or holds
    one of its `issues` is refused, since the pages written there would mix with the YAML."""
    where = out.resolve()
    if where == root.resolve():
        raise BulletinError(f"--out {out} is the project's folder itself; {_OWN_FOLDER}")
    if where in root.resolve().parents:
        raise BulletinError(f"--out {out} holds the project ({root}); {_OWN_FOLDER}")
    for path in issues:
        if where in path.resolve().parents:
            raise BulletinError(
                f"--out {out} holds the issue {path.relative_to(root)}; {_OWN_FOLDER}"
            )


def load_all(paths: list[Path], root: Path) -> list[Bulletin]:
    """Every issue, or every problem of every issue at once."""
    audiences = load_audiences(root)
    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(load_bulletin(path, audiences=audiences))
        except ContentError as err:
            problems.extend(err.problems)
    if problems:
        raise ContentError(problems)
    return loaded


def build_site(
    root: Path,
    out: Path,
    *,
    public_only: bool = False,
    pdf: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
    publication: str | None = None,
) -> Built:
    """The web edition of the issues dated on or before `until` (default today)."""
    until = until or dt.date.today()
    paths = issue_files(root)
    _refuse_mixed_output(root, out, paths)
    bulletins = load_all(paths, root)
    by_pub: dict[str, list[Bulletin]] = defaultdict(list)
    held_back = []
    for b in bulletins:
        if publication is not None and b.issue.publication != publication:
            continue
        if b.issue.date > until:
            held_back.append(b)
        else:
            by_pub[b.issue.publication].append(b)
    if not by_pub:
        raise BulletinError(_nothing_due(root, held_back, until))
    files: dict[Path, bytes] = {}
    for pub_id, issues in sorted(by_pub.items()):
        _clashes(issues)
        folder = out / pub_id
        files.update(_publication(folder, issues, public_only, pdf, since or dt.date.today()))
    built = write_changed(files)
    built.held_back = sorted(held_back, key=lambda b: (b.issue.date, b.path))
    built.until = until
    pages = (out / b.issue.publication / b.path.stem for b in built.held_back)
    built.stale = [page for page in pages if page.exists()]
    return built


def _nothing_due(root: Path, held_back: list[Bulletin], until: dt.date) -> str:
    if not held_back:
        return f"{root}: no issues to put on the web"
    first = min(held_back, key=lambda b: b.issue.date)
    return (
        f"{root}: no issue is dated on or before {until:%Y-%m-%d}; the first, "
        f"{first.path.relative_to(root)}, "
        f"is dated {first.issue.date:%Y-%m-%d} (--until {first.issue.date:%Y-%m-%d} puts it on)"
    )


def _clashes(issues: list[Bulletin]) -> None:
    seen: dict[str, Path] = {}
    for b in issues:
        other = seen.setdefault(b.path.stem, b.path)
        if other != b.path:
            raise ContentError([problem_at(b.path, f"has the name of {other}: rename one")])


def _publication(
    folder: Path, issues: list[Bulletin], public_only: bool, pdf: bool, since: dt.date
) -> dict[Path, bytes]:
    issues = sorted(issues, key=lambda b: (b.issue.date, b.path.stem), reverse=True)
    latest = issues[0]
    pub, base = latest.publication, latest.publication.site_base
    files: dict[Path, bytes] = {}
    dated: list[Dated] = []
    year = max(b.issue.date.year for b in issues)
    for b in issues:
        stem = b.path.stem
        page_url = f"{base}{stem}/" if base else None
        own = local_files(b)  # the issue's own images and documents, copied beside its page
        with shown_at(relative_urls(own, "files")):
            html = issue_page(b, public_only=public_only, pdf=pdf)
        files[folder / stem / "index.html"] = html.encode()
        for copy in map(email_copy, own):
            files[folder / stem / "files" / copy.name] = copy.data
        if pdf:
            from bulletin.site.pdf import pdf_bytes

            files[folder / stem / f"{stem}.pdf"] = pdf_bytes(html, folder / stem)
        for entry in entries(b):
            item = Dated(entry, b.issue.date, page_url)
            dated.append(item)
            files[folder / ics_path(entry)] = calendar_bytes([item], entry.title)
    files[folder / "calendar.ics"] = calendar_bytes(upcoming(dated, since), f"{pub.name}: dates")
    years: dict[int, list[feeds.Listed]] = defaultdict(list)
    for b in issues:
        years[b.issue.date.year].append(feeds.listed(b))
    ordered = sorted(years.items(), reverse=True)
    index = render_page(latest, "index.html.j2", root="", years=ordered, year=year)
    files[folder / "index.html"] = index.encode()
    files[folder / "site.css"] = render_page(latest, "site.css.j2").encode()
    files[folder / "feed.xml"] = feeds.atom(pub, [feeds.listed(b) for b in issues], base)
    if base:  # a sitemap lists whole addresses: it needs the site's
        files[folder / "sitemap.xml"] = feeds.sitemap([feeds.listed(b) for b in issues], base)
    return files


def write_changed(files: dict[Path, bytes]) -> Built:
    """Write the files whose bytes differ from what is there; leave the others untouched."""
    changed = {}
    for path, content in files.items():
        try:
            if path.read_bytes() == content:
                continue
        except OSError:
            pass
        changed[path] = content
    write_atomically(changed, shared=True)
    return Built(sorted(files), sorted(changed))


def issue_page(b: Bulletin, *, public_only: bool = False, pdf: bool = False) -> str:
    """An issue's web page, as `OUT/<publication>/<issue>/index.html` holds it."""
    base = b.publication.site_base
    stem = b.path.stem
    return render_page(
        b,
        "issue.html.j2",
        root="../",
        sections=sections(b, public_only=public_only),
        canonical=f"{base}{stem}/" if base else None,
        pdf=f"{stem}.pdf" if pdf else None,
        year=b.issue.date.year,
    )


def issue_pdf(path: Path, target: Path, *, public_only: bool = False) -> int:
    """`bulletin pdf`: one issue's PDF at `target`; its size in bytes."""
    from bulletin.site.pdf import pdf_bytes

    data = pdf_bytes(issue_page(load_bulletin(path), public_only=public_only), target.parent)
    write_atomically({target: data}, shared=True)
    return len(data)
