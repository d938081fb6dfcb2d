"""Whatever a writer puts in an issue, `bulletin check` answers with findings, never a traceback.

Issues are built from the built-in sections' examples (sections/*/example.yaml), several of
random types, whose strings are swapped for odd text: empty-ish, 10,000 characters long,
right-to-left marks, emoji, combining and control characters, deeply nested Markdown lists,
odd URLs and merge tags. Each goes through validation, rendering and every offline rule: the
only exception allowed is a ContentError from validation; each finding must name its rule and
a real line.
"""

import copy
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from support.checking import findings
from support.paths import DATA, REPO

from bulletin.checks import run_rules
from bulletin.compose.render import render
from bulletin.document import source
from bulletin.document.issue import Bulletin, load_bulletin
from bulletin.errors import ContentError, Problem

EXAMPLES = {
    p.parent.name: source.load(p).data for p in sorted((REPO / "sections").glob("*/example.yaml"))
}
PUBLICATIONS = ["herefordshire", "wscp", "test"]  # test: no brand, every default colour
KEEP = {"type", "email", "phone", "start", "end"}  # a changed one only fails validation
URL_KEYS = {"url", "src", "link"}
MESSAGE_MAX = 400  # a message quotes values cut short, not a whole 10,000-character text

LONG = 10_000
ODD_CHARS = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
EMPTYISH = st.sampled_from(["", " ", "\n", "\t", "\u200b", "\ufeff", "-", "#", "*", ">", "\\"])
UNICODE = st.sampled_from(
    [
        "\u200f\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627\u200e",  # Hebrew, Arabic
        "\u202eevil\u202c override",
        "👶🏽 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️",
        "e\u0301\u0301\u0301\u0301 Z\u0335\u0351\u0350a\u0337\u0308lgo",
        "\x01\x02\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\t control",
        "line\u2028separator\u2029paragraph",
        "\uff46\uff55\uff4c\uff4c \uff06 \ufb01 fullwidth and a ligature",
        "\ufffd\ufdd0\ufffe\uffff\U0001fffe\U0010ffff",
    ]
)
MARKDOWN = st.sampled_from(
    [
        "[click here](https://www.example.com/)",
        "[](https://www.gov.uk/)",
        "[x]()",
        "[here](#)",
        "<https://www.gov.uk/>",
        "![](https://www.gov.uk/x.png)",
        "![a picture of a picture](https://www.gov.uk/x.png)",
        "Dear *|FNAME|*, *|NOTATAG|* *| |* *|ARCHIVE|* *|UNSUB|* |*backwards*|",
        "# Heading one\n\n#### Heading four\n\n###### six",
        "<h1>raw</h1><img src=x><table><tr><td>x</td></tr></table>",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "```\ncode\n```",
        "> > > nested quote",
        "**bold** _italic_ ~~strike~~ `code` <sup>1</sup>",
        "1. one\n   1. one.one\n2. two",
        "a\\\nb  \nc",
        "[text][ref]\n\n[ref]: https://www.gov.uk/",
        "&amp; &nbsp; &#0; &#x10FFFF; &bogus;",
    ]
)
NESTED_LIST = st.integers(1, 60).map(
    lambda depth: "\n".join("  " * i + f"- level {i}" for i in range(depth))
)
NESTED_QUOTE = st.integers(1, 60).map(lambda depth: "> " * depth + "deep")
LONG_TEXT = st.sampled_from(
    [
        ("word " * (LONG // 5)).strip(),
        "x" * LONG,
        "https://www.gov.uk/" + "a" * LONG,
        "[link](https://www.gov.uk/) " * (LONG // 28),
        "*|FNAME|* " * (LONG // 10),
        "👶" * LONG,
    ]
)
TEXT = st.one_of(
    EMPTYISH,
    UNICODE,
    MARKDOWN,
    NESTED_LIST,
    NESTED_QUOTE,
    LONG_TEXT,
    st.text(ODD_CHARS, max_size=80),
    st.lists(st.one_of(MARKDOWN, UNICODE, st.text(ODD_CHARS, max_size=20)), max_size=6).map(
        "\n\n".join
    ),
)
URL = st.sampled_from(
    [
        "https://www.example.com/",
        "http://example.org",
        "https://localhost/",
        "http://127.0.0.1:8000/x",
        "https://www.gov.uk:99999/",
        "https://user:pass@www.gov.uk/",
        "https://www.gov.uk/%",
        "https://www.gov.uk/%E0%A4%A",
        "https://www.gov.uk/?utm_source=x&&utm_medium=&a=%ZZ#frag#frag",
        "https://www.gov.uk/" + "a" * LONG,
        "https://xn--bcher-kva.example/ü?q=é#ñ",
        "https://www.gov.uk/\u200f\u202e",
        "https://WWW.GOV.UK./UPPER",
        "https://bit.ly/abc",
        "https://www.gov.uk/*|FNAME|*",
        "*|ARCHIVE|*",
        "https://www.gov.uk/file.PDF?x=.docx",
        "mailto:someone@example.com?subject=Hi%20there&body=",
        "mailto:a@b.co",
        "tel:+44 (0)1905 763763",
        "tel:00000",
        "javascript:alert(1)",
        "#",
        "",
        "https://例え.jp/",
        "https://[::1]/",
        "ftp://files.gov.uk/",
    ]
)


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    """One folder for every example (hypothesis reruns the test body; tmp_path would not)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "publications", root / "publications")
        shutil.copy(DATA / "bad" / "publications" / "test.yaml", root / "publications")
        yield root


def mutate(data: st.DataObject, value: Any, key: str = "") -> Any:
    """The same structure with some of its strings replaced by odd ones."""
    if isinstance(value, dict):
        return {k: mutate(data, v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [mutate(data, v, key) for v in value]
    if isinstance(value, str) and key not in KEEP and data.draw(st.integers(0, 3)) == 0:
        return data.draw(URL if key in URL_KEYS else TEXT)
    return value


BASE = {
    "publication": "test",
    "date": "2020-12-04",
    "title": "Test Bulletin",
    "subject": "Test subject",
    "preview": "Test preview text",
}
ISSUE = st.fixed_dictionaries(
    {
        "publication": st.sampled_from(PUBLICATIONS),
        "date": st.one_of(st.just(BASE["date"]), st.dates().map(str)),
        **{key: st.one_of(st.just(BASE[key]), TEXT) for key in ("title", "subject", "preview")},
    }
)


def restore(mutated: Any, original: Any, field: str) -> bool:
    """Put back the original value at a field validation rejected (`sections[2].links[0].url`)."""
    path = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", field)]
    if not path:
        return False
    for part in path[:-1]:
        try:
            mutated, original = mutated[part], original[part]
        except (KeyError, IndexError, TypeError):
            return False
    try:
        if mutated[path[-1]] == original[path[-1]]:
            return False
        mutated[path[-1]] = original[path[-1]]
    except (KeyError, IndexError, TypeError):
        return False
    return True


def load_valid(path: Path, issue: dict, original: dict) -> Bulletin | None:
    """Validate the odd issue; where validation rejects a value, put the original back and retry,
    so that most examples reach the checks with the odd values validation lets through."""
    for _ in range(10):
        # libyaml's emitter: the pure-Python one takes seconds over 10,000-character texts
        text = yaml.dump(issue, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        try:
            return load_bulletin(path)
        except ContentError as err:
            assert err.problems, "a ContentError must say what is wrong"
            if not any([restore(issue, original, p.field) for p in err.problems]):
                return None
    return None


def assert_findings_well_formed(problems: list[Problem]) -> None:
    """Each finding names its rule and a real place, in one line of reasonable length."""
    wrong = {}
    for p in problems:
        faults = [
            "no rule id" * (not p.rule),
            f"severity {p.severity!r}" * (p.severity not in ("error", "warning")),
            f"line {p.line} column {p.column}" * (p.line < 1 or p.column < 1),
            "an empty message" * (not p.message.strip()),
            "a message of several lines" * ("\n" in p.message),
            f"a {len(p.message)}-character message" * (len(p.message) > MESSAGE_MAX),
        ]
        for fault in filter(None, faults):
            wrong.setdefault((p.rule, fault), p.message[:120])
    assert not wrong, "findings not well formed:\n" + "\n".join(
        f"{rule or 'validation'}: {fault}: {message!r}" for (rule, fault), message in wrong.items()
    )


@settings(
    max_examples=int(os.environ.get("BULLETIN_FUZZ_EXAMPLES", 60)),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),  # CI passes or fails the same way every run
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # explaining is slow
    suppress_health_check=[HealthCheck.too_slow],
)
@given(ISSUE, st.lists(st.sampled_from(sorted(EXAMPLES)), min_size=1, max_size=15), st.data())
def test_checks_never_crash(project: Path, header: dict, types: list[str], data: st.DataObject):
    original = {**BASE, "publication": header["publication"]}
    original["sections"] = [copy.deepcopy(EXAMPLES[name]) for name in types]
    issue = {**header, "sections": [mutate(data, EXAMPLES[name]) for name in types]}
    bulletin = load_valid(project / "issue.yaml", issue, original)
    if bulletin is None:
        event("invalid")
        return
    event("checked")
    merge_fields = data.draw(st.sampled_from([frozenset(), frozenset({"FNAME", "LNAME"})]))
    assert_findings_well_formed(run_rules(bulletin, render(bulletin), merge_fields=merge_fields))


def replace_all(value: Any, text: str, url: str, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: replace_all(v, text, url, k) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_all(v, text, url, key) for v in value]
    if isinstance(value, str) and key not in KEEP:
        return url if key in URL_KEYS else text
    return value


EVERYWHERE = {  # name: (every text, every URL)
    "blank": (" ", "https://www.example.com/"),
    "words-10k": (("word " * (LONG // 5)).strip(), "https://www.example.com/" + "a" * LONG),
    "long-http-url": ("Read the guidance", "http://www.gov.uk/" + "a" * LONG),
    "no-spaces-10k": ("x" * LONG, "https://www.gov.uk:99999/"),
    "several-lines": ("line one\nline two\n\nline three", "mailto:a@b.co"),
    "rtl-emoji-combining": (
        "\u200f\u05e9\u05dc\u05d5\u05dd \u202eevil\u202c 👨‍👩‍👧‍👦 e\u0301\u0301 \x85",
        "https://www.gov.uk/\u200f\u202e",
    ),
    "nested-list-60": (
        "\n".join("  " * i + f"- level {i}" for i in range(60)),
        "https://user:pass@www.gov.uk/",
    ),
    "markdown-and-merge-tags": ("\n\n".join(MARKDOWN.elements), "https://www.gov.uk/*|FNAME|*"),
}


@pytest.mark.parametrize("text, url", EVERYWHERE.values(), ids=EVERYWHERE.keys())
def test_odd_text_in_every_field_of_every_section(project: Path, text: str, url: str):
    """Each odd text at once in every string of every section type: what a random issue
    reaches only by chance, every run."""
    original = {**BASE, "sections": copy.deepcopy(list(EXAMPLES.values()))}
    issue = {**replace_all(BASE, text, url), "publication": "test"}
    issue["sections"] = [replace_all(s, text, url) for s in EXAMPLES.values()]
    bulletin = load_valid(project / "issue.yaml", issue, original)
    assert bulletin is not None, "validation kept rejecting values after putting them back"
    assert_findings_well_formed(run_rules(bulletin, render(bulletin)))


@pytest.mark.parametrize(
    "char", ["\x01", "\x0b", "\x1b", "\ufffe"], ids=["x01", "x0b", "x1b", "ufffe"]
)
def test_a_character_mjml_cannot_parse_is_a_content_error(project: Path, char: str):
    """YAML lets a control character in as an escape ("\\x0b"); mjml-python cannot parse it, so
    validation must say so at its line, not rendering blame the templates (a SetupError)."""
    issue = {**BASE, "sections": [{**EXAMPLES["notice"], "heading": f"a{char}b"}]}
    path = project / "issue.yaml"
    path.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems, rendered = findings(path)
    assert rendered is None
    assert [p.field for p in problems] == ["sections[0].heading"]
