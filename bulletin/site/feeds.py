"""The Atom feed of a publication's issues, and its sitemap (stdlib XML: both are small)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from bulletin.document.issue import Bulletin
from bulletin.document.models import Publication

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class Listed:
    """An issue as the index and the feed list it."""

    stem: str
    title: str
    date: dt.date
    preview: str
    href: str  # its page, from the publication's folder
    host: str  # the publication's website's host, for ids that never change


def listed(b: Bulletin) -> Listed:
    issue = b.issue
    title = f"{issue.title}: {issue.subtitle or f'{issue.date:%B %Y}'}"
    host = urlsplit(b.publication.website).hostname or "bulletin"
    return Listed(b.path.stem, title, issue.date, issue.preview, f"{b.path.stem}/", host)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom(pub: Publication, issues: list[Listed], base: str | None) -> bytes:
    """Newest first; ids are tag: URIs of the website's host, so they survive a move."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    host = issues[0].host
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{pub.name}: bulletins"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"tag:{host},2000:bulletin"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(max(i.date for i in issues))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = pub.name
    if base:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}feed.xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=base or "./")
    for item in issues:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = item.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"tag:{item.host},{item.date}:{item.stem}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(item.date)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=(base or "") + item.href)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = item.preview
    return _xml(feed)


def sitemap(issues: list[Listed], base: str) -> bytes:
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    pages = [(base, max(i.date for i in issues))] + [(base + i.href, i.date) for i in issues]
    for loc, day in pages:
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = loc
        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = day.isoformat()
    return _xml(urlset)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
