"""The three example issues reproduce, with nothing lost, the real bulletins they were made from.

`tests/data/seeds/` holds the text of three bulletins as sent (see its README). Each example in
`examples/` rebuilds one of them with the built-in sections. Rendered through the library, its
plain-text part must contain every sentence of the seed and every URL the seed links to, so a
paragraph, list item, date, time, name or contact dropped from the YAML fails this test.

Why the two sides are normalised before they are compared:

- The seeds are text extracted from the sent emails, partly as Markdown (`**bold**`, `*italic*`,
  `<sup>th</sup>`, `<https://...>` autolinks, `[text](url)` links, backslash escapes such as
  `test\\_email`) and partly as plain text with `•` bullets. That syntax is markup, not
  content, so it is stripped; link URLs are taken out and checked on their own.
- Our plain text writes every link out, as "text (URL)" inside paragraphs and "text: URL" for
  link lists, and Mailchimp merge tags as "(*|UNSUB|*)". Those addresses are checked by the URL
  test, so they are removed before sentences are matched.
- Typography differs for no loss of meaning: curly and straight quotes, en/em dashes and hyphens,
  bullets, non-breaking and repeated spaces, headings in capitals with `===` underlines, labels
  ending in a colon, the parentheses round a note. Sentences are therefore compared as sequences
  of words (letters, digits and the apostrophes, dots, slashes and @ inside a word), ignoring
  case. Words themselves must match exactly, so the seed's typos ("its normal") must survive.
- Our templates write dates and times one way ("Wednesday 25 November 2020", "9am to 4pm",
  "2.30pm"); the seeds write them several ("25 November 2020", "Wednesday 18th November 2020",
  "November 17th - 10am", "9.00am - 4.00pm"). Both sides are put in one form: ordinals lose their
  suffix, a date becomes "<day>-<month>" (the weekday before it dropped, a year after it kept),
  ":00" goes from a time, and a dash between two times reads "to". A seed date without a year
  matches ours with one.

Sentences are split on `.`, `!` and `?` followed by a space, and on line breaks.
"""

from __future__ import annotations

import html
import re
from functools import cache

import pytest
from support.paths import DATA, REPO

from bulletin.compose.render import Rendered, render
from bulletin.document.issue import load_bulletin

ROOT = REPO
SEEDS = DATA / "seeds"
EXAMPLES = ROOT / "examples"
NAMES = ["wscp-2020-12", "wscp-2020-04", "herefordshire-2020-11"]

# Seed text that is not the bulletin's content, removed before sentences are split. Each entry
# must occur in its seed exactly as written, so this list cannot quietly hide real content.
NOT_OURS: dict[str, list[str]] = {
    "wscp-2020-12": [
        "Adobe Acrobat  \nDocument",  # the label of the PDF icon beside the strategy link
    ],
    "wscp-2020-04": [],
    "herefordshire-2020-11": [
        "Email Marketing Powered by Mailchimp",  # Mailchimp's own badge, which Mailchimp adds
    ],
}

# Seed text read a little differently, each for a stated reason; every entry must still occur.
SEED_FIXES: dict[str, list[tuple[str, str]]] = {
    "wscp-2020-12": [],
    "wscp-2020-04": [],
    "herefordshire-2020-11": [
        # Extraction ran two lines together; read with the line break put back.
        ("November 17thWe really hope", "November 17th\nWe really hope"),
        # The webinar's platform field is "Microsoft Teams" and the templates label it "Online:".
        ("Online via Microsoft Teams", "Online: Microsoft Teams"),
    ],
}

_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTH = "(?:" + "|".join(_MONTHS) + ")"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_TIME = r"\d{1,2}(?:\.\d{2})?(?:am|pm)|12 noon"
_WORD = re.compile(r"\w+(?:['.@/&-]\w+)*")
_DATE_TOKEN = re.compile(rf"\d{{1,2}}-{_MONTH}")
_URL = re.compile(r"(?:https?://|mailto:|tel:)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")


def normalise(text: str) -> str:
    """One form for typography, dates and times, for seed and output alike (see module doc)."""
    text = text.replace("\xa0", " ").replace("\u200b", "")
    text = re.sub("[\u2018\u2019\u201a\u201b\u2032`]", "'", text)
    text = re.sub("[\u201c\u201d\u201e\u201f\u2033]", '"', text)
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)  # hyphens, en/em dashes, minus
    text = re.sub("[\u2022\u00b7\u25aa\u25cf\u25e6]", " ", text)  # bullets
    text = text.casefold()
    text = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", text)
    # Times: 9.00am -> 9am, 9:30 am -> 9.30am; a dash or "to" between two times -> " to ".
    text = re.sub(r"\b(\d{1,2})[.:]00\s*(am|pm)\b", r"\1\2", text)
    text = re.sub(r"\b(\d{1,2})[.:](\d{2})\s*(am|pm)\b", r"\1.\2\3", text)
    text = re.sub(rf"\b({_TIME})\s*(?:-|to)\s*({_TIME})", r"\1 to \2", text)
    # Dates: "17 november", "november 17", "november 17, 2020" -> "17-november" (+ " 2020").
    text = re.sub(rf"\b0?(\d{{1,2}}) ({_MONTH})\b", lambda m: f"{int(m[1])}-{m[2]}", text)
    text = re.sub(rf"\b({_MONTH}) 0?(\d{{1,2}})\b,?", lambda m: f"{int(m[2])}-{m[1]}", text)
    text = re.sub(rf"\b{_WEEKDAY}\s*[-,]?\s*(?=\d{{1,2}}-{_MONTH}\b)", "", text)
    return text


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


# --- the seed side ---------------------------------------------------------------------------


def seed_text(name: str) -> str:
    text = (SEEDS / f"{name}.txt").read_text(encoding="utf-8").replace("\xa0", " ")
    for old, new in SEED_FIXES[name]:
        assert old in text, f"{name}: seed fix no longer applies: {old!r}"
        text = text.replace(old, new)
    for fragment in NOT_OURS[name]:
        assert fragment in text, f"{name}: not in the seed: {fragment!r}"
        text = text.replace(fragment, "\n")
    return re.sub(r"\\+([^\w\s]|_)", r"\1", text)  # Markdown escapes: test\\_email -> test_email


def seed_urls(name: str) -> list[str]:
    """Every link target in the seed: [text](url), <url> and bare addresses."""
    text = seed_text(name)
    found = re.findall(r"\]\(([^)\s]+)\)", text)
    found += re.findall(r"<((?:https?://|mailto:)[^>\s]+)>", text)
    found += _URL.findall(re.sub(r"\]\([^)\s]+\)|<[^>\s]+>", " ", text))
    return list(dict.fromkeys(found))


def seed_sentences(name: str) -> list[str]:
    """The seed's sentences with Markdown and URLs taken out (only those with words)."""
    text = seed_text(name)
    text = re.sub(r"\[([^\]]*)\]\([^)\s]+\)", r"\1", text)  # [text](url) -> text
    text = re.sub(r"<(?:https?://|mailto:)[^>\s]+>", " ", text)  # autolinks
    text = re.sub(r"</?[a-z][^>]*>", "", text)  # <sup>th</sup> -> th
    text = _URL.sub(" ", text)  # link texts that were URLs, bare URLs
    text = re.sub(r"\*+|^#+ *|^\s*[-*] ", "", text, flags=re.MULTILINE)
    pieces = re.split(r"\n|(?<=[.!?])\s+", text)
    return [p.strip() for p in pieces if _WORD.search(p)]


# --- the rendered side -----------------------------------------------------------------------


@cache
def rendered(name: str) -> Rendered:
    return render(load_bulletin(EXAMPLES / f"{name}.yaml"))


def text_without_urls(text: str) -> str:
    """Our text with written-out link targets and Mailchimp merge tags taken out."""
    text = re.sub(r"\s*\(\*\|[A-Z_]+\|\*\)|:?\s*\*\|[A-Z_]+\|\*", "", text)
    text = re.sub(r"\s*\((?:https?://|mailto:|tel:)[^)\s]*\)", "", text)  # " (URL)"
    return _URL.sub(" ", text)  # ": URL" of link lists, and bare URLs


def sentence_pattern(sentence: str) -> re.Pattern[str]:
    """The sentence's words in order; a date without a year also matches one with it."""
    tokens = words(sentence)
    parts = []
    for i, token in enumerate(tokens):
        part = re.escape(token)
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if _DATE_TOKEN.fullmatch(token) and not re.fullmatch(r"\d{4}", following):
            part += r"(?: \d{4})?"
        parts.append(part)
    return re.compile(r"(?<!\S)" + " ".join(parts) + r"(?!\S)")


def missing_sentences(name: str) -> tuple[int, list[str]]:
    haystack = " ".join(words(text_without_urls(rendered(name).text)))
    sentences = seed_sentences(name)
    missing = [s for s in sentences if not sentence_pattern(s).search(haystack)]
    return len(sentences), missing


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_seed_sentence_is_in_the_text_part(name: str) -> None:
    count, missing = missing_sentences(name)
    assert count > 10, f"{name}: the seed split into only {count} sentences"
    assert not missing, f"{name}: {len(missing)} of {count} seed sentences missing:\n" + "\n".join(
        f"  {s!r}" for s in missing
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_seed_url_is_in_the_text_and_html(name: str) -> None:
    urls = seed_urls(name)
    out = rendered(name)
    page = html.unescape(out.html)
    for url in urls:
        shown = url.removeprefix("mailto:")
        assert shown in out.text, f"{name}: {url} is not in the text part"
        assert url in page, f"{name}: {url} is not linked in the HTML"


@pytest.mark.parametrize("name", NAMES)
def test_stand_in_links_are_real_sites(name: str) -> None:
    source = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
    assert source.startswith("# yaml-language-server: $schema=../build/issue.schema.json\n")
    assert "example.com" not in source and "example.org" not in source


def test_the_matching_is_strict() -> None:
    """A dropped sentence, a changed word or a wrong date must not match."""
    text = "Practitioner Forum\nWednesday 16 December 2020, 9am to 4pm\nIts normal to cry."
    haystack = " ".join(words(text))
    assert sentence_pattern("Wednesday 16th December").search(haystack)
    assert sentence_pattern("16 December 2020 9.00am \u2013 4.00pm").search(haystack)
    assert sentence_pattern("its normal to cry").search(haystack)
    assert not sentence_pattern("it's normal to cry").search(haystack)
    assert not sentence_pattern("Wednesday 16 December 2021").search(haystack)
    assert not sentence_pattern("17 December").search(haystack)
    assert not sentence_pattern("Practitioner Forum Focus").search(haystack)
