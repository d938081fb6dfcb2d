"""Mailchimp's audience (list) endpoints: reading an audience a page of 1,000 at a time, the
ids behind the names audiences.yaml uses, and the changes sync, import and webhooks make.

Every read is safe to retry, and so are renames and removals; a create is made once, as a
repeat would make a second one. Only the fields used are asked for, which keeps a page of
1,000 members small.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bulletin.mailchimp.client import Mailchimp


def _api(mc: Mailchimp) -> Any:
    return mc.client.lists


# -- reading -------------------------------------------------------------------------------------


def emails_with_status(mc: Mailchimp, list_id: str, status: str) -> Iterator[str]:
    """The addresses of the audience's members with `status` (unsubscribed, cleaned, ...)."""
    for member in mc.pages(
        _api(mc).get_list_members_info,
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
    lists = _api(mc)
    found = [
        Category(c["id"], c["title"], c.get("type", "checkboxes"))
        for c in mc.pages(lists.get_list_interest_categories, "categories", list_id)
    ]
    for category in found:
        for interest in mc.pages(
            lists.list_interest_category_interests, "interests", list_id, category.id
        ):
            category.groups[interest["id"]] = interest["name"]
    return found


def interest_ids(mc: Mailchimp, list_id: str) -> dict[tuple[str, str], tuple[str, str]]:
    """{(category title, group name): (category id, interest id)} for every group."""
    return {
        (c.title, name): (c.id, interest_id)
        for c in categories(mc, list_id)
        for interest_id, name in c.groups.items()
    }


def segments(mc: Mailchimp, list_id: str) -> list[dict[str, Any]]:
    """Tags (static segments) and saved segments, with a saved one's conditions."""
    return list(
        mc.pages(
            _api(mc).list_segments,
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


def segment_named(mc: Mailchimp, list_id: str, name: str, kind: str) -> dict[str, Any] | None:
    """The tag (`kind` "static") or saved segment ("saved") called `name`, or None."""
    return next(
        (s for s in segments(mc, list_id) if s.get("type") == kind and s.get("name") == name),
        None,
    )


def merge_fields(mc: Mailchimp, list_id: str) -> list[dict[str, Any]]:
    return list(mc.pages(_api(mc).get_list_merge_fields, "merge_fields", list_id))


# -- what sync changes ---------------------------------------------------------------------------


def create_merge_field(mc: Mailchimp, list_id: str, body: dict[str, Any]) -> None:
    mc.call(_api(mc).add_list_merge_field, list_id, body, retry=False)


def delete_merge_field(mc: Mailchimp, list_id: str, merge_id: str) -> None:
    mc.call(_api(mc).delete_list_merge_field, list_id, merge_id, retry=True)


def create_category(mc: Mailchimp, list_id: str, body: dict[str, Any]) -> str:
    """A new interest category; its id."""
    answer = mc.call(_api(mc).create_list_interest_category, list_id, body, retry=False)
    return str(answer["id"])


def update_category(mc: Mailchimp, list_id: str, category_id: str, body: dict[str, Any]) -> None:
    mc.call(_api(mc).update_interest_category, list_id, category_id, body, retry=True)


def delete_category(mc: Mailchimp, list_id: str, category_id: str) -> None:
    mc.call(_api(mc).delete_interest_category, list_id, category_id, retry=True)


def create_group(mc: Mailchimp, list_id: str, category_id: str, body: dict[str, Any]) -> str:
    """A new interest group in a category; its id."""
    answer = mc.call(
        _api(mc).create_interest_category_interest, list_id, category_id, body, retry=False
    )
    return str(answer["id"])


def rename_group(mc: Mailchimp, list_id: str, category_id: str, group_id: str, name: str) -> None:
    mc.call(
        _api(mc).update_interest_category_interest,
        list_id,
        category_id,
        group_id,
        {"name": name},
        retry=True,
    )


def delete_group(mc: Mailchimp, list_id: str, category_id: str, group_id: str) -> None:
    mc.call(_api(mc).delete_interest_category_interest, list_id, category_id, group_id, retry=True)


def create_segment(mc: Mailchimp, list_id: str, body: dict[str, Any]) -> str:
    """A new tag or saved segment; its id."""
    answer = mc.call(_api(mc).create_segment, list_id, body, retry=False)
    return str(answer["id"])


def update_segment(mc: Mailchimp, list_id: str, segment_id: str, body: dict[str, Any]) -> None:
    mc.call(_api(mc).update_segment, list_id, segment_id, body, retry=True)


def delete_segment(mc: Mailchimp, list_id: str, segment_id: str) -> None:
    mc.call(_api(mc).delete_segment, list_id, segment_id, retry=True)


# -- what an import sends ------------------------------------------------------------------------


def batch_members(
    mc: Mailchimp, list_id: str, members: list[dict[str, Any]], *, update_existing: bool
) -> dict[str, Any]:
    """Add or update up to 500 members in one call; Mailchimp's answer, member by member.

    Retried: the same batch again leaves each member as the first one did.
    """
    body = {"members": members, "update_existing": update_existing}
    answer: dict[str, Any] = mc.call(_api(mc).batch_list_members, list_id, body, retry=True)
    return answer


# -- webhooks ------------------------------------------------------------------------------------


def webhooks(mc: Mailchimp, list_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = mc.call(_api(mc).get_list_webhooks, list_id, retry=True).get(
        "webhooks", []
    )
    return found


def create_webhook(mc: Mailchimp, list_id: str, body: dict[str, Any]) -> None:
    mc.call(_api(mc).create_list_webhook, list_id, body, retry=False)


def update_webhook(mc: Mailchimp, list_id: str, webhook_id: str, body: dict[str, Any]) -> None:
    mc.call(_api(mc).update_list_webhook, list_id, webhook_id, body, retry=True)
