"""What an endpoint receives, and the table of endpoints the fake models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import unmodelled
from .spec import Operation, query_bool
from .state import State

if TYPE_CHECKING:
    from .server import FakeMailchimp

Handler = Callable[["Call"], Any]
ROUTES: dict[tuple[str, str], Handler] = {}
# Query parameters every collection takes, which the server applies itself.
PAGING = {"fields", "exclude_fields", "count", "offset"}


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ROUTES[(method, template)] = handler
        return handler

    return register


@dataclass
class Call:
    op: Operation
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    state: State
    fake: FakeMailchimp
    paged: bool = field(default=False)

    def flag(self, name: str) -> bool:
        return query_bool(self.query.get(name))

    def only(self, *modelled: str) -> None:
        """Refuse query parameters the fake does not model, rather than silently ignore them."""
        for name in self.query:
            if name not in modelled and name not in PAGING:
                raise unmodelled(
                    f"the query parameter {name!r} on {self.op.method} {self.op.template}"
                )

    def page(self, items: list[Any]) -> list[Any]:
        """One page of a collection, by count (default 10) and offset."""
        self.paged = True
        count = int(self.query.get("count", "10"))
        offset = int(self.query.get("offset", "0"))
        return items[offset : offset + count]


def project(body: Any, fields: str | None, exclude: str | None) -> Any:
    """The `fields` and `exclude_fields` query parameters (comma-separated, dot notation)."""
    if fields:
        out: dict[str, Any] = {}
        for name in fields.split(","):
            copy_path(body, out, name.strip().split("."))
        body = out
    if exclude:
        for name in exclude.split(","):
            drop_path(body, name.strip().split("."))
    return body


def copy_path(src: Any, dst: dict[str, Any], parts: list[str]) -> None:
    key = parts[0]
    if not isinstance(src, dict) or key not in src:
        return
    value = src[key]
    if len(parts) == 1:
        dst[key] = value
    elif isinstance(value, list):
        items = dst.setdefault(key, [{} for _ in value])
        for source, target in zip(value, items, strict=False):
            copy_path(source, target, parts[1:])
    elif isinstance(value, dict):
        copy_path(value, dst.setdefault(key, {}), parts[1:])


def drop_path(body: Any, parts: list[str]) -> None:
    if isinstance(body, list):
        for item in body:
            drop_path(item, parts)
    elif isinstance(body, dict) and parts[0] in body:
        if len(parts) == 1:
            del body[parts[0]]
        else:
            drop_path(body[parts[0]], parts[1:])
