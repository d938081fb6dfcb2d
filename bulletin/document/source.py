"""YAML that remembers where each value came from.

libyaml's C parser composes the document; we build plain Python data from its nodes and
keep each node's line and column, so an error on `sections.2.image.alt` can name the line
(`validation.py` maps pydantic's errors back to them).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bulletin.document.limits import MAX_FILE_BYTES, MAX_VALUES
from bulletin.errors import ContentError, Problem, problem_at

Loc = tuple[str | int, ...]

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML wheels ship libyaml
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """YAML 1.2 scalars: `no` stays a string and `9:00` stays a time, not 540."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":bool", ":int", ":float"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(  # `0123` (an id, a phone number) stays text, never octal
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


# Control characters (but tab and newlines) and non-characters: not allowed in HTML or XML.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Bidirectional embeddings, overrides and isolates: they make text (or an address) display
# otherwise than it reads, the trick of a disguised link.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


@dataclass
class Source:
    """A loaded YAML file: its data and where each value (and each mapping key) starts."""

    path: Path
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    # Where each text's scalar starts and ends in `text`, to place a finding inside it.
    scalars: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    text: str = ""

    def position(
        self, loc: Loc, *, key: bool = False, line: int | None = None, column: int = 0
    ) -> tuple[int, int]:
        """Line and column of `loc`, or of its nearest ancestor that the file has; with `line`
        (and `column`), counted from 0 in the text at `loc`, of that place in the file."""
        loc = tuple(loc)
        if line is not None and (inside := self._inside(loc, line, column)):
            return inside
        if key and loc in self.keys:
            return self.keys[loc]
        while loc and loc not in self.values:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def _inside(self, loc: Loc, line: int, column: int) -> tuple[int, int] | None:
        """The file position of a place in a text, however YAML wrote it (a `|` or `>` block,
        quoted, plain): the text is matched to its scalar's characters as written, skipping
        what YAML adds (indentation, quotes, escapes, folded line ends)."""
        while loc and loc not in self.scalars:
            loc = loc[:-1]  # a text read into something else (one text block) is still there
        value = _at(self.data, loc)
        if loc not in self.scalars or not isinstance(value, str):
            return None
        start, end = self.scalars[loc]
        lines = value.split("\n")
        offset = sum(len(text) + 1 for text in lines[:line]) + column
        index = start + _written_at(self.text[start:end], value, offset)
        row = self.text.count("\n", 0, index)
        return row + 1, index - (self.text.rfind("\n", 0, index) + 1) + 1

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, column = self.position(loc, key=key)
        return Problem(str(self.path), line, column, dotted(loc), message)


_LOOK_AHEAD = 80  # characters YAML may write between two of the text's: indentation, escapes


def _written_at(raw: str, value: str, offset: int) -> int:
    """Where in `raw` (a scalar as written) character `offset` of its `value` is."""
    position = 0
    for char in value[: min(offset, len(value))]:
        found = raw.find(char, position, position + _LOOK_AHEAD)
        if found >= 0:
            position = found + 1
    if offset < len(value):
        found = raw.find(value[offset], position, position + _LOOK_AHEAD)
        position = found if found >= 0 else position
    return min(position, max(len(raw) - 1, 0))


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def dotted(loc: Sequence[str | int]) -> str:
    """`('sections', 2, 'url')` -> `sections[2].url`, as the user reads a path."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load(path: Path) -> Source:
    """Parse one YAML file; syntax errors become a ContentError with the line. A file larger
    than any real one is refused before it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError(
                [problem_at(path, f"{size:,} bytes: too large (at most {MAX_FILE_BYTES:,})")]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError([problem_at(path, "no such file")]) from None
    except OSError as err:
        raise ContentError([problem_at(path, f"cannot read: {err}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ContentError([_not_utf8(path, raw, err.start)]) from None
    return parse(text, path)


def _not_utf8(path: Path, raw: bytes, start: int) -> Problem:
    """Where the first byte that is not UTF-8 sits, as line and column, so the writer can find
    the character an editor saved in another encoding (Windows-1252's curly quotes, say)."""
    before = raw[:start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return Problem(
        str(path),
        line,
        column,
        "",
        f"byte 0x{raw[start]:02x} is not UTF-8 text: save the file as UTF-8",
    )


def parse(text: str, path: Path) -> Source:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        source = Source(path, None, text=text)
        problems: list[Problem] = []
        if node is not None:
            source.data = _build(node, (), source, loader, problems, [0])
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = err.problem or err.context or "invalid YAML"
        start = err.context_mark
        if err.context and start and mark and start.line != mark.line:
            reason += f" ({err.context} that starts at line {start.line + 1})"
        raise ContentError([Problem(str(path), line, col, "", f"YAML syntax: {reason}")]) from None
    except yaml.YAMLError as err:
        raise ContentError([problem_at(path, f"YAML syntax: {err}")]) from None
    finally:
        loader.dispose()
    if problems:
        raise ContentError(problems)
    return source


def _build(
    node: yaml.Node,
    loc: Loc,
    source: Source,
    loader: Any,
    problems: list[Problem],
    built: list[int],
    depth: int = 0,
) -> Any:
    if depth > 64:
        raise yaml.YAMLError("nested too deeply (or a recursive alias)")
    built[0] += 1
    if built[0] > MAX_VALUES:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        message = (
            f"the file expands to more than {MAX_VALUES:,} values (aliases, `*name`, that "
            "repeat `&name` blocks?): refused"
        )
        raise ContentError([Problem(str(source.path), line, col, "", message)])
    source.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    Problem(str(source.path), line, col, dotted(loc), "a key must be a name")
                )
                continue
            key = key_node.value  # a field name as written: `no` and `2020-01-01` stay text
            here = (*loc, key)
            if key in out:
                problems.append(Problem(str(source.path), line, col, dotted(here), "duplicate key"))
                continue
            source.keys[here] = (line, col)
            out[key] = _build(value_node, here, source, loader, problems, built, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*loc, i), source, loader, problems, built, depth + 1)
            for i, item in enumerate(node.value)
        ]
    source.scalars[loc] = (node.start_mark.index, node.end_mark.index)
    try:
        value = loader.construct_object(node)
    except ValueError:  # `2020-13-45` looks like a date but is not one: let validation say so
        value = node.value
    wrong = _not_text(value)
    if wrong:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        problems.append(Problem(str(source.path), line, col, dotted(loc), wrong))
    return value


def _not_text(value: Any) -> str | None:
    """Why a scalar can be no value of ours (binary data, infinity, hidden characters)."""
    if isinstance(value, bytes):
        return "binary data (!!binary) is not text: write the text itself"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} is not a number a reader could read: write the value itself"
    if isinstance(value, str):
        if bad := _UNPRINTABLE.search(value):
            return f"contains the character U+{ord(bad[0]):04X}, which an email cannot carry"
        if bad := _BIDI.search(value):
            return (
                f"contains the character U+{ord(bad[0]):04X} (a bidirectional control), which "
                "makes text show otherwise than it reads: delete it"
            )
    return None
