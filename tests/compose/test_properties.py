"""Whatever a writer types, rendering neither crashes nor lets active content through."""

from html.parser import HTMLParser

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
        "0\nON0=",  # words that read like an attribute are only words
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), NASTY), max_size=8).map("\n".join)
# A backslash, a code span or `&lt;` is how a writer shows markup as text; without them,
# nothing the writer types may reach the plain-text part as a tag.
_SHOWN_AS_TEXT = str.maketrans("", "", "\\`&")
UNESCAPED = st.lists(
    st.one_of(st.text(max_size=40).map(lambda s: s.translate(_SHOWN_AS_TEXT)), NASTY), max_size=8
).map("\n".join)
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "#")


class Markup(HTMLParser):
    """Every tag, comment, declaration and processing instruction an HTML reader would see."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(("/" + tag, []))

    def handle_comment(self, data: str) -> None:
        self.other.append("<!--" + data)

    def handle_decl(self, decl: str) -> None:
        self.other.append("<!" + decl)

    def handle_pi(self, data: str) -> None:
        self.other.append("<?" + data)

    def unknown_decl(self, data: str) -> None:
        self.other.append("<![" + data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_markdown_html_never_carries_active_content(text: str):
    html = to_html(text)
    for tag, attrs in Markup(html).tags:
        assert tag not in ("script", "iframe", "svg", "style"), html
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", html
            if name in ("href", "src"):
                url = (value or "").strip().lower()
                assert ":" not in url.split("/")[0] or url.startswith(SAFE_SCHEMES), html


@settings(max_examples=300, deadline=None)
@given(UNESCAPED)
def test_markdown_text_never_crashes_and_has_no_tags(text: str):
    plain = to_text(text)
    markup = Markup(plain)
    assert markup.tags == [] and markup.other == [], plain


def test_the_attribute_check_reads_tags_not_text():
    assert Markup(to_html("0\nON0=")).tags == [("p", []), ("br", []), ("/p", [])]
    assert Markup('<p onclick="x">').tags == [("p", [("onclick", "x")])]
