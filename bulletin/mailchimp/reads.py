"""Reading an audience from Mailchimp: its collections a page of 1,000 at a time, and the ids
behind the names audiences.yaml uses.

Sync, import, suppression and targeting all read these; every read is safe to retry. Only the
fields used are asked for, which keeps a page of 1,000 members small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bulletin.mailchimp.client import Mailchimp

PAGE = 1000  # the API's largest `count`


def pages(
    mc: Mailchimp, operation: Callable[..., Any], key: str, *args: Any, **query: Any
) -> Iterator[dict[str, Any]]:
    """Every item of a collection, reading page after page until `total_items` are seen."""
    offset = 0
    while True:
        answer = mc.call(operation, *args, count=PAGE, offset=offset, retry=True, **query)
        items = answer.get(key) or []
        yield from items
        offset += len(items)
        if not items or offset >= int(answer.get("total_items") or 0):
            return


def emails_with_status(mc: Mailchimp, list_id: str, status: str) -> Iterator[str]:
    """The addresses of the audience's members with `status` (unsubscribed, cleaned, ...)."""
    for member in pages(
        mc,
        mc.client.lists.get_list_members_info,
        "members",
        list_id,
        status=status,
        fields=["members.email_address", "total_items"],
    ):
        yield str(member["email_address"])


@dataclass
class Category:
    id: str
    title: str
    type: str
    groups: dict[str, str] = field(default_factory=dict)  # interest id -> name


def categories(mc: Mailchimp, list_id: str) -> list[Category]:
    """The audience's interest categories with their groups (one read each, plus one)."""
    lists = mc.client.lists
    found = [
        Category(c["id"], c["title"], c.get("type", "checkboxes"))
        for c in pages(mc, lists.get_list_interest_categories, "categories", list_id)
    ]
    for category in found:
        for interest in pages(
            mc, lists.list_interest_category_interests, "interests", list_id, category.id
        ):
            category.groups[interest["id"]] = interest["name"]
    return found


def segments(mc: Mailchimp, list_id: str) -> list[dict[str, Any]]:
    """Tags (static segments) and saved segments, with a saved one's conditions."""
    return list(
        pages(
            mc,
            mc.client.lists.list_segments,
            "segments",
            list_id,
            fields=[
                "segments.id",
                "segments.name",
                "segments.type",
                "segments.options",
                "total_items",
            ],
        )
    )


def merge_fields(mc: Mailchimp, list_id: str) -> list[dict[str, Any]]:
    return list(pages(mc, mc.client.lists.get_list_merge_fields, "merge_fields", list_id))
