"""The rendered email: accessible, responsive markup, the footer Mailchimp needs, safe content."""

import re
from pathlib import Path

import pytest
from support.issues import write_issue

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin
from bulletin.errors import ContentError

SECTIONS = """\
  - type: article
    heading: Preventing Injury to Babies
    image:
      src: https://www.test-partnership.org.uk/baby.jpg
      alt: A parent holding a baby
      width: 300
    body: |
      Over 4600 babies <script>alert(1)</script> were born.
      <a href="javascript:alert(1)" onclick="steal()">Sneaky</a> & <b>bold</b>

      - one
      - [the strategy](https://www.test-partnership.org.uk/strategy.pdf)
    links:
      - text: Read the full article
        url: https://www.test-partnership.org.uk/babies/
  - type: notice
    heading: "Thank you <i>all</i>"
    body: Thanks.
"""


def rendered(project: Path, sections: str = SECTIONS, **meta: str):
    return render(load_bulletin(write_issue(project, sections, **meta)))


def test_html_is_accessible_markup(project: Path):
    html = rendered(project).html
    assert re.search(r'<html[^>]* lang="en-GB"[^>]* dir="ltr"', html)
    tables = re.findall(r"<table[^>]*>", html)
    assert tables and all('role="presentation"' in t for t in tables)
    images = re.findall(r"<img[^>]*>", html)
    assert images and all(re.search(r'alt="[^"]+"', i) for i in images)
    assert html.count("<h1") == 1


def test_footer_has_mailchimp_merge_tags_and_address(project: Path):
    result = rendered(project)
    for tag in ("*|UNSUB|*", "*|UPDATE_PROFILE|*", "*|ARCHIVE|*"):
        assert f'href="{tag}"' in result.html
    assert "Town Hall<br>High Street<br>Testbury TE1 1ST" in result.html
    assert "unsubscribe from this list (*|UNSUB|*)" in result.text
    assert "update your preferences (*|UPDATE_PROFILE|*)" in result.text


def test_preview_text_is_the_hidden_preheader(project: Path):
    html = rendered(project, preview='"Inside: ICON and training"').html
    assert re.search(r'<div style="display:none;[^"]*">Inside: ICON and training</div>', html)


def test_nothing_dangerous_from_yaml_reaches_html(project: Path):
    html = rendered(project).html.lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "thank you &lt;i&gt;all&lt;/i&gt;" in html  # a plain-text field is escaped


def test_brand_css_is_inlined_and_media_queries_kept(project: Path):
    html = rendered(project).html
    assert re.search(r'<h2 style="[^"]*color: ?#1d4f91', html)
    assert re.search(r'<a href="https://www.test-partnership.org.uk/babies/"', html)
    assert "@media only screen and (max-width:480px)" in html
    assert "<link" not in html  # no web fonts, nothing fetched


def test_links_to_files_say_their_type(project: Path):
    result = rendered(project)
    assert "the strategy</a> (PDF)" not in result.html  # inline Markdown links are the writer's
    assert "Read the full article: https://www.test-partnership.org.uk/babies/" in result.text


def test_plain_text_has_headings_lists_and_visible_urls(project: Path):
    text = rendered(project).text
    assert text.startswith("Test Bulletin\nDecember 2020\nTest Safeguarding Partnership\n")
    assert "PREVENTING INJURY TO BABIES" in text
    assert "- the strategy (https://www.test-partnership.org.uk/strategy.pdf)" in text
    assert "[Image: A parent holding a baby]" in text
    assert "Sneaky & bold" in text
    assert "<" not in text.replace("<I>ALL</I>", "")  # only the literal title keeps brackets


def test_logo_is_linked_with_alt_text(project: Path):
    publication = project / "publications" / "test.yaml"
    publication.write_text(
        publication.read_text()
        + "logo:\n  src: https://www.test-partnership.org.uk/logo.png\n"
        + "  alt: Test Safeguarding Partnership logo\n  width: 180\n"
    )
    html = rendered(project).html
    assert re.search(r'<img alt="Test Safeguarding Partnership logo"[^>]* width="180"', html)
    assert 'href="https://www.test-partnership.org.uk/"' in html


def test_a_project_template_overrides_the_built_in_one(project: Path):
    (project / "templates").mkdir()
    (project / "templates" / "inline.css.j2").write_text("h2 { color: #ff0000; }\n")
    override = project / "sections" / "notice"
    override.mkdir(parents=True)
    (override / "email.txt.j2").write_text("NOTICE: {{ section.body }}\n")
    result = rendered(project)
    assert re.search(r'<h2 style="color: ?#ff0000', result.html)
    assert "NOTICE: Thanks." in result.text


def test_publication_errors_point_into_the_publication_file(project: Path):
    publication = project / "publications" / "test.yaml"
    publication.write_text(publication.read_text() + "colours:\n  primary: purple\n")
    with pytest.raises(ContentError) as info:
        rendered(project)
    (problem,) = info.value.problems
    assert problem.file == str(publication)
    assert (problem.line, problem.field) == (11, "colours.primary")
    assert "not a colour" in problem.message


def test_compacted_html_keeps_every_text_and_joins_outlook_blocks(project: Path):
    body = 'He said "stop;" -- style="x;" stays as written; <!--[if mso | IE]> too.'
    html = rendered(project, f"  - type: notice\n    heading: Words\n    body: '{body}'\n").html
    page = html.split("<body", 1)[1]
    assert 'He said "stop;" -- style="x;" stays as written;' in re.sub(r"<[^>]*>", "", page)
    assert "&lt;!--[if mso | IE]&gt; too." in page
    assert "<![endif]--><!--[if mso | IE]>" not in page
    assert 0 < page.count("<!--[if mso | IE]>") == page.count("<![endif]-->")
    assert not re.search(r'<[a-z][^<>]* style="[^"]*;"', html)
