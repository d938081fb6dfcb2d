"""Pydantic's validation errors as problems at the YAML line each offending value came from.

Pydantic names a value by its path (`sections.2.article.body`, with the union's tag inside);
a writer needs the file, line and field as they wrote them, and for an unknown key or type
the names that would be accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from bulletin.document.source import Loc, Source
from bulletin.errors import ContentError, Problem, did_you_mean

M = TypeVar("M", bound=BaseModel)


def validated(src: Source, model: type[M]) -> M:
    """`src`'s data as `model`, or a ContentError with every problem at its line."""
    if not isinstance(src.data, dict):
        raise ContentError([src.problem((), "expected a mapping of fields at the top of the file")])
    try:
        return model.model_validate(src.data)
    except ValidationError as err:
        raise ContentError(validation_problems(src, err, model)) from None


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
