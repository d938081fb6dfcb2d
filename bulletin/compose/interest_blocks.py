"""Sections for some readers: Mailchimp's `*|INTERESTED:Category:Group,...|*` blocks.

A section's `for_groups` names preference groups from audiences.yaml; the HTML and the plain
text wrap the section in an INTERESTED block, so only readers who chose one of those groups
see it. Mailchimp drops a block naming a group it does not have without a word, so
`resolve` is strict, and `bulletin check` (checks/audience.py) reports what it refuses. The
preview uses `for_reader` to show the email as a reader with given preferences sees it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bulletin.compose.merge_tags import BODY, merge_tag
from bulletin.document.audiences import Audience

END = merge_tag("END:INTERESTED")
_UNSAFE = re.compile(r"[<>&|*]")  # never in a valid name; kept out of a fallback tag


def resolve(audiences: Sequence[Audience], names: Sequence[str]) -> tuple[str, list[str]]:
    """The category and group names that `names` mean in every audience of the publication.

    Raises LookupError saying what is wrong: an unknown or ambiguous group, groups from two
    categories (one block names one category), or a name meaning different groups in two
    audiences.
    """
    if not audiences:
        raise LookupError(
            "audiences.yaml has no audience for this publication, so no preference groups"
        )
    result: tuple[str, list[str]] | None = None
    for audience in audiences:
        found = [audience.find_group(name) for name in names]
        categories = list(dict.fromkeys(c.category for c, _ in found))
        if len(categories) > 1:
            raise LookupError(
                "a section can be for groups of one category only, as Mailchimp's block names "
                f"one (these are in {' and '.join(repr(c) for c in categories)})"
            )
        this = (categories[0], list(dict.fromkeys(g.name for _, g in found)))
        if result is not None and this != result:
            raise LookupError(
                f"{', '.join(names)} means different groups in the audiences of this "
                "publication: write 'Category:Group'"
            )
        result = this
    assert result is not None
    return result


def open_tag(category: str, groups: Sequence[str]) -> str:
    return merge_tag(f"INTERESTED:{category}:{','.join(groups)}")


def interest_tag(audiences: Sequence[Audience], names: Sequence[str]) -> str:
    """The INTERESTED tag that opens a section for readers of the groups `names`.

    A group that does not resolve still gets a (sanitised) tag as written: `bulletin check`
    reports it, and its error stops the build.
    """
    try:
        return open_tag(*resolve(audiences, names))
    except LookupError:
        return merge_tag("INTERESTED:" + _UNSAFE.sub("", ",".join(names)))


_TAGS = re.compile(
    rf"\*\|(?:(?P<interested>INTERESTED):(?P<args>{BODY})"
    rf"|(?P<if>IF|IFNOT):{BODY}|(?P<else>ELSE):|(?P<end>END:INTERESTED|END:IF))\|\*"
)


def for_reader(text: str, chosen: set[str] | None) -> str:
    """`text` as a reader who chose the groups `chosen` ("Category:Group") sees it.

    None shows every block (an editor's view). INTERESTED blocks are evaluated, with their
    `*|ELSE:|*`; IF blocks are left as written, as the preview has no reader's merge fields.
    """
    out: list[str] = []
    # Each open block: (is it INTERESTED, is its current branch shown).
    stack: list[tuple[bool, bool]] = []
    shown = True
    position = 0
    for match in _TAGS.finditer(text):
        if shown:
            out.append(text[position : match.start()])
        position = match.end()
        keep_tag = False  # an IF block's tags stay as written
        if match["interested"]:
            category, _, groups = match["args"].partition(":")
            wanted = {f"{category}:{g}" for g in groups.split(",")}
            stack.append((True, chosen is None or bool(wanted & chosen)))
        elif match["if"]:
            stack.append((False, True))
            keep_tag = True
        elif match["else"]:
            if stack and stack[-1][0]:
                stack[-1] = (True, chosen is not None and not stack[-1][1])
            else:
                keep_tag = True
        elif match["end"] == "END:INTERESTED":
            if stack and stack[-1][0]:
                stack.pop()
        else:
            if stack and not stack[-1][0]:
                stack.pop()
            keep_tag = True
        if keep_tag and shown:
            out.append(match.group(0))
        shown = all(visible for _, visible in stack)
    if shown:
        out.append(text[position:])
    return "".join(out)
