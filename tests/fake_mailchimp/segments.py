"""Who a campaign goes to: saved segments, tags (static segments) and segment conditions.

The spec leaves conditions unchecked (`x-oneOf`, defect 5), so this module checks the ones it models
and refuses the rest as "not modelled" rather than guess: Interests, StaticSegment, EmailAddress,
TextMerge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import invalid, unmodelled
from .state import Audience, Member, Segment

if TYPE_CHECKING:
    from .state import Campaign, State

_OPS = {
    "Interests": {"interestcontains", "interestcontainsall", "interestnotcontains"},
    "StaticSegment": {"static_is", "static_not"},
    "EmailAddress": {"is", "not", "contains", "notcontain", "starts", "ends"},
    "TextMerge": {"is", "not", "contains", "notcontain", "starts", "ends", "blank", "blank_not"},
}


def check_options(audience: Audience, options: dict[str, Any], where: str) -> None:
    """Refuse what Mailchimp would refuse: an unknown group, tag or merge field, a bad operator."""
    match = options.get("match", "all")
    if match not in ("any", "all"):
        raise invalid(
            "Invalid segment match.", [{"field": f"{where}.match", "message": "any or all"}]
        )
    for index, condition in enumerate(options.get("conditions") or []):
        field = f"{where}.conditions.{index}"
        kind = condition.get("condition_type")
        if kind not in _OPS:
            raise unmodelled(f"segment condition_type {kind!r} (modelled: {', '.join(_OPS)})")
        if condition.get("op") not in _OPS[kind]:
            raise invalid(
                "The resource submitted could not be validated.",
                [
                    {
                        "field": f"{field}.op",
                        "message": f"{condition.get('op')!r} is not an operator for {kind}",
                    }
                ],
            )
        value = condition.get("value")
        if kind == "Interests":
            category_id = str(condition.get("field", "")).removeprefix("interests-")
            category = audience.categories.get(category_id)
            if category is None:
                raise invalid(
                    "The resource submitted could not be validated.",
                    [
                        {
                            "field": f"{field}.field",
                            "message": f"no interest category {category_id!r}",
                        }
                    ],
                )
            if not isinstance(value, list) or not value:
                raise invalid(
                    "The resource submitted could not be validated.",
                    [{"field": f"{field}.value", "message": "a list of interest ids"}],
                )
            for interest_id in value:
                if interest_id not in category.interests:
                    raise invalid(
                        "The resource submitted could not be validated.",
                        [
                            {
                                "field": f"{field}.value",
                                "message": f"Invalid interest ID: '{interest_id}'",
                            }
                        ],
                    )
        elif kind == "StaticSegment":
            segment = audience.segments.get(_int(value))
            if segment is None or segment.type != "static":
                raise invalid(
                    "The resource submitted could not be validated.",
                    [{"field": f"{field}.value", "message": f"no tag or static segment {value!r}"}],
                )
        elif kind == "TextMerge" and condition.get("field") not in audience.merge_fields:
            raise invalid(
                "The resource submitted could not be validated.",
                [
                    {
                        "field": f"{field}.field",
                        "message": f"no merge field {condition.get('field')!r}",
                    }
                ],
            )


def matches(audience: Audience, member: Member, options: dict[str, Any]) -> bool:
    results = [_condition(audience, member, c) for c in options.get("conditions") or []]
    if not results:
        return True
    return any(results) if options.get("match", "all") == "any" else all(results)


def _condition(audience: Audience, member: Member, condition: dict[str, Any]) -> bool:
    kind, op, value = (
        condition.get("condition_type"),
        str(condition.get("op")),
        condition.get("value"),
    )
    if kind == "Interests":
        wanted = set(value or [])
        chosen = {i for i in wanted if member.interests.get(i)}
        if op == "interestcontains":
            return bool(chosen)
        if op == "interestcontainsall":
            return chosen == wanted
        return not chosen
    if kind == "StaticSegment":
        inside = member.id in audience.segments[_int(value)].members
        return inside if op == "static_is" else not inside
    text = (
        member.email
        if kind == "EmailAddress"
        else str(member.merge_fields.get(condition["field"], ""))
    )
    return _compare(text.lower(), op, str(value or "").lower())


def _compare(text: str, op: str, value: str) -> bool:
    return {
        "is": text == value,
        "not": text != value,
        "contains": value in text,
        "notcontain": value not in text,
        "starts": text.startswith(value),
        "ends": text.endswith(value),
        "blank": text == "",
        "blank_not": text != "",
    }[op]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def segment_members(audience: Audience, segment: Segment) -> list[Member]:
    """Members in a segment, any status (callers filter by status)."""
    if segment.type == "static":
        return [audience.members[h] for h in segment.members if h in audience.members]
    return [m for m in audience.members.values() if matches(audience, m, segment.options or {})]


def recipients(state: State, campaign: Campaign) -> list[Member]:
    """The subscribed members a campaign would go to now."""
    audience = state.lists.get(campaign.recipients.get("list_id", ""))
    if audience is None:
        return []
    opts = campaign.recipients.get("segment_opts") or {}
    subscribed = [m for m in audience.members.values() if m.status == "subscribed"]
    saved = opts.get("saved_segment_id")
    if saved:
        segment = audience.segments.get(int(saved))
        if segment is None:
            return []
        inside = {m.id for m in segment_members(audience, segment)}
        subscribed = [m for m in subscribed if m.id in inside]
    if opts.get("conditions"):
        subscribed = [m for m in subscribed if matches(audience, m, opts)]
    return subscribed


def segment_text(audience: Audience, opts: dict[str, Any]) -> str:
    if not opts:
        return ""
    parts = []
    if opts.get("saved_segment_id"):
        segment = audience.segments.get(int(opts["saved_segment_id"]))
        parts.append(f"Segment: {segment.name if segment else opts['saved_segment_id']}")
    for condition in opts.get("conditions") or []:
        parts.append(f"{condition.get('field')} {condition.get('op')} {condition.get('value')}")
    return f"{opts.get('match', 'all')} of: " + "; ".join(parts) if parts else ""
