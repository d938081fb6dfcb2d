"""Whatever a writer types, rendering neither crashes nor lets active content through."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.compose.markdown import to_html, to_text

NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<iframe src=https://evil.test/></iframe>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<svg onload=alert(1)>",
        "**bold** _it_ `code`",
        "- item\n  - nested\n    - deeper",
        "1. one\n2. two",
        "> quote",
        "# heading",
        "\u202e\u0000\ufeff",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), NASTY), max_size=8).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_markdown_html_never_carries_active_content(text: str):
    html = to_html(text).lower()
    assert "<script" not in html
    assert "<iframe" not in html
    assert "<svg" not in html
    assert "style=" not in html
    assert not re.search(r"<[^>]*\son\w+\s*=", html)  # in a tag: words in the text are words
    assert not re.search(r'<a [^>]*href="\s*(?!https?:|mailto:|tel:|#)[a-z0-9+.-]+:', html)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_markdown_text_never_crashes_and_has_no_tags(text: str):
    plain = to_text(text)
    if "<script" in plain.lower():  # only where the writer escaped it to show it as text
        assert "&lt;script" in text.lower() or "\\<script" in text.lower()
