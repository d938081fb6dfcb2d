"""Size checks: the HTML against Gmail's 102 KB clip, the <style> CSS against its 16 KB."""

from dataclasses import replace
from pathlib import Path

import pytest
from support.checking import checked, checked_rendered, found, where

from bulletin.checks.size import css_bytes
from bulletin.compose.render import Rendered

ARTICLE = "  - type: article\n    heading: Hello\n    body: World\n"


def html_of(size: int):
    """An edit that pads the HTML to exactly `size` bytes."""

    def edit(rendered: Rendered) -> Rendered:
        room = size - len(rendered.html.encode()) - len("<p></p>")
        html = rendered.html.replace("</body>", f"<p>{'x' * room}</p></body>")
        assert len(html.encode()) == size
        return replace(rendered, html=html)

    return edit


def css_of(size: int):
    """An edit that adds a <style> element, to `size` bytes of CSS in all."""

    def edit(rendered: Rendered) -> Rendered:
        room = size - css_bytes(rendered.html) - len("p{}")
        html = rendered.html.replace("</head>", f"<style>p{{}}{' ' * room}</style></head>")
        assert css_bytes(html) == size
        return replace(rendered, html=html)

    return edit


def test_a_short_issue_passes_the_size_rules(project: Path):
    problems = checked(project, ARTICLE)
    assert not [
        p for p in problems if p.rule in ("html-size-large", "html-size-clipped", "css-size")
    ]


@pytest.mark.parametrize(
    ("size", "rule", "message"),
    [
        (81_919, None, None),
        (
            81_920,
            "html-size-large",
            "the HTML is 81,920 bytes (80 KB); keep it under 80 KB, as Gmail clips at 102 KB",
        ),
        (
            104_447,
            "html-size-large",
            "the HTML is 104,447 bytes (102 KB); keep it under 80 KB, as Gmail clips at 102 KB",
        ),
        (
            104_448,
            "html-size-clipped",
            "the HTML is 104,448 bytes (102 KB); Gmail clips it at 102 KB and hides the footer",
        ),
    ],
)
def test_html_size_warns_at_80_kb_and_is_an_error_at_102_kb(
    project: Path, size: int, rule: str | None, message: str | None
):
    problems = [
        p
        for p in checked_rendered(project, ARTICLE, html_of(size))
        if p.rule in ("html-size-large", "html-size-clipped")
    ]
    if rule is None:
        assert problems == []
        return
    assert where(problems) == [("issue.yaml", 1, "", message)]
    assert problems[0].rule == rule
    assert problems[0].severity == ("error" if rule == "html-size-clipped" else "warning")


def test_css_over_16_kb_is_a_warning(project: Path):
    assert not found(checked_rendered(project, ARTICLE, css_of(16_384)), "css-size")
    problems = found(checked_rendered(project, ARTICLE, css_of(16_385)), "css-size")
    assert where(problems) == [
        (
            "issue.yaml",
            1,
            "",
            "the <style> elements hold 16,385 bytes (16 KB) of CSS; Gmail ignores over 16 KB",
        )
    ]
    assert problems[0].severity == "warning"
