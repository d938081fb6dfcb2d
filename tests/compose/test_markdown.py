"""Body text: Markdown to safe HTML, and to plain text with every link visible."""

from bulletin.compose.markdown import inline_html, to_html, to_text


def test_markdown_basics():
    html = to_html("Hello **bold** and *it*\nnext line\n\n- a\n- [b](https://b.org/)")
    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<br>" in html  # a single newline is a line break, as writers expect
    assert '<li><a href="https://b.org/">b</a></li>' in html


def test_script_event_handlers_and_javascript_links_never_survive():
    html = to_html(
        'x <script>alert(1)</script> <a href="javascript:alert(1)" onclick="x()">y</a>'
        " [z](javascript:alert(2)) <img src=x onerror=alert(3)>"
        ' <a href="JaVaScRiPt:alert(4)">w</a>'
    )
    lowered = html.lower()
    assert "<script" not in lowered
    assert "href" not in lowered  # every link here was javascript:, so none is left
    assert "<a>y</a>" in lowered  # the text survives, harmless
    assert "onclick" not in lowered
    assert "onerror" not in lowered


def test_headings_in_body_sit_below_section_headings():
    assert to_html("# Big").startswith("<h3>")
    assert to_html("#### Small").startswith("<h6>")


def test_inline_html_has_no_paragraph():
    assert inline_html("a *b*") == "a <em>b</em>"
    assert inline_html("one\n\ntwo").count("<p>") == 2


def test_plain_text_shows_urls_and_lists():
    text = to_text(
        "See [our site](https://a.org/x) or <https://b.org/>.\n\n"
        "- one\n- two [mail](mailto:x@y.org)\n\n1. first\n2. second\n\nend 20<sup>th</sup>"
    )
    assert "See our site (https://a.org/x) or https://b.org/." in text
    assert "- one\n- two mail (x@y.org)" in text
    assert "1. first\n2. second" in text
    assert "end 20th" in text
    assert "<" not in text


def test_plain_text_strips_raw_html_and_unescapes():
    assert to_text("<div>Tom &amp; Jerry <b>x</b></div>") == "Tom & Jerry x"
    assert to_text("a &amp; b") == "a & b"
