"""Segments: saved ones (conditions) and static ones, which Mailchimp calls tags."""

from __future__ import annotations

from typing import Any

from .api import Call, route
from .errors import FIELD_DETAIL, already_exists, invalid, not_found
from .lists import BATCH_LIMIT
from .members import member_json
from .segments import check_options, segment_members
from .state import Audience, Segment, iso, subscriber_hash

# -- segments and tags ----------------------------------------------------------------------------


def segment_json(audience: Audience, segment: Segment, call: Call | None = None) -> dict[str, Any]:
    statuses = {"subscribed"}
    if call is not None:
        for status in ("cleaned", "transactional", "unsubscribed"):
            if call.flag(f"include_{status}"):
                statuses.add(status)
    body: dict[str, Any] = {
        "id": segment.id,
        "name": segment.name,
        "member_count": sum(1 for m in segment_members(audience, segment) if m.status in statuses),
        "type": segment.type,
        "created_at": iso(segment.created_at),
        "updated_at": iso(segment.updated_at),
        "list_id": audience.id,
        "_links": [],
    }
    if segment.options is not None:
        body["options"] = segment.options
    return body


def _segment(call: Call) -> tuple[Audience, Segment]:
    audience = call.state.audience(call.params["list_id"])
    try:
        segment = audience.segments.get(int(call.params["segment_id"]))
    except ValueError:
        segment = None
    if segment is None:
        raise not_found()
    return audience, segment


INCLUDES = ("include_cleaned", "include_transactional", "include_unsubscribed")


@route("GET", "/lists/{list_id}/segments")
def list_segments(call: Call) -> dict[str, Any]:
    call.only("type", *INCLUDES)
    audience = call.state.audience(call.params["list_id"])
    found = [s for s in audience.segments.values() if call.query.get("type", s.type) == s.type]
    return {
        "segments": [segment_json(audience, s, call) for s in call.page(found)],
        "list_id": audience.id,
        "total_items": len(found),
        "_links": [],
    }


def _emails_in(audience: Audience, emails: list[str]) -> tuple[list[str], list[str]]:
    inside = [subscriber_hash(e) for e in emails if subscriber_hash(e) in audience.members]
    outside = [e for e in emails if subscriber_hash(e) not in audience.members]
    return inside, outside


@route("POST", "/lists/{list_id}/segments")
def create_segment(call: Call) -> dict[str, Any]:
    audience = call.state.audience(call.params["list_id"])
    body = call.body
    name = body["name"]
    if any(s.name == name for s in audience.segments.values()):
        raise already_exists("name", name)
    if ("static_segment" in body) == ("options" in body):
        raise invalid(
            FIELD_DETAIL,
            [{"field": "static_segment", "message": "Give static_segment or options."}],
        )
    now = call.state.now()
    segment = Segment(
        id=call.state.new_number(),
        name=name,
        created_at=now,
        updated_at=now,
        type="static" if "static_segment" in body else "saved",
    )
    if "options" in body:
        check_options(audience, body["options"], "options")
        segment.options = {
            "match": body["options"].get("match", "all"),
            "conditions": body["options"].get("conditions", []),
        }
    else:
        # "Any emails provided that are not present on the list will be ignored."
        segment.members = dict.fromkeys(_emails_in(audience, body["static_segment"])[0], now)
    audience.segments[segment.id] = segment
    return segment_json(audience, segment)


@route("GET", "/lists/{list_id}/segments/{segment_id}")
def get_segment(call: Call) -> dict[str, Any]:
    call.only(*INCLUDES)
    audience, segment = _segment(call)
    return segment_json(audience, segment, call)


@route("PATCH", "/lists/{list_id}/segments/{segment_id}")
def update_segment(call: Call) -> dict[str, Any]:
    audience, segment = _segment(call)
    body = call.body
    if any(s.name == body["name"] and s is not segment for s in audience.segments.values()):
        raise already_exists("name", body["name"])
    segment.name = body["name"]
    now = call.state.now()
    if "options" in body:
        if segment.type != "saved":
            raise invalid(
                FIELD_DETAIL, [{"field": "options", "message": "This is a static segment (a tag)."}]
            )
        check_options(audience, body["options"], "options")
        segment.options = {
            "match": body["options"].get("match", "all"),
            "conditions": body["options"].get("conditions", []),
        }
    if "static_segment" in body:
        if segment.type != "static":
            raise invalid(
                FIELD_DETAIL, [{"field": "static_segment", "message": "This is a saved segment."}]
            )
        segment.members = dict.fromkeys(_emails_in(audience, body["static_segment"])[0], now)
    segment.updated_at = now
    return segment_json(audience, segment)


@route("DELETE", "/lists/{list_id}/segments/{segment_id}")
def delete_segment(call: Call) -> None:
    audience, segment = _segment(call)
    del audience.segments[segment.id]


@route("POST", "/lists/{list_id}/segments/{segment_id}")
def batch_segment(call: Call) -> dict[str, Any]:
    audience, segment = _segment(call)
    if segment.type != "static":
        raise invalid("Only static segments (tags) take members.", kind="rule")
    add, remove = call.body.get("members_to_add", []), call.body.get("members_to_remove", [])
    for key, emails in (("members_to_add", add), ("members_to_remove", remove)):
        if len(emails) > BATCH_LIMIT:
            raise invalid(
                f"At most {BATCH_LIMIT} addresses in {key}; got {len(emails)}.",
                [{"field": key, "message": f"At most {BATCH_LIMIT} items."}],
            )
    now = call.state.now()
    errors = []
    added_hashes, outside = _emails_in(audience, add)
    if outside:
        errors.append(
            {"email_addresses": outside, "error": "Email addresses are not subscribed to the list"}
        )
    added = [h for h in added_hashes if h not in segment.members]
    for hashed in added:
        segment.members[hashed] = now
    removed_hashes, outside = _emails_in(audience, remove)
    if outside:
        errors.append(
            {"email_addresses": outside, "error": "Email addresses are not subscribed to the list"}
        )
    removed = [h for h in removed_hashes if segment.members.pop(h, None) is not None]
    segment.updated_at = now
    return {
        "members_added": [member_json(audience, audience.members[h]) for h in added],
        "members_removed": [member_json(audience, audience.members[h]) for h in removed],
        "errors": errors,
        "total_added": len(added),
        "total_removed": len(removed),
        "error_count": len(errors),
        "_links": [],
    }


@route("GET", "/lists/{list_id}/segments/{segment_id}/members")
def segment_member_list(call: Call) -> dict[str, Any]:
    call.only(*INCLUDES)
    audience, segment = _segment(call)
    statuses = {"subscribed"} | {s.removeprefix("include_") for s in INCLUDES if call.flag(s)}
    found = [m for m in segment_members(audience, segment) if m.status in statuses]
    return {
        "members": [member_json(audience, m) for m in call.page(found)],
        "total_items": len(found),
        "_links": [],
    }


@route("POST", "/lists/{list_id}/segments/{segment_id}/members")
def add_segment_member(call: Call) -> dict[str, Any]:
    audience, segment = _segment(call)
    if segment.type != "static":
        raise invalid("Only static segments (tags) take members.", kind="rule")
    member = audience.members.get(subscriber_hash(call.body["email_address"]))
    if member is None:
        raise not_found()
    segment.members.setdefault(member.id, call.state.now())
    return member_json(audience, member)


@route("DELETE", "/lists/{list_id}/segments/{segment_id}/members/{subscriber_hash}")
def remove_segment_member(call: Call) -> None:
    _, segment = _segment(call)
    raw = call.params["subscriber_hash"]
    hashed = subscriber_hash(raw) if "@" in raw else raw
    if segment.members.pop(hashed, None) is None:
        raise not_found()


@route("GET", "/lists/{list_id}/tag-search")
def tag_search(call: Call) -> dict[str, Any]:
    call.only("name")
    audience = call.state.audience(call.params["list_id"])
    prefix = call.query.get("name", "").lower()
    found = [
        {"id": s.id, "name": s.name}
        for s in audience.segments.values()
        if s.type == "static" and s.name.lower().startswith(prefix)
    ]
    return {"tags": found, "total_items": len(found)}
