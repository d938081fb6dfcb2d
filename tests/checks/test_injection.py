"""Nothing reaches CSS, links or merge tags that should not: publication fonts are a font-family
list or an error, CSS the inliner cannot read is one line, `*|HTML:...|*` never comes from an
issue, and links that mislead (a user part) or leak (mailto: with cc= or bcc=) are errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.checking import checked, findings, found
from support.issues import write_issue

FONT_ATTACKS = [
    "Arial; background-image: url(https://tracker.example/pixel.gif)",
    "Arial} body { display: none } h1 {",
    "Arial;}</style><script>alert(1)</script>",
    'Arial" onload="alert(1)',
    "Arial, url(https://tracker.example/)",
    "expression(alert(1))",
    "Arial /* */",
    "",
]


def with_fonts(project: Path, body: str) -> Path:
    pub = project / "publications" / "test.yaml"
    text = pub.read_text().replace("fonts:", "old_fonts:")
    pub.write_text(text + f"fonts:\n  body: {body!r}\n")
    return pub


@pytest.mark.parametrize("value", FONT_ATTACKS)
def test_a_font_that_is_no_font_family_list_is_an_error_at_its_line(project: Path, value: str):
    pub = with_fonts(project, value)
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Hello}\n")
    problems, rendered = findings(issue)
    assert rendered is None
    (problem,) = problems
    assert problem.file == str(pub) and problem.field == "fonts.body"
    assert "not a list of font names" in problem.message or "blank" in problem.message


@pytest.mark.parametrize(
    "value", ["Arial, Helvetica, sans-serif", '"Segoe UI", Roboto, sans-serif', "'Open Sans'"]
)
def test_a_font_family_list_reaches_the_css(project: Path, value: str):
    with_fonts(project, value)
    problems, rendered = findings(
        write_issue(project, "  - {type: notice, heading: Hi, body: Hi}\n")
    )
    assert rendered is not None, problems
    assert "tracker" not in rendered.html


def test_css_the_inliner_cannot_read_is_one_line(project: Path):
    from bulletin.compose.render import mjml_to_html
    from bulletin.document.issue import load_bulletin
    from bulletin.errors import SetupError

    bulletin = load_bulletin(write_issue(project, "  - {type: notice, heading: Hi, body: Hi}\n"))
    broken = (
        '<mjml><mj-body><mj-section><mj-column><mj-text><h1 style="font-family: Arial;}'
        '</style><script>">x</h1></mj-text></mj-column></mj-section></mj-body></mjml>'
    )
    with pytest.raises(SetupError) as info:
        mjml_to_html(broken, bulletin)
    assert str(info.value).startswith("the email's CSS could not be put on its elements: ")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("field", ["heading", "body"])
@pytest.mark.parametrize("tag", ["*|HTML:ORG|*", "*|HTML:FNAME|*", "*|HTML:LIST_ADDRESS_HTML|*"])
def test_raw_html_merge_tags_never_come_from_an_issue(project: Path, field: str, tag: str):
    values = {"heading": "Hello", "body": "Hello"}
    values[field] = f"Dear {tag}"
    problems = checked(
        project,
        f'  - type: notice\n    heading: "{values["heading"]}"\n    body: "{values["body"]}"\n',
    )
    (hit,) = found(problems, "merge-tag-unknown")
    assert "puts the reader's own data into the email as raw HTML" in hit.message
    assert hit.field == f"sections[0].{field}" and hit.severity == "error"


def test_a_plain_merge_tag_stays_fine(project: Path):
    problems = checked(project, '  - type: notice\n    heading: "Dear *|FNAME|*"\n    body: Hi\n')
    assert found(problems, "merge-tag-unknown") == []


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://www.a.org@evil-site.net/", "has a user part ('www.a.org@'), so it goes to evil"),
        ("https://user:pw@www.gov.uk/", "has a user part ('user:pw@')"),
        ("mailto:jo@org.uk?bcc=list@evil.example", "has bcc=, copying every message"),
        ("mailto:jo@org.uk?subject=Hi&cc=x@evil.example", "has cc=, copying every message"),
        ("mailto:jo@org.uk?CC=a@b.org&BCC=c@d.org", "has bcc= and cc="),
    ],
)
@pytest.mark.parametrize("where", ["link", "markdown"])
def test_links_that_mislead_or_leak_are_errors_with_the_reason(
    project: Path, url: str, says: str, where: str
):
    if where == "link":
        sections = (
            "  - type: notice\n    heading: Hi\n    body: Hi\n"
            f'    links: [{{text: Write, url: "{url}"}}]\n'
        )
    else:
        sections = f'  - type: notice\n    heading: Hi\n    body: "Write [to us]({url})"\n'
    problems, _ = findings(write_issue(project, sections))
    messages = [p.message for p in problems if p.severity == "error"]
    assert any(says in m for m in messages), messages


def test_an_ordinary_mailto_with_a_subject_is_fine(project: Path):
    problems = checked(
        project,
        "  - type: notice\n    heading: Hi\n"
        '    body: "Write [to us](mailto:jo@org.uk?subject=Hi)"\n',
    )
    assert [p for p in problems if p.severity == "error"] == []
