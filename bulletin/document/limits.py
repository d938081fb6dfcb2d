"""The bounds on what a YAML file may make us build, so a hostile or broken file gets a clear
error in bounded time and memory instead of minutes, gigabytes or a crash.

A 2.3 KB file of nested YAML aliases expands to gigabytes; mjml-python crashes (SIGSEGV) on
about 20,000 nested HTML elements; ten thousand sections cost seconds and hundreds of MB
before any check could say the email is too big. Each bound sits far above any real issue.
"""

from __future__ import annotations

import re

MAX_FILE_BYTES = 8_000_000  # the largest real issue is ~50 KB; the email stops at 102 KB
MAX_VALUES = 200_000  # values built from one file, aliases counted each time they are used
MAX_SECTIONS = 200  # far beyond what fits under Gmail's 102 KB clip
MAX_HTML_DEPTH = 100  # elements nested in a text's HTML; mjml-python crashes near 20,000

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


def html_depth(text: str) -> int:
    """How deeply the HTML tags written in `text` nest (unclosed tags count as open)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(text):
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def check_html_depth(text: str) -> str:
    """A pydantic validator: refuse HTML nested deeper than any email needs."""
    depth = html_depth(text) if "<" in text else 0
    if depth > MAX_HTML_DEPTH:
        raise ValueError(
            f"its HTML nests {depth:,} elements deep; at most {MAX_HTML_DEPTH} are allowed"
        )
    return text
