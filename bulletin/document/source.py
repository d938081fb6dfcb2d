"""YAML that remembers where each value came from, and pydantic errors mapped back to it.

libyaml's C parser composes the document; we build plain Python data from its nodes and
keep each node's line and column, so an error on `sections.2.image.alt` can name the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

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


@dataclass
class Source:
    """A loaded YAML file: its data and where each value (and each mapping key) starts."""

    path: Path
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    # Where the text of each `|` block starts: such a text keeps its lines as written.
    blocks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False, line: int | None = None) -> tuple[int, int]:
        """Line and column of `loc`, or of its nearest ancestor that the file has; with `line`,
        of that line (from 0) of the text at `loc` if it is a `|` block."""
        loc = tuple(loc)
        if line is not None and loc in self.blocks:
            first, column = self.blocks[loc]
            return first + line, column
        if key and loc in self.keys:
            return self.keys[loc]
        while loc and loc not in self.values:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, column = self.position(loc, key=key)
        return Problem(str(self.path), line, column, dotted(loc), message)


def dotted(loc: Sequence[str | int]) -> str:
    """`('sections', 2, 'url')` -> `sections[2].url`, as the user reads a path."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load(path: Path) -> Source:
    """Parse one YAML file; syntax errors become a ContentError with the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError([problem_at(path, "no such file")]) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ContentError([problem_at(path, f"cannot read: {err}")]) from None
    return parse(text, path)


def parse(text: str, path: Path) -> Source:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        source = Source(path, None)
        problems: list[Problem] = []
        if node is not None:
            source.data = _build(node, (), source, loader, problems)
            _indent_blocks(source, text)
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
    node: yaml.Node, loc: Loc, source: Source, loader: Any, problems: list[Problem], depth: int = 0
) -> Any:
    if depth > 64:
        raise yaml.YAMLError("nested too deeply (or a recursive alias)")
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
            out[key] = _build(value_node, here, source, loader, problems, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*loc, i), source, loader, problems, depth + 1)
            for i, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.ScalarNode) and node.style == "|":
        source.blocks[loc] = (node.start_mark.line + 2, 1)  # the text starts below the `|`
    try:
        value = loader.construct_object(node)
    except ValueError:  # `2020-13-45` looks like a date but is not one: let validation say so
        value = node.value
    if isinstance(value, str) and (bad := _UNPRINTABLE.search(value)):
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        message = f"contains the character U+{ord(bad[0]):04X}, which an email cannot carry"
        problems.append(Problem(str(source.path), line, col, dotted(loc), message))
    return value


def _indent_blocks(source: Source, text: str) -> None:
    """Give each `|` block the column its text is indented to (its first non-blank line's)."""
    lines = text.splitlines()
    for loc, (first, _) in source.blocks.items():
        body = next((line for line in lines[first - 1 :] if line.strip()), "")
        source.blocks[loc] = (first, len(body) - len(body.lstrip(" ")) + 1)


def validation_problems(
    source: Source, error: ValidationError, model: type[BaseModel]
) -> list[Problem]:
    """Turn each pydantic error into a Problem at the line the offending value came from."""
    problems = []
    for err in error.errors(include_url=False):
        loc = data_loc(source.data, err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            known = _field_names(model, err["loc"][:-1])
            message = f"unknown field '{loc[-1]}'" + did_you_mean(str(loc[-1]), known)
            problems.append(source.problem(loc, message, key=True))
        elif kind == "missing":
            problems.append(source.problem(loc, "missing required field"))
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            known = _section_tags(model, err["loc"])
            problems.append(source.problem((*loc, "type"), _section_type_message(err, known)))
        else:
            problems.append(source.problem(loc, _message(err)))
    return problems


def data_loc(data: Any, loc: Sequence[str | int]) -> Loc:
    """Drop the tags pydantic puts in discriminated-union locations (`sections.2.article.x`)."""
    out: list[str | int] = []
    here = data
    tag_pending = False
    for part in loc:
        if tag_pending and part == here.get("type"):
            tag_pending = False
            continue
        out.append(part)
        if isinstance(here, dict):
            here = here.get(part)
        elif isinstance(here, list) and isinstance(part, int) and part < len(here):
            here = here[part]
        else:
            here = None
        # A section (a dict with a `type`) is reached through a list index; its tag comes next.
        tag_pending = isinstance(part, int) and isinstance(here, dict) and "type" in here
    return tuple(out)


def _types_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[Any]:
    """The concrete types that validated `loc`, found by walking the annotations."""
    candidates: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for tp in _flatten(candidates):
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if isinstance(part, str) and part in tp.model_fields:
                    nxt.append(tp.model_fields[part].annotation)
                elif isinstance(part, str) and _tag(tp) == part:
                    nxt.append(tp)
            elif isinstance(part, int) and get_origin(tp) in (list, tuple):
                nxt.extend(get_args(tp)[:1])
            elif isinstance(part, str) and get_origin(tp) is dict:
                nxt.extend(get_args(tp)[1:])
        candidates = nxt
    return _flatten(candidates)


def _field_names(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    for tp in _types_at(model, loc):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return list(tp.model_fields)
    return []


def _section_tags(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    types = _types_at(model, loc)
    return sorted(t for t in (_tag(tp) for tp in types if isinstance(tp, type)) if t)


def _flatten(types: list[Any]) -> list[Any]:
    """Unwrap Annotated and unions, so a walk sees the concrete types."""
    out: list[Any] = []
    for tp in types:
        origin = get_origin(tp)
        if origin is Annotated:
            out.extend(_flatten([get_args(tp)[0]]))
        elif origin in (Union, UnionType):
            out.extend(_flatten(list(get_args(tp))))
        else:
            out.append(tp)
    return out


def _tag(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("type")
    args = get_args(field.annotation) if field else ()
    return str(args[0]) if args else None


def _section_type_message(err: Any, known: list[str]) -> str:
    ctx = err.get("ctx") or {}
    if err["type"] == "union_tag_not_found":
        return f"missing field 'type' (one of: {', '.join(known)})"
    tag = str(ctx.get("tag", ""))
    return f"unknown section type '{tag}'" + (
        did_you_mean(tag, known) or f" (known types: {', '.join(known)})"
    )


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    import difflib  # only when something is wrong: not every run needs it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _message(err: Any) -> str:
    ctx = err.get("ctx") or {}
    if "error" in ctx and err["type"] == "value_error":
        return str(ctx["error"])
    msg = str(err["msg"])
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    value = err.get("input")
    if isinstance(value, str | int | float) and err["type"] not in ("missing",):
        shown = value if len(str(value)) <= 60 else str(value)[:57] + "..."
        msg += f" ({shown!r})"
    return msg[:1].lower() + msg[1:]
