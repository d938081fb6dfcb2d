"""Mailchimp merge tags (`*|FNAME|*`): a wrong one is sent to every reader as written.

Tags are checked in each text of the issue (located at its YAML line) and in the rendered
HTML and plain text, for the ones a template or the publication brings in.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bulletin.checks.context import CheckContext
from bulletin.checks.rules import Hit, rule
from bulletin.compose.merge_tags import MERGE_TAG, merge_tag
from bulletin.document.audiences import DEFAULT_MERGE_FIELDS
from bulletin.errors import did_you_mean

# Mailchimp's own tags (https://mailchimp.com/help/all-the-merge-tags-cheat-sheet/).
BUILT_IN = frozenset({
    "UNSUB", "UPDATE_PROFILE", "ARCHIVE", "ARCHIVE_LINK_SHORT", "FORWARD", "ABOUT_LIST",
    "EMAIL", "UNIQID", "CAMPAIGN_UID", "CURRENT_YEAR", "REWARDS", "REWARDS_TEXT",
    "MC_LANGUAGE", "MC_LANGUAGE_LABEL", "MC_PREVIEW_TEXT", "ABUSE_EMAIL", "SURVEY",
    "MC:SUBJECT", "MC:TOC", "MC:TOC_TEXT", "MC:DATE", "MC:TRANSLATE", "MC:SHARE", "LIST:NAME",
    "LIST:COMPANY", "LIST:ADDRESS", "LIST:ADDRESSLINE", "LIST:PHONE", "LIST:URL",
    "LIST:DESCRIPTION", "LIST:SUBSCRIBERS", "LIST:RECENT", "LIST:UID", "LIST:SUBSCRIBE",
    "LIST:ADDRESS_VCARD", "LIST:ADDRESS_VCARD_HREF", "HTML:LIST_ADDRESS_HTML", "HTML:REWARDS",
})  # fmt: skip
# Tags whose argument is the writer's own: a date format, a group name, a language.
BUILT_IN_PREFIXES = (
    "DATE:", "USER:", "REQUIRED:", "TRANSLATE:", "TWITTER:", "FACEBOOK:", "POLL:",
    "PROMO_CODE:", "INTERESTED:", "INTERESTS:", "LIST:RECENT",
)  # fmt: skip
_CONDITIONS = frozenset({"IF", "IFNOT", "ELSEIF"})
_MODIFIERS = frozenset({"HTML", "TITLE", "LOWER", "UPPER", "URL"})  # *|TITLE:FNAME|*
_STRUCTURE = frozenset({"ELSE", "ELSE:", "END:IF", "END:INTERESTED", "END:POLL", "END:SURVEY"})
# The part of a tag that is upper case: the keyword, and the field a condition or modifier names.
_NAMED = _CONDITIONS | _MODIFIERS | {"LIST", "MC", "END"}

_UNCLOSED = re.compile(r"\*\|[A-Za-z][\w:]*\|?")
_UNOPENED = re.compile(r"\|\*")  # then the name before it, read backwards (linear time)
_NAME_BEFORE = re.compile(r"\|?[A-Za-z][\w:]{0,40}\Z")


@dataclass(frozen=True)
class Tag:
    body: str  # between `*|` and `|*`
    line: int  # from 0, in the text it was found in
    column: int = 0  # from 0, on that line

    def __str__(self) -> str:
        return merge_tag(self.body)

    @property
    def keyword(self) -> str:
        return self.body.partition(":")[0]

    @property
    def field(self) -> str:
        """The merge field a condition tests or a modifier formats (`FNAME` in `IF:FNAME=x`)."""
        return re.split(r"\s*(?:!=|=|<|>)", self.body.partition(":")[2], maxsplit=1)[0]

    @property
    def name(self) -> str:
        """What must be upper case: `IF:FNAME` of `IF:FNAME=Bob`, `DATE` of `DATE:d/m/Y`."""
        if self.keyword.upper() in _NAMED:
            return f"{self.keyword}:{self.field}" if ":" in self.body else self.keyword
        return self.keyword


def tags(text: str) -> list[Tag]:
    """Every tag with its line offset, counting newlines as it goes (texts can be long)."""
    found, line, last = [], 0, 0
    for match in MERGE_TAG.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        found.append(Tag(match.group(1), line, _column(text, match.start())))
    return found


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position)


def _column(text: str, position: int) -> int:
    return position - (text.rfind("\n", 0, position) + 1)


def _rendered(ctx: CheckContext) -> tuple[tuple[str, str], ...]:
    """The rendered parts as text: the HTML with its entities decoded, and the plain text."""
    return (("HTML", htmllib.unescape(ctx.html)), ("plain-text part", ctx.rendered.text))


def _in_texts(ctx: CheckContext) -> set[str]:
    return {str(tag) for field in ctx.texts for tag in tags(field.value)}


def _from_template(message: str, part: str) -> str:
    return f"in the {part}, from a template or the publication: {message}"


@rule(
    "merge-tag-malformed",
    "error",
    "a broken merge tag that Mailchimp leaves as written: `*|FNAME|`, `*| FNAME |*`, `*|fname|*`",
    "write merge tags as `*|NAME|*`: upper case, no spaces, `*|` before and `|*` after",
)
def merge_tag_malformed(ctx: CheckContext) -> Iterator[Hit]:
    """A broken tag is not filled in: every reader gets the asterisks and pipes."""
    seen: set[str] = set()
    for field in ctx.texts:
        for fragment, message, line, column in _malformed(field.value):
            seen.add(fragment)
            yield Hit(message, field.loc, line=line, column=column)
    for part, text in _rendered(ctx):
        for fragment, message, _, _ in _malformed(text):
            if fragment not in seen:
                seen.add(fragment)
                yield Hit(_from_template(message, part))


def _malformed(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(the fragment, what is wrong with it, its line and column) for each broken tag."""
    for tag in tags(text):
        body = tag.body
        if not body.strip():
            yield str(tag), f"empty merge tag {str(tag)!r}", tag.line, tag.column
        elif body != body.strip():
            fixed = merge_tag(body.strip())
            message = f"merge tag {str(tag)!r} has spaces inside; write {fixed!r}"
            yield str(tag), message, tag.line, tag.column
        elif tag.name != tag.name.upper():
            fixed = merge_tag(tag.name.upper() + body[len(tag.name) :])
            message = f"merge tag {str(tag)!r} is not upper case; write {fixed!r}"
            yield str(tag), message, tag.line, tag.column
    rest = MERGE_TAG.sub(lambda m: " " * len(m.group(0)), text)  # keep the positions
    for match in _UNCLOSED.finditer(rest):
        fragment = match.group(0)
        message = f"merge tag {fragment!r} is not closed: end it with '|*'"
        yield fragment, message, _line(text, match.start()), _column(text, match.start())
    for match in _UNOPENED.finditer(rest):
        name = _NAME_BEFORE.search(rest, max(0, match.start() - 42), match.start())
        if name:
            fragment = name.group(0) + "|*"
            message = f"merge tag {fragment!r} is not opened: start it with '*|'"
            yield fragment, message, _line(text, name.start()), _column(text, name.start())


@rule(
    "merge-tag-unknown",
    "error",
    "a merge tag that is neither Mailchimp's nor one of the audience's merge fields, or one "
    "with `HTML:` (the reader's data as raw HTML)",
    "correct the tag's name, or add the field to the audience in `audiences.yaml` and "
    "Mailchimp; write `*|ORG|*`, not `*|HTML:ORG|*`",
)
def merge_tag_unknown(ctx: CheckContext) -> Iterator[Hit]:
    """Mailchimp sends an unknown tag as written, `*|FNAM|*`, to every reader."""
    fields = ctx.merge_fields or frozenset(DEFAULT_MERGE_FIELDS)  # when the audience is unknown
    for field in ctx.texts:
        for tag in tags(field.value):
            message = _raw_html(tag, in_issue=True) or _unknown(tag, fields)
            if message:
                yield Hit(message, field.loc, line=tag.line, column=tag.column)
    seen = _in_texts(ctx)
    for part, text in _rendered(ctx):
        for tag in tags(text):
            message = _raw_html(tag, in_issue=False) or _unknown(tag, fields)
            if message and str(tag) not in seen:
                seen.add(str(tag))
                yield Hit(_from_template(message, part))


def _raw_html(tag: Tag, *, in_issue: bool) -> str | None:
    """`*|HTML:ORG|*` puts what a reader typed into the email as HTML, unescaped: never in an
    issue's text, and in a template only Mailchimp's own (`*|HTML:LIST_ADDRESS_HTML|*`)."""
    if tag.keyword.upper() != "HTML" or ":" not in tag.body:
        return None
    if not in_issue and tag.body in BUILT_IN:
        return None
    plain = merge_tag(tag.body.partition(":")[2])
    return (
        f"merge tag {str(tag)!r} puts the reader's own data into the email as raw HTML "
        f"(a way to inject markup): write {plain!r}"
    )


def _unknown(tag: Tag, fields: frozenset[str]) -> str | None:
    """What is unknown about a well-formed tag, or None (a malformed one is another rule's)."""
    body = tag.body
    if body != body.strip() or tag.name != tag.name.upper() or not body:
        return None
    names = BUILT_IN | fields
    if tag.keyword in _CONDITIONS | _MODIFIERS and body not in BUILT_IN:
        if tag.field in names:
            return None
        return f"merge tag {str(tag)!r} names {tag.field!r}, " + _not_known(tag.field, names)
    if body in names or body in _STRUCTURE or body.startswith(BUILT_IN_PREFIXES):
        return None
    return f"merge tag {str(tag)!r} is " + _not_known(body, names)


def _not_known(name: str, names: frozenset[str]) -> str:
    return "neither Mailchimp's nor a merge field of the audience" + did_you_mean(
        name, sorted(names)
    )


_OPENS = {"IF": "IF", "IFNOT": "IF", "INTERESTED": "INTERESTED"}
_CLOSES = {"END:IF": "IF", "END:INTERESTED": "INTERESTED"}


@rule(
    "merge-tag-unbalanced",
    "error",
    "a `*|IF:...|*` or `*|INTERESTED:...|*` block without its `*|END:IF|*` "
    "(or `*|END:INTERESTED|*`), or an END or ELSE with no block",
    "close each conditional block in the same text, `*|IF:FNAME|*`...`*|END:IF|*`",
)
def merge_tag_unbalanced(ctx: CheckContext) -> Iterator[Hit]:
    """An open block hides the rest of the email from readers its condition does not match."""
    found = False
    for field in ctx.texts:
        for message, tag in _unbalanced(tags(field.value)):
            found = True
            yield Hit(message, field.loc, line=tag.line, column=tag.column)
    if found:
        return  # the rendered parts hold the same texts: their imbalance is already reported
    for part, text in _rendered(ctx):
        for message, _ in _unbalanced(tags(text)):
            yield Hit(_from_template(message, part))


def _unbalanced(found: list[Tag]) -> Iterator[tuple[str, Tag]]:
    """(what is wrong, its line) for each conditional tag that has no partner."""
    open_blocks: list[tuple[str, Tag]] = []
    for tag in found:
        kind = _OPENS.get(tag.keyword) if ":" in tag.body else None
        if kind:
            open_blocks.append((kind, tag))
        elif tag.body in _CLOSES:
            if open_blocks and open_blocks[-1][0] == _CLOSES[tag.body]:
                open_blocks.pop()
            else:
                yield f"merge tag {str(tag)!r} closes no block: nothing opens it before", tag
        elif tag.keyword in ("ELSE", "ELSEIF") and not (open_blocks and open_blocks[-1][0] == "IF"):
            yield f"merge tag {str(tag)!r} is outside any *|IF:...|* block", tag
    for kind, tag in open_blocks:
        yield f"merge tag {str(tag)!r} is never closed with '*|END:{kind}|*'", tag


RULES = [merge_tag_unknown, merge_tag_unbalanced, merge_tag_malformed]
