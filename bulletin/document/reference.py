"""What each section and field takes, read from the models: for the README and for errors.

The README's sections table is generated here (`bulletin sections`), as the rules table is
from the rules, so the documentation cannot drift from the code; and a validation error says
what would have been accepted in the same words (`shape`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from bulletin.document.blocks import OrMarkdown
from bulletin.document.fields import COLOUR, EMAIL, MARKDOWN, PHONE, URL, Kind
from bulletin.document.models import SectionBase

_KIND_NAMES = {MARKDOWN: "Markdown", URL: "URL", EMAIL: "e-mail address", PHONE: "phone number"}
_KIND_NAMES[COLOUR] = "colour (#rrggbb)"
_SCALARS = {str: "text", bool: "yes/no", int: "number", float: "number"}
_SCALARS.update({dt.date: "date", dt.time: "time"})


def type_name(hint: Any) -> str:
    """`Markdown`, `list of link`, `date`, `one of left, right`: a field's type in words."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *meta = get_args(hint)
        kinds = [m for m in meta if isinstance(m, Kind) and m in _KIND_NAMES]
        name = _KIND_NAMES[kinds[0]] if kinds else type_name(base)
        if any(isinstance(m, OrMarkdown) for m in meta):
            name = f"Markdown or {name}"
        return name
    if origin in (Union, UnionType):
        names = [type_name(arg) for arg in get_args(hint) if arg is not type(None)]
        return " or ".join(dict.fromkeys(names))
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in get_args(hint))
    if origin in (list, tuple):
        return f"list of {type_name(get_args(hint)[0])}"
    if origin is dict:
        return "mapping"
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return model_name(hint)
    return _SCALARS.get(hint, getattr(hint, "__name__", str(hint)))


def model_name(model: type[BaseModel]) -> str:
    """`PlacedImage` -> `placed image`; a section's model is named by its type."""
    if issubclass(model, SectionBase):
        return str(get_args(model.model_fields["type"].annotation)[0])
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", model.__name__).lower()


def own_fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields, without `type` and what every section has (anchor, for_groups); the
    ones its own class declares first (an event's title before the date it shares)."""
    common = set(SectionBase.model_fields) if issubclass(model, SectionBase) else set()
    declared = [n for n in vars(model).get("__annotations__", {}) if n in model.model_fields]
    order = list(dict.fromkeys([*declared, *model.model_fields]))
    return {n: model.model_fields[n] for n in order if n not in common}


def shape(hint: Any) -> str:
    """What a field takes, for an error message: `a list of links, each with text and url`."""
    inner = _unwrap(hint)
    if get_origin(inner) in (list, tuple):
        item = _unwrap(get_args(inner)[0])
        if _is_model(item):
            return f"a list of {model_name(item)}s, each with {_fields_in_words(item)}"
        return f"a list of {type_name(get_args(inner)[0])}"
    if _is_model(inner):
        return f"a mapping of {_fields_in_words(inner)}"
    return type_name(hint)


def _fields_in_words(model: type[BaseModel]) -> str:
    fields = own_fields(model)
    names = [n for n, f in fields.items() if f.is_required()] or list(fields)[:3]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _unwrap(hint: Any) -> Any:
    """Annotated and `X | None` taken off."""
    while True:
        origin = get_origin(hint)
        if origin is Annotated:
            hint = get_args(hint)[0]
        elif origin in (Union, UnionType):
            args = [a for a in get_args(hint) if a is not type(None)]
            if len(args) != 1:
                return hint
            hint = args[0]
        else:
            return hint


def _is_model(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, BaseModel)


def _field_cell(fields: dict[str, FieldInfo]) -> str:
    cells = []
    for name, info in fields.items():
        label = f"**`{name}`**" if info.is_required() else f"`{name}`"
        hint = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        cells.append(f"{label} {type_name(hint)}")
    return ", ".join(cells)


def parts(models: list[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    """Every model a field of `models` holds, at any depth, once, in the order first met."""
    seen: set[type[BaseModel]] = set(models)
    queue = list(models)
    while queue:
        for info in own_fields(queue.pop(0)).values():
            for found in _models_in(info.annotation):
                if found not in seen:
                    seen.add(found)
                    queue.append(found)
                    yield found


def _models_in(hint: Any) -> Iterator[type[BaseModel]]:
    if _is_model(hint):
        yield hint
    for arg in get_args(hint):
        yield from _models_in(arg)


def _first_line(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split()).rstrip(".")


def sections_table(section_models: list[type[SectionBase]]) -> str:
    """The README's sections table, then the table of the parts their fields hold."""
    rows = ["| type | for | fields (**required** in bold) |", "| --- | --- | --- |"]
    for model in section_models:
        cell = _field_cell(own_fields(model))
        rows.append(f"| `{model_name(model)}` | {_first_line(model.__doc__)} | {cell} |")
    rows += ["", "| part | what it is | fields (**required** in bold) |", "| --- | --- | --- |"]
    for part in sorted(parts(list(section_models)), key=model_name):
        cell = _field_cell(own_fields(part))
        rows.append(f"| {model_name(part)} | {_first_line(part.__doc__)} | {cell} |")
    return "\n".join(row.replace("|*", "\\|*") for row in rows)
