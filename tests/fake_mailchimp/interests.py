"""Interest categories and their groups (the readers' preferences), and merge fields."""

from __future__ import annotations

from typing import Any

from .api import Call, route
from .errors import FIELD_DETAIL, already_exists, invalid, not_found
from .state import Audience, Interest, InterestCategory, MergeField

# -- interest categories and interests (the readers' preferences) ---------------------------------


def category_json(audience: Audience, category: InterestCategory) -> dict[str, Any]:
    return {
        "list_id": audience.id,
        "id": category.id,
        "title": category.title,
        "display_order": category.display_order,
        "type": category.type,
        "_links": [],
    }


def interest_json(audience: Audience, interest: Interest) -> dict[str, Any]:
    count = sum(
        1
        for m in audience.members.values()
        if m.status == "subscribed" and m.interests.get(interest.id)
    )
    return {
        "category_id": interest.category_id,
        "list_id": audience.id,
        "id": interest.id,
        "name": interest.name,
        "subscriber_count": str(count),  # a string in the spec
        "display_order": interest.display_order,
        "_links": [],
    }


def _category(call: Call) -> tuple[Audience, InterestCategory]:
    audience = call.state.audience(call.params["list_id"])
    category = audience.categories.get(call.params["interest_category_id"])
    if category is None:
        raise not_found()
    return audience, category


@route("GET", "/lists/{list_id}/interest-categories")
def list_categories(call: Call) -> dict[str, Any]:
    call.only("type")
    audience = call.state.audience(call.params["list_id"])
    found = [c for c in audience.categories.values() if call.query.get("type", c.type) == c.type]
    return {
        "list_id": audience.id,
        "categories": [category_json(audience, c) for c in call.page(found)],
        "total_items": len(found),
        "_links": [],
    }


@route("POST", "/lists/{list_id}/interest-categories")
def create_category(call: Call) -> dict[str, Any]:
    audience = call.state.audience(call.params["list_id"])
    title = call.body["title"]
    if any(c.title == title for c in audience.categories.values()):
        raise already_exists("title", title)
    category = InterestCategory(
        id=call.state.new_id(),
        title=title,
        type=call.body["type"],
        display_order=call.body.get("display_order", len(audience.categories)),
    )
    audience.categories[category.id] = category
    return category_json(audience, category)


@route("GET", "/lists/{list_id}/interest-categories/{interest_category_id}")
def get_category(call: Call) -> dict[str, Any]:
    return category_json(*_category(call))


@route("PATCH", "/lists/{list_id}/interest-categories/{interest_category_id}")
def update_category(call: Call) -> dict[str, Any]:
    audience, category = _category(call)
    title = call.body["title"]
    if any(c.title == title and c is not category for c in audience.categories.values()):
        raise already_exists("title", title)
    category.title = title
    category.type = call.body["type"]
    category.display_order = call.body.get("display_order", category.display_order)
    return category_json(audience, category)


@route("DELETE", "/lists/{list_id}/interest-categories/{interest_category_id}")
def delete_category(call: Call) -> None:
    audience, category = _category(call)
    for member in audience.members.values():
        for interest_id in category.interests:
            member.interests.pop(interest_id, None)
    del audience.categories[category.id]


@route("GET", "/lists/{list_id}/interest-categories/{interest_category_id}/interests")
def list_interests(call: Call) -> dict[str, Any]:
    audience, category = _category(call)
    found = list(category.interests.values())
    return {
        "interests": [interest_json(audience, i) for i in call.page(found)],
        "list_id": audience.id,
        "category_id": category.id,
        "total_items": len(found),
        "_links": [],
    }


@route("POST", "/lists/{list_id}/interest-categories/{interest_category_id}/interests")
def create_interest(call: Call) -> dict[str, Any]:
    audience, category = _category(call)
    name = call.body["name"]
    if any(i.name == name for i in category.interests.values()):
        raise already_exists("name", name)
    interest = Interest(
        id=call.state.new_id(),
        category_id=category.id,
        name=name,
        display_order=call.body.get("display_order", len(category.interests)),
    )
    category.interests[interest.id] = interest
    return interest_json(audience, interest)


def _interest(call: Call) -> tuple[Audience, InterestCategory, Interest]:
    audience, category = _category(call)
    interest = category.interests.get(call.params["interest_id"])
    if interest is None:
        raise not_found()
    return audience, category, interest


@route("GET", "/lists/{list_id}/interest-categories/{interest_category_id}/interests/{interest_id}")
def get_interest(call: Call) -> dict[str, Any]:
    audience, _, interest = _interest(call)
    return interest_json(audience, interest)


@route(
    "PATCH", "/lists/{list_id}/interest-categories/{interest_category_id}/interests/{interest_id}"
)
def update_interest(call: Call) -> dict[str, Any]:
    audience, category, interest = _interest(call)
    name = call.body["name"]
    if any(i.name == name and i is not interest for i in category.interests.values()):
        raise already_exists("name", name)
    interest.name = name
    interest.display_order = call.body.get("display_order", interest.display_order)
    return interest_json(audience, interest)


@route(
    "DELETE", "/lists/{list_id}/interest-categories/{interest_category_id}/interests/{interest_id}"
)
def delete_interest(call: Call) -> None:
    audience, category, interest = _interest(call)
    for member in audience.members.values():
        member.interests.pop(interest.id, None)
    del category.interests[interest.id]


# -- merge fields --------------------------------------------------------------------------------


def merge_json(audience: Audience, field: MergeField) -> dict[str, Any]:
    return {
        "merge_id": field.merge_id,
        "tag": field.tag,
        "name": field.name,
        "type": field.type,
        "required": field.required,
        "default_value": field.default_value,
        "public": field.public,
        "display_order": field.display_order,
        "options": field.options,
        "help_text": field.help_text,
        "list_id": audience.id,
        "_links": [],
    }


@route("GET", "/lists/{list_id}/merge-fields")
def list_merge_fields(call: Call) -> dict[str, Any]:
    call.only("type", "required")
    audience = call.state.audience(call.params["list_id"])
    found = [
        f
        for f in audience.merge_fields.values()
        if call.query.get("type", f.type) == f.type
        and ("required" not in call.query or f.required == call.flag("required"))
    ]
    return {
        "merge_fields": [merge_json(audience, f) for f in call.page(found)],
        "list_id": audience.id,
        "total_items": len(found),
        "_links": [],
    }


@route("POST", "/lists/{list_id}/merge-fields")
def create_merge_field(call: Call) -> dict[str, Any]:
    audience = call.state.audience(call.params["list_id"])
    body = call.body
    number = max((f.merge_id for f in audience.merge_fields.values()), default=0) + 1
    tag = (body.get("tag") or f"MMERGE{number}").upper()
    if tag in audience.merge_fields:
        raise already_exists("tag", tag)
    if len(tag) > 10 or not tag.replace("_", "").isalnum():
        raise invalid(
            FIELD_DETAIL,
            [{"field": "tag", "message": "At most 10 letters, digits or underscores."}],
        )
    field = MergeField(
        merge_id=number,
        tag=tag,
        name=body["name"],
        type=body["type"],
        required=body.get("required", False),
        default_value=body.get("default_value", ""),
        public=body.get("public", False),
        display_order=body.get("display_order", number),
        options=body.get("options", {}),
        help_text=body.get("help_text", ""),
    )
    audience.merge_fields[tag] = field
    return merge_json(audience, field)


def _merge_field(call: Call) -> tuple[Audience, MergeField]:
    audience = call.state.audience(call.params["list_id"])
    for field in audience.merge_fields.values():
        if str(field.merge_id) == call.params["merge_id"]:
            return audience, field
    raise not_found()


@route("GET", "/lists/{list_id}/merge-fields/{merge_id}")
def get_merge_field(call: Call) -> dict[str, Any]:
    return merge_json(*_merge_field(call))


@route("DELETE", "/lists/{list_id}/merge-fields/{merge_id}")
def delete_merge_field(call: Call) -> None:
    audience, field = _merge_field(call)
    del audience.merge_fields[field.tag]
    for member in audience.members.values():
        member.merge_fields.pop(field.tag, None)
