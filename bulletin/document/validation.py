"""Pydantic's validation errors as problems at the YAML line each offending value came from.

Pydantic names a value by its path (`sections.2.article.body`, with the union's tag inside);
a writer needs the file, line and field as they wrote them, and what would be accepted there:
the fields allowed at that place (closest first), the section types, what a missing field is
for, the shape a value of the wrong type should have.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from bulletin.document.reference import shape
from bulletin.document.source import Loc, Source
from bulletin.errors import ContentError, Problem, did_you_mean

M = TypeVar("M", bound=BaseModel)


def validated(src: Source, model: type[M], context: dict[str, Any] | None = None) -> M:
    """`src`'s data as `model`, or a ContentError with every problem at its line. `context`
    reaches the field validators (the issue's date, for dates written without a year)."""
    if not isinstance(src.data, dict):
        raise ContentError([src.problem((), "expected a mapping of fields at the top of the file")])
    try:
        return model.model_validate(src.data, context=context)
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
            problems.append(source.problem(loc, unknown_field(str(loc[-1]), known), key=True))
        elif kind == "missing":
            problems.append(source.problem(loc, _missing(model, err["loc"])))
        elif kind == "string_too_short" and not str(err.get("input") or "").strip():
            problems.append(source.problem(loc, _empty(model, err["loc"])))
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            known = _section_tags(model, err["loc"])
            problems.append(source.problem((*loc, "type"), _section_type_message(err, known)))
        elif kind == "field_error":
            problems.append(source.problem((*loc, *err["ctx"]["field"]), str(err["msg"])))
        else:
            problems.append(source.problem(loc, error_message(err, _hint_at(model, err["loc"]))))
    return problems


def unknown_field(name: str, known: Sequence[str]) -> str:
    """`unknown field 'hedaing' (did you mean 'heading'?); fields here: heading, ...`."""
    message = f"unknown field '{name}'" + did_you_mean(name, known)
    return message + (f"; fields here: {', '.join(closest_first(name, known))}" if known else "")


def closest_first(word: str, choices: Sequence[str]) -> list[str]:
    """`choices` by how like `word` they are, the likest first (ties keep their order)."""
    import difflib

    def likeness(choice: str) -> float:
        return difflib.SequenceMatcher(None, word.lower(), choice.lower()).ratio()

    return sorted(choices, key=likeness, reverse=True)


def _missing(model: type[BaseModel], loc: Sequence[str | int]) -> str:
    """`missing required field: the article's text, in Markdown`: what it is for."""
    info = _field_info(model, loc)
    if info is None:
        return "missing required field"
    what = (info.description or "").rstrip(".")
    hint = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    takes = shape(hint)
    if what:
        return f"missing required field: {what[:1].lower() + what[1:]} ({takes})"
    return f"missing required field ({takes})"


def _empty(model: type[BaseModel], loc: Sequence[str | int]) -> str:
    """`is empty: write what the image shows, for screen readers`."""
    info = _field_info(model, loc)
    what = (info.description or "").rstrip(".") if info is not None else ""
    return f"is empty: write {what[:1].lower() + what[1:]}" if what else "is empty: write it"


def _field_info(model: type[BaseModel], loc: Sequence[str | int]) -> FieldInfo | None:
    if not loc or not isinstance(loc[-1], str):
        return None
    for tp in _types_at(model, loc[:-1]):
        if isinstance(tp, type) and issubclass(tp, BaseModel) and loc[-1] in tp.model_fields:
            return tp.model_fields[loc[-1]]
    return None


def _hint_at(model: type[BaseModel], loc: Sequence[str | int]) -> Any:
    """The annotation a value at `loc` was validated against, with its metadata."""
    info = _field_info(model, loc)
    if info is not None:
        return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return None


def data_loc(data: Any, loc: Sequence[str | int]) -> Loc:
    """Drop the tags pydantic puts in discriminated-union locations (`sections.2.article.x`),
    and stop at a text the writer gave where more was taken (`how_to_book`, not its block)."""
    out: list[str | int] = []
    here = data
    tag_pending = False
    for part in loc:
        if tag_pending and part == here.get("type"):
            tag_pending = False
            continue
        if isinstance(here, str) and isinstance(part, int):
            break  # a text read as a list (of one text block): the text is the place
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
    for i, part in enumerate(loc):
        nxt: list[Any] = []
        flat = _flatten(candidates)
        # A union's tag comes right after the index (`sections.1.image.image.alt`): the
        # section whose type it names, even where another section has a field of that name.
        tagged = [tp for tp in flat if isinstance(tp, type) and issubclass(tp, BaseModel)]
        tagged = [tp for tp in tagged if isinstance(part, str) and _tag(tp) == part]
        if tagged and i and isinstance(loc[i - 1], int):
            candidates = tagged
            continue
        for tp in flat:
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if isinstance(part, str) and part in tp.model_fields:
                    nxt.append(tp.model_fields[part].annotation)
            elif isinstance(part, int) and get_origin(tp) in (list, tuple):
                nxt.extend(get_args(tp)[:1])
            elif isinstance(part, str) and get_origin(tp) is dict:
                nxt.extend(get_args(tp)[1:])
        candidates = nxt
    return _flatten(candidates)


def _field_names(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The fields a writer may give at `loc` (a section's `type` is given already)."""
    for tp in _types_at(model, loc):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return [name for name in tp.model_fields if name != "type"]
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
        return f"missing field 'type', the kind of section: one of {', '.join(known)}"
    tag = str(ctx.get("tag", ""))
    return f"unknown section type '{tag}'{did_you_mean(tag, known)}; types: {', '.join(known)}"


# Errors that say a value has the wrong type: the message then says what the field takes.
_TYPE_ERRORS = frozenset({
    "list_type", "dict_type", "model_type", "model_attributes_type", "string_type",
    "int_type", "int_parsing", "int_from_float", "bool_type", "bool_parsing", "float_type",
    "float_parsing", "literal_error", "tuple_type",
})  # fmt: skip


# What each field pattern of the models takes, in words: a regular expression says nothing to the
# officer who mistyped a list id. tests/document/test_bad_input.py holds every pattern to one.
PATTERN_WORDS = {
    r"^[0-9a-f]{10}$": "a Mailchimp id (10 characters, digits and a to f, such as 0a1b2c3d4e)",
    r"^[A-Z][A-Z0-9_]{0,9}$": "a merge tag (a capital, then at most 9 capitals, digits or _: ORG)",
    r"^[a-z0-9][a-z0-9-]*$": "an id of lower-case letters, digits and - (such as wscp-partners)",
    r"^[a-z][a-z0-9-]*$": "an id of lower-case letters, digits and -, starting with a letter",
    r"^[^,|*<>&]+$": "a group's name (without , | * < > or &)",
    r"^[a-z]{2}(-[A-Z]{2})?$": "a language such as en-GB, en or cy",
}


def error_message(err: Any, hint: Any = None) -> str:
    """One pydantic error as a user reads it: what is wrong, the value, what the field takes."""
    ctx = err.get("ctx") or {}
    if "error" in ctx and err["type"] == "value_error":
        return str(ctx["error"])
    if err["type"] == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_WORDS:
        return f"{_shown(err.get('input'))!r} is not {PATTERN_WORDS[ctx['pattern']]}"
    if (bounded := _out_of_bounds(err["type"], ctx, err.get("input"))) is not None:
        return bounded
    msg = str(err["msg"])
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    value = err.get("input")
    if isinstance(value, str | int | float) and err["type"] not in ("missing",):
        msg += f" ({_shown(value)!r})"
    if err["type"] in _TYPE_ERRORS and hint is not None:
        msg += f"; write {_with_article(shape(hint))}"
    return msg[:1].lower() + msg[1:]


def _out_of_bounds(kind: str, ctx: dict[str, Any], value: Any) -> str | None:
    """A length or a number out of its field's bounds, in words rather than pydantic's."""
    count = ctx.get("actual_length")
    if kind == "too_short":
        least = ctx.get("min_length")
        return f"is empty: give at least {least}" if not count else f"has {count}; give {least}"
    if kind == "too_long":
        return f"has {count}; give {ctx.get('max_length')} at most"
    if kind == "string_too_short" and isinstance(value, str):
        return f"is {len(value)} characters ({value!r}); {ctx.get('min_length')} at least"
    if kind == "string_too_long" and isinstance(value, str):
        return (
            f"is {len(value):,} characters; {ctx.get('max_length'):,} at most ({_shown(value)!r})"
        )
    words = {"greater_than": ("more than", "gt"), "greater_than_equal": ("at least", "ge"),
             "less_than": ("less than", "lt"), "less_than_equal": ("at most", "le")}  # fmt: skip
    if kind in words and isinstance(value, int | float):
        phrase, key = words[kind]
        return f"is {value}; it takes {phrase} {ctx.get(key)}"
    return None


def _shown(value: Any) -> Any:
    return value if len(str(value)) <= 60 else str(value)[:57] + "..."


def _with_article(words: str) -> str:
    if words.startswith(("a ", "an ", "one of", "Markdown", "yes/no", "list of")):
        return words.replace("list of", "a list of", 1) if words.startswith("list") else words
    return ("an " if words[:1] in "aeiouAEIOU" else "a ") + words
