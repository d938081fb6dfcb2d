"""Members of an audience: upsert, add, update, archive, erase, list, and their tags."""

from __future__ import annotations

import hashlib
import operator
from typing import Any

from .api import Call, route
from .errors import FIELD_DETAIL, bad_request, invalid, not_found, unmodelled
from .rules import change_status, forgotten_error
from .state import EMAIL, Audience, Member, State, iso, subscriber_hash


def member_json(audience: Audience, member: Member) -> dict[str, Any]:
    tags = [s for s in audience.segments.values() if s.type == "static" and member.id in s.members]
    merge = {tag: member.merge_fields.get(tag, "") for tag in audience.merge_fields}
    body: dict[str, Any] = {
        "id": member.id,
        "email_address": member.email,
        "unique_email_id": hashlib.md5(f"unique-{member.id}".encode()).hexdigest()[:10],
        "contact_id": hashlib.md5(f"contact-{member.id}".encode()).hexdigest(),
        "full_name": " ".join(str(merge.get(t, "")) for t in ("FNAME", "LNAME")).strip(),
        "web_id": member.web_id,
        "email_type": member.email_type,
        "status": member.status,
        "consents_to_one_to_one_messaging": True,
        "merge_fields": merge,
        "interests": {i.id: bool(member.interests.get(i.id)) for i in audience.all_interests()},
        "stats": {"avg_open_rate": 0, "avg_click_rate": 0},
        "ip_signup": member.ip_signup,
        "timestamp_signup": member.timestamp_signup,
        "ip_opt": member.ip_opt,
        "timestamp_opt": member.timestamp_opt,
        "member_rating": 2,
        "last_changed": iso(member.last_changed),
        "language": member.language,
        "vip": member.vip,
        "email_client": "",
        "location": {
            "latitude": 0,
            "longitude": 0,
            "gmtoff": 0,
            "dstoff": 0,
            "country_code": "",
            "timezone": "",
        },
        "source": "API - Generic",
        "tags_count": len(tags),
        "tags": [{"id": s.id, "name": s.name} for s in tags],
        "list_id": audience.id,
        "_links": [],
    }
    if member.status == "unsubscribed":
        body["unsubscribe_reason"] = member.unsubscribe_reason or "N/A (Unsubscribed by an admin)"
    return body


def member_hash(call: Call) -> str:
    """The path names a member by MD5, or (the description allows it) by the address itself."""
    raw = call.params["subscriber_hash"]
    return subscriber_hash(raw) if "@" in raw else raw.lower()


def existing(audience: Audience, hashed: str) -> Member:
    member = audience.members.get(hashed)
    if member is None:
        raise not_found()
    return member


def check_fields(audience: Audience, body: dict[str, Any], new: bool, skip_merge: bool) -> None:
    """What Mailchimp checks in a member's data; raises 400 Invalid Resource with errors[]."""
    errors = []
    email = body.get("email_address")
    if email is not None and not EMAIL.match(email):
        errors.append(
            {"field": "email_address", "message": "Please provide a valid email address."}
        )
    values = body.get("merge_fields") or {}
    for tag, value in values.items():
        field = audience.merge_fields.get(tag)
        if field is None:
            # Stricter than we could confirm: flags a misspelt tag that might otherwise be dropped.
            errors.append(
                {"field": tag, "message": f"Merge field {tag} does not exist in this audience."}
            )
        elif field.type == "number" and not _numeric(value):
            errors.append({"field": tag, "message": "Please enter a number."})
        elif field.type == "address" and not (isinstance(value, dict) or value == ""):
            errors.append({"field": tag, "message": "Please enter a complete address."})
        elif (
            field.type in ("dropdown", "radio")
            and value
            and value not in field.options.get("choices", [])
        ):
            errors.append({"field": tag, "message": "Please choose one of the options."})
        elif field.type not in ("number", "address") and not isinstance(value, str):
            errors.append({"field": tag, "message": "Please enter text."})
    if new and not skip_merge:
        for field in audience.merge_fields.values():
            if field.required and not values.get(field.tag) and not field.default_value:
                errors.append({"field": field.tag, "message": "Please enter a value"})
    for interest_id in body.get("interests") or {}:
        if audience.interest(interest_id) is None:
            raise invalid(f"Invalid interest ID: '{interest_id}'.", kind="rule")
    if errors:
        detail = (
            "Your merge fields were invalid."
            if email is None or EMAIL.match(email)
            else FIELD_DETAIL
        )
        raise invalid(detail, errors)


def _numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    try:
        float(str(value))
    except ValueError:
        return bool(value == "")
    return True


def apply_fields(state: State, member: Member, body: dict[str, Any]) -> bool:
    """Copy writable fields from a request; true when anything changed."""
    before = (
        dict(member.merge_fields),
        dict(member.interests),
        member.email_type,
        member.language,
        member.vip,
    )
    member.merge_fields.update(body.get("merge_fields") or {})
    member.interests.update(body.get("interests") or {})
    for key in (
        "email_type",
        "language",
        "vip",
        "ip_signup",
        "ip_opt",
        "timestamp_signup",
        "timestamp_opt",
    ):
        if key in body:
            setattr(member, key, body[key])
    changed = before != (
        member.merge_fields,
        member.interests,
        member.email_type,
        member.language,
        member.vip,
    )
    if changed:
        member.last_changed = state.now()
    return changed


def new_member(state: State, audience: Audience, body: dict[str, Any], status: str) -> Member:
    hashed = subscriber_hash(body["email_address"])
    if hashed in audience.forgotten:
        raise forgotten_error(body["email_address"])
    now = state.now()
    member = Member(
        email=body["email_address"],
        status=status,
        web_id=state.new_number(),
        created=now,
        last_changed=now,
    )
    apply_fields(state, member, body)
    member.unsubscribed_by = "api" if status == "unsubscribed" else None
    audience.members[hashed] = member
    return member


@route("PUT", "/lists/{list_id}/members/{subscriber_hash}")
def upsert_member(call: Call) -> dict[str, Any]:
    call.only("skip_merge_validation")
    audience = call.state.audience(call.params["list_id"])
    hashed = member_hash(call)
    body = call.body
    if subscriber_hash(body["email_address"]) != hashed:
        raise invalid(
            FIELD_DETAIL,
            [
                {
                    "field": "email_address",
                    "message": "The email address does not match the subscriber hash.",
                }
            ],
        )
    member = audience.members.get(hashed)
    if member is None or member.status == "archived":
        check_fields(audience, body, new=True, skip_merge=call.flag("skip_merge_validation"))
        # status_if_new applies to a new address; `status`, when given, wins.
        status = body.get("status") or body["status_if_new"]
        if member is not None:
            change_status(member, status, call.state.now())
            apply_fields(call.state, member, body)
        else:
            member = new_member(call.state, audience, body, status)
        return member_json(audience, member)
    check_fields(audience, body, new=False, skip_merge=True)
    apply_fields(call.state, member, body)
    if "status" in body:
        change_status(member, body["status"], call.state.now())
    return member_json(audience, member)


@route("POST", "/lists/{list_id}/members")
def add_member(call: Call) -> dict[str, Any]:
    call.only("skip_merge_validation")
    audience = call.state.audience(call.params["list_id"])
    body = call.body
    member = audience.members.get(subscriber_hash(body["email_address"]))
    if member is not None and member.status != "archived":
        raise bad_request(
            f"{body['email_address']} is already a list member. "
            "Use PUT to insert or update list members.",
            title="Member Exists",
        )
    check_fields(audience, body, new=True, skip_merge=call.flag("skip_merge_validation"))
    if member is not None:
        change_status(member, body["status"], call.state.now())
        apply_fields(call.state, member, body)
    else:
        member = new_member(call.state, audience, body, body["status"])
    for tag in body.get("tags") or []:
        call.state.ensure_tag(audience, tag).members[member.id] = call.state.now()
    return member_json(audience, member)


@route("PATCH", "/lists/{list_id}/members/{subscriber_hash}")
def update_member(call: Call) -> dict[str, Any]:
    call.only("skip_merge_validation")
    audience = call.state.audience(call.params["list_id"])
    member = existing(audience, member_hash(call))
    body = call.body
    if body.get("email_address") and subscriber_hash(body["email_address"]) != member.id:
        raise unmodelled("changing a member's email address")
    check_fields(audience, body, new=False, skip_merge=True)
    apply_fields(call.state, member, body)
    if "status" in body:
        change_status(member, body["status"], call.state.now())
    return member_json(audience, member)


@route("GET", "/lists/{list_id}/members/{subscriber_hash}")
def get_member(call: Call) -> dict[str, Any]:
    audience = call.state.audience(call.params["list_id"])
    return member_json(audience, existing(audience, member_hash(call)))


@route("DELETE", "/lists/{list_id}/members/{subscriber_hash}")
def archive_member(call: Call) -> None:
    audience = call.state.audience(call.params["list_id"])
    member = existing(audience, member_hash(call))
    member.status = "archived"
    member.last_changed = call.state.now()


@route("POST", "/lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent")
def erase_member(call: Call) -> None:
    audience = call.state.audience(call.params["list_id"])
    member = existing(audience, member_hash(call))
    del audience.members[member.id]
    for segment in audience.segments.values():
        segment.members.pop(member.id, None)
    audience.forgotten.add(member.id)


@route("GET", "/lists/{list_id}/members")
def list_members(call: Call) -> dict[str, Any]:
    call.only(
        "status",
        "email_type",
        "vip_only",
        "unique_email_id",
        "interest_category_id",
        "interest_ids",
        "interest_match",
        "since_last_changed",
        "before_last_changed",
        "sort_field",
        "sort_dir",
    )
    audience = call.state.audience(call.params["list_id"])
    q = call.query
    found = list(audience.members.values())
    status = q.get("status")
    found = (
        [m for m in found if m.status == status]
        if status
        else [m for m in found if m.status != "archived"]
    )
    if "email_type" in q:
        found = [m for m in found if m.email_type == q["email_type"]]
    if call.flag("vip_only"):
        found = [m for m in found if m.vip]
    if "interest_ids" in q or "interest_match" in q or "interest_category_id" in q:
        if not ("interest_ids" in q and "interest_match" in q and "interest_category_id" in q):
            raise bad_request("interest_category_id, interest_ids and interest_match go together.")
        ids = set(q["interest_ids"].split(","))
        match = q["interest_match"]

        def keep(member: Member) -> bool:
            chosen = {i for i in ids if member.interests.get(i)}
            return (
                bool(chosen) if match == "any" else chosen == ids if match == "all" else not chosen
            )

        found = [m for m in found if keep(m)]
    for key, keep_it in (("since_last_changed", operator.ge), ("before_last_changed", operator.lt)):
        if key in q:
            from .campaigns import _parse_time

            limit = _parse_time(q[key])
            found = [m for m in found if keep_it(m.last_changed, limit)]
    if q.get("sort_field") == "last_changed":
        found.sort(key=lambda m: m.last_changed, reverse=q.get("sort_dir") == "DESC")
    elif "sort_field" in q:
        raise unmodelled(f"sorting members by {q['sort_field']}")
    members = [member_json(audience, m) for m in call.page(found)]
    if "unique_email_id" in q:
        members = [m for m in members if m["unique_email_id"] == q["unique_email_id"]]
    return {"members": members, "list_id": audience.id, "total_items": len(found), "_links": []}


@route("GET", "/lists/{list_id}/members/{subscriber_hash}/tags")
def member_tags(call: Call) -> dict[str, Any]:
    audience = call.state.audience(call.params["list_id"])
    member = existing(audience, member_hash(call))
    tags = [
        {"id": s.id, "name": s.name, "date_added": iso(s.members[member.id])}
        for s in audience.segments.values()
        if s.type == "static" and member.id in s.members
    ]
    return {"tags": call.page(tags), "total_items": len(tags), "_links": []}


@route("POST", "/lists/{list_id}/members/{subscriber_hash}/tags")
def set_member_tags(call: Call) -> None:
    audience = call.state.audience(call.params["list_id"])
    member = existing(audience, member_hash(call))
    now = call.state.now()
    for tag in call.body["tags"]:
        if tag["status"] == "active":
            # "If a tag that does not exist is passed in and set as 'active', a new tag will
            # be created." (spec)
            call.state.ensure_tag(audience, tag["name"]).members.setdefault(member.id, now)
        else:
            segment = audience.tag(tag["name"])
            if segment is not None:
                segment.members.pop(member.id, None)
