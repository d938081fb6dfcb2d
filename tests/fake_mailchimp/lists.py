"""Audiences (lists): reading them, and batch subscribe (up to 500 members a call)."""

from __future__ import annotations

from typing import Any

from .api import Call, route
from .errors import ApiError, invalid
from .members import apply_fields, check_fields, member_json, new_member
from .rules import change_status
from .state import EMAIL, Audience, iso, subscriber_hash

BATCH_LIMIT = 500  # "Up to 500 members may be added or updated with each API call" (spec, prose)


@route("GET", "/ping")
def ping(call: Call) -> dict[str, Any]:
    return {"health_status": "Everything's Chimpy!"}


def list_json(audience: Audience, total_contacts: bool = False) -> dict[str, Any]:
    stats: dict[str, Any] = {
        "member_count": audience.count("subscribed"),
        "unsubscribe_count": audience.count("unsubscribed"),
        "cleaned_count": audience.count("cleaned"),
        "member_count_since_send": 0,
        "unsubscribe_count_since_send": 0,
        "cleaned_count_since_send": 0,
        "campaign_count": 0,
        "merge_field_count": len(audience.merge_fields),
        "avg_sub_rate": 0,
        "avg_unsub_rate": 0,
        "target_sub_rate": 0,
        "open_rate": 0,
        "click_rate": 0,
    }
    if total_contacts:
        stats["total_contacts"] = sum(
            1 for m in audience.members.values() if m.status != "archived"
        )
    return {
        "id": audience.id,
        "web_id": audience.web_id,
        "name": audience.name,
        "contact": {
            "company": "Safeguarding Partnership",
            "address1": "1 High Street",
            "city": "Worcester",
            "state": "",
            "zip": "WR1 1AA",
            "country": "GB",
            "phone": "",
        },
        "permission_reminder": "You signed up as a safeguarding partner.",
        "use_archive_bar": True,
        "campaign_defaults": {
            "from_name": audience.from_name,
            "from_email": audience.from_email,
            "subject": "",
            "language": "en",
        },
        "notify_on_subscribe": "",
        "notify_on_unsubscribe": "",
        "date_created": iso(audience.created),
        "list_rating": 0,
        "email_type_option": False,
        "subscribe_url_short": f"http://eepurl.com/{audience.id[:6]}",
        "subscribe_url_long": f"https://example.us19.list-manage.com/subscribe?u=fake&id={audience.id}",
        "beamer_address": f"us19-fake-{audience.id}@inbound.mailchimp.com",
        "visibility": "prv",
        "double_optin": audience.double_optin,
        "has_welcome": False,
        "marketing_permissions": False,
        "modules": [],
        "stats": stats,
        "_links": [],
    }


@route("GET", "/lists")
def get_lists(call: Call) -> dict[str, Any]:
    call.only("email", "include_total_contacts", "sort_field", "sort_dir")
    found = list(call.state.lists.values())
    if "email" in call.query:
        wanted = subscriber_hash(call.query["email"])
        found = [a for a in found if wanted in a.members]
    if call.query.get("sort_dir") == "DESC":
        found.reverse()
    total = call.flag("include_total_contacts")
    return {
        "lists": [list_json(a, total) for a in call.page(found)],
        "total_items": len(found),
        "constraints": {
            "may_create": True,
            "max_instances": 100,
            "current_total_instances": len(found),
        },
        "_links": [],
    }


@route("GET", "/lists/{list_id}")
def get_list(call: Call) -> dict[str, Any]:
    call.only("include_total_contacts")
    return list_json(
        call.state.audience(call.params["list_id"]), call.flag("include_total_contacts")
    )


@route("POST", "/lists/{list_id}")
def batch_subscribe(call: Call) -> dict[str, Any]:
    call.only("skip_merge_validation", "skip_duplicate_check")
    state = call.state
    audience = state.audience(call.params["list_id"])
    body = call.body
    members = body["members"]
    if len(members) > BATCH_LIMIT:
        raise invalid(
            f"You can add or update at most {BATCH_LIMIT} members in one call; "
            f"this one has {len(members)}.",
            [{"field": "members", "message": f"At most {BATCH_LIMIT} items."}],
        )
    update_existing = bool(body.get("update_existing"))
    skip_merge = call.flag("skip_merge_validation")
    created, updated, errors, seen = [], [], [], set()

    def error(
        email: str,
        message: str,
        code: str = "ERROR_GENERIC",
        field: str = "",
        field_message: str = "",
    ) -> None:
        errors.append(
            {
                "email_address": email,
                "error": message,
                "error_code": code,
                "field": field,
                "field_message": field_message,
            }
        )

    for item in members:
        email = item.get("email_address") or ""
        hashed = subscriber_hash(email)
        if hashed in seen and not call.flag("skip_duplicate_check"):
            error(email, f"{email} appears more than once in this request.")
            continue
        seen.add(hashed)
        member = audience.members.get(hashed)
        try:
            if not EMAIL.match(email):
                raise invalid(
                    "Please provide a valid email address.",
                    [
                        {
                            "field": "email_address",
                            "message": "Please provide a valid email address.",
                        }
                    ],
                    kind="",
                )
            if member is not None and member.status != "archived":
                if not update_existing:
                    error(
                        email,
                        f"{email} is already a list member, do you want to update? "
                        "please provide update_existing:true in the request body",
                        "ERROR_CONTACT_EXISTS",
                    )
                    continue
                check_fields(audience, item, new=False, skip_merge=True)
                apply_fields(state, member, item)
                if "status" in item:
                    change_status(member, item["status"], state.now())
                updated.append(member)
            else:
                if "status" not in item:
                    raise invalid(
                        "The status field is required for a new member.",
                        [{"field": "status", "message": "This value should not be blank."}],
                        kind="",
                    )
                check_fields(audience, item, new=True, skip_merge=skip_merge)
                if member is not None:
                    change_status(member, item["status"], state.now())
                    apply_fields(state, member, item)
                    updated.append(member)
                else:
                    created.append(new_member(state, audience, item, item["status"]))
        except ApiError as exc:
            first = (exc.errors or [{}])[0]
            error(
                email,
                exc.detail,
                field=first.get("field", ""),
                field_message=first.get("message", ""),
            )
            if exc.violation == "rule":
                # The request asked for what the service refuses (re-subscribing an unsubscribed or
                # cleaned address, a bad merge field): a bug in the caller even inside a 200.
                call.fake.record_violation(
                    "rule", f"batch member {email}: {exc.title}: {exc.detail}"
                )
    return {
        "new_members": [member_json(audience, m) for m in created],
        "updated_members": [member_json(audience, m) for m in updated],
        "errors": errors,
        "total_created": len(created),
        "total_updated": len(updated),
        "error_count": len(errors),
        "_links": [],
    }
