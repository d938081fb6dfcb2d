"""Webhooks: where Mailchimp posts unsubscribes, profile changes, cleaned addresses."""

from __future__ import annotations

import urllib.request
from typing import Any

from .api import Call, route
from .errors import FIELD_DETAIL, invalid, not_found
from .state import Audience, Webhook

# -- webhooks -------------------------------------------------------------------------------------

EVENTS = {
    "subscribe": True,
    "unsubscribe": True,
    "profile": True,
    "cleaned": True,
    "upemail": True,
    "campaign": True,
}
SOURCES = {"user": True, "admin": True, "api": False}


def webhook_json(audience: Audience, hook: Webhook) -> dict[str, Any]:
    return {
        "id": hook.id,
        "url": hook.url,
        "events": hook.events,
        "sources": hook.sources,
        "list_id": audience.id,
        "_links": [],
    }


def _check_url(call: Call, url: str | None) -> str:
    if not url or not url.startswith(("http://", "https://")):
        raise invalid(FIELD_DETAIL, [{"field": "url", "message": "Please enter a valid URL."}])
    if call.fake.verify_webhooks:
        # Mailchimp checks a new webhook URL with a GET and refuses it unless it answers 200.
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                ok = answer.status == 200
        except OSError:
            ok = False
        if not ok:
            raise invalid(
                "The URL did not answer Mailchimp's GET with 200.",
                [{"field": "url", "message": "We couldn't verify the URL is working."}],
            )
    return url


def _webhook(call: Call) -> tuple[Audience, Webhook]:
    audience = call.state.audience(call.params["list_id"])
    hook = audience.webhooks.get(call.params["webhook_id"])
    if hook is None:
        raise not_found()
    return audience, hook


@route("POST", "/lists/{list_id}/webhooks")
def create_webhook(call: Call) -> dict[str, Any]:
    audience = call.state.audience(call.params["list_id"])
    url = _check_url(
        call, call.body.get("url")
    )  # the spec requires nothing, the service wants a url
    hook = Webhook(
        id=call.state.new_id(),
        url=url,
        events={**EVENTS, **call.body.get("events", {})},
        sources={**SOURCES, **call.body.get("sources", {})},
    )
    audience.webhooks[hook.id] = hook
    return webhook_json(audience, hook)


@route("GET", "/lists/{list_id}/webhooks")
def list_webhooks(call: Call) -> dict[str, Any]:
    audience = call.state.audience(call.params["list_id"])
    hooks = [webhook_json(audience, h) for h in audience.webhooks.values()]
    return {"webhooks": hooks, "list_id": audience.id, "total_items": len(hooks), "_links": []}


@route("GET", "/lists/{list_id}/webhooks/{webhook_id}")
def get_webhook(call: Call) -> dict[str, Any]:
    return webhook_json(*_webhook(call))


@route("PATCH", "/lists/{list_id}/webhooks/{webhook_id}")
def update_webhook(call: Call) -> dict[str, Any]:
    audience, hook = _webhook(call)
    if "url" in call.body:
        hook.url = _check_url(call, call.body["url"])
    hook.events.update(call.body.get("events", {}))
    hook.sources.update(call.body.get("sources", {}))
    return webhook_json(audience, hook)


@route("DELETE", "/lists/{list_id}/webhooks/{webhook_id}")
def delete_webhook(call: Call) -> None:
    audience, hook = _webhook(call)
    del audience.webhooks[hook.id]
