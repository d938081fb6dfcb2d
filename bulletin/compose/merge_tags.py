"""Mailchimp's merge tags, `*|FNAME|*`: how one is written, for every part that reads them.

Mailchimp fills a tag in per reader as it sends; everywhere else (Markdown, the checks, the
interest blocks, the preview's sample values) the text between `*|` and `|*` is what counts.
"""

from __future__ import annotations

import re

OPEN = "*|"
BODY = r"[^|*\n]*"  # what a tag holds: no pipe, asterisk or line break
MERGE_TAG = re.compile(rf"\*\|({BODY})\|\*")


def merge_tag(name: str) -> str:
    """`FNAME` -> `*|FNAME|*`."""
    return f"*|{name}|*"
