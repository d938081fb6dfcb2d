"""YAML loading keeps positions, reads scalars as YAML 1.2 does, and reports syntax errors."""

import datetime as dt
from pathlib import Path

import pytest

from bulletin.document.source import dotted, parse
from bulletin.document.validation import data_loc
from bulletin.errors import ContentError, did_you_mean


def test_positions_of_values_and_keys():
    src = parse("a: 1\nlist:\n  - x: hello\n    y: [1, 2]\n", Path("f.yaml"))
    assert src.data == {"a": 1, "list": [{"x": "hello", "y": [1, 2]}]}
    assert src.position(("list", 0, "x")) == (3, 8)
    assert src.position(("list", 0, "x"), key=True) == (3, 5)
    assert src.position(("list", 0, "y", 1)) == (4, 12)


def test_position_falls_back_to_nearest_ancestor():
    src = parse("outer:\n  inner: 1\n", Path("f.yaml"))
    assert src.position(("outer", "missing")) == (2, 3)


def test_yaml_12_scalars_no_norway_problem_no_sexagesimal():
    src = parse("a: no\nb: 9:00\nc: yes\nd: true\ne: 2020-12-04\nf: 1.5\n", Path("f.yaml"))
    assert src.data == {
        "a": "no",
        "b": "9:00",
        "c": "yes",
        "d": True,
        "e": dt.date(2020, 12, 4),
        "f": 1.5,
    }


def test_syntax_error_names_line_and_column():
    with pytest.raises(ContentError) as info:
        parse("a: 1\nb: [1, 2\nc: 3\n", Path("bad.yaml"))
    (problem,) = info.value.problems
    assert problem.file == "bad.yaml"
    assert problem.line == 3
    assert "YAML syntax" in problem.message


def test_duplicate_keys_are_errors_not_silent_overwrites():
    with pytest.raises(ContentError) as info:
        parse("title: one\ntitle: two\n", Path("dup.yaml"))
    assert str(info.value.problems[0]) == "dup.yaml:2:1: error: title: duplicate key"


def test_recursive_alias_is_an_error_not_a_crash():
    with pytest.raises(ContentError):
        parse("a: &x [*x]\n", Path("loop.yaml"))


def test_dotted_paths_read_like_the_yaml():
    assert dotted(("sections", 2, "events", 0, "booking")) == "sections[2].events[0].booking"


def test_data_loc_drops_union_tags():
    data = {"sections": [{"type": "article", "body": "x"}]}
    assert data_loc(data, ("sections", 0, "article", "body")) == ("sections", 0, "body")


def test_did_you_mean():
    assert did_you_mean("artcle", ["article", "events"]) == " (did you mean 'article'?)"
    assert did_you_mean("zzz", ["article"]) == ""


def test_leading_zeros_keep_ids_and_numbers_as_text():
    assert parse("a: 0123\nb: 0o17\nc: 10\n", Path("f.yaml")).data == {
        "a": "0123",
        "b": "0o17",
        "c": 10,
    }


def test_control_characters_are_errors_at_their_line():
    with pytest.raises(ContentError) as info:
        parse('title: ok\nbody: "bad \\x01 char"\n', Path("cc.yaml"))
    assert str(info.value.problems[0]) == (
        "cc.yaml:2:7: error: body: contains the character U+0001, which an email cannot carry"
    )


def test_a_place_inside_a_text_is_found_however_yaml_wrote_it():
    """Line and column (from 0) in a text's value, to its line and column in the file."""
    text = (
        "a: |\n  first line\n  second [here](x) line\n"
        "b: plain [here](x) text\n"
        'c: "quoted \\"so\\" [here](x)"\n'
        "d: >\n  folded one\n  folded [here](x)\n"
    )
    src = parse(text, Path("f.yaml"))
    assert src.position(("a",), line=1, column=7) == (3, 10)
    assert src.position(("b",), line=0, column=6) == (4, 10)
    assert src.data["c"].index("[") == 12
    assert src.position(("c",), line=0, column=12) == (5, 19)  # past the escaped quotes
    assert src.data["d"] == "folded one folded [here](x)\n"
    assert src.position(("d",), line=0, column=18) == (8, 10)  # a folded line end
    assert src.position(("a",), line=0) == (2, 3)  # a line's start: its first character


def test_a_text_read_as_more_is_still_placed_in_the_text():
    """A Markdown string where blocks are taken becomes one text block: a place in that
    block's text is a place in the string as written."""
    src = parse("content: |\n  one\n  two [x](y)\n", Path("f.yaml"))
    assert src.position(("content", 0, "text"), line=1, column=4) == (3, 7)
