"""The Mailchimp OpenAPI file, loaded once, indexed by (method, path), used to check requests and
responses.

The file is a generated conversion with known defects (tests/data/mailchimp/README.md and
../shared/mailchimp/README.md). What this module does about them:

1. Collapsed member and webhook response schemas (they point at their own collection): those
   responses are checked against substitutes written here (MEMBER, WEBHOOK), marked as ours.
   The items of four report collections (click details, email activity, sent-to, unsubscribed)
   point at the collection too: their items are checked against REPORT_ITEMS, written from the
   field lists Mailchimp documents for them.
2. ``merge_fields`` values typed ``object``: relaxed to "any value" in memory on load.
3. 204 responses declared ``content: {}``: no body check for 204.
4. ``application/problem+json`` errors: error bodies are JSON; we never check them as anything else.
5. ``x-oneOf`` segment conditions: unchecked by the schema; segments.py checks what it models.
6. No ``additionalProperties: false``: unknown body fields pass, as they would here too.
"""

from __future__ import annotations

import functools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema

SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "mailchimp" / "openapi.json"
SCHEMAS = "#/components/schemas/"
# Response schemas that refer to their own collection (defect 1): never trusted, see substitutes.
COLLAPSED = {"List_Members_2", "List_Webhooks", "Growth_History"}
# Report collections whose items refer to the collection itself: {schema: its items' key}.
REPORT_COLLECTIONS = {
    "Click_Detail_Report": "urls_clicked",
    "Email_Activity": "emails",
    "Sent_To": "sent_to",
    "Unsubscribes": "unsubscribes",
}


@dataclass
class Operation:
    method: str
    template: str
    operation_id: str
    query: dict[str, dict[str, Any]]  # name -> parameter schema
    body_ref: str | None  # component name of the JSON request body, if any
    body_required: bool
    response_ref: str | None  # component name of the 200 JSON body, None for 204-only operations
    regex: re.Pattern[str] = field(repr=False, default=re.compile(""))
    literals: int = 0


@dataclass
class Problem:
    """One thing wrong with a request or a response, in the shape of Mailchimp's `errors[]`."""

    field: str
    message: str


class Spec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        _relax_merge_fields(document["components"]["schemas"])
        self.operations: dict[tuple[str, str], Operation] = {}
        self._by_length: dict[int, list[Operation]] = {}
        for template, item in document["paths"].items():
            for method, op in item.items():
                if method not in {"get", "post", "put", "patch", "delete"}:
                    continue
                self._add(method.upper(), template, op)
        for ops in self._by_length.values():
            ops.sort(key=lambda o: -o.literals)  # "/lists/{id}/members" before a template of params
        self._validators: dict[str, jsonschema.protocols.Validator] = {}

    def _add(self, method: str, template: str, op: dict[str, Any]) -> None:
        query = {
            p["name"]: p.get("schema", {}) for p in op.get("parameters", []) if p["in"] == "query"
        }
        body_ref = None
        body = op.get("requestBody")
        if body:
            body_ref = _ref_name(body["content"]["application/json"]["schema"])
        ok = op["responses"].get("200")
        content = (ok or {}).get("content", {}).get("application/json")
        response_ref = _ref_name(content["schema"]) if content else None
        parts = template.strip("/").split("/")
        pattern = "/".join("([^/]+)" if part.startswith("{") else re.escape(part) for part in parts)
        operation = Operation(
            method=method,
            template=template,
            operation_id=op.get("operationId", ""),
            query=query,
            body_ref=body_ref,
            body_required=bool(body and body.get("required")),
            response_ref=response_ref,
            regex=re.compile("/" + pattern),
            literals=sum(1 for part in parts if not part.startswith("{")),
        )
        self.operations[(method, template)] = operation
        self._by_length.setdefault(len(parts), []).append(operation)

    def match(self, method: str, path: str) -> tuple[Operation | None, dict[str, str], bool]:
        """The operation for a path (after /3.0), its path parameters, whether the path exists."""
        parts = path.strip("/").split("/")
        path_known = False
        for op in self._by_length.get(len(parts), []):
            m = op.regex.fullmatch(path.rstrip("/") or "/")
            if not m:
                continue
            path_known = True
            if op.method == method:
                names = re.findall(r"\{([^}]+)\}", op.template)
                return op, dict(zip(names, m.groups(), strict=True)), True
        return None, {}, path_known

    # -- requests --------------------------------------------------------------------------------

    def check_query(self, op: Operation, query: dict[str, list[str]]) -> list[Problem]:
        problems = []
        for name, values in query.items():
            schema = op.query.get(name)
            if schema is None:
                known = ", ".join(sorted(op.query)) or "none"
                problems.append(
                    Problem(name, f"unknown query parameter (this operation takes: {known})")
                )
                continue
            for value in values:
                message = _check_query_value(schema, value)
                if message:
                    problems.append(Problem(name, message))
        return problems

    def check_body(self, op: Operation, raw: bytes) -> tuple[Any, list[Problem]]:
        """Parse and check a request body. The SDK sends the literal `null` when there is none."""
        text = raw.decode("utf-8", errors="replace").strip()
        if text in ("", "null"):
            if op.body_ref and op.body_required:
                return None, [Problem("", "a JSON request body is required")]
            return None, []
        try:
            body = json.loads(text)
        except ValueError as exc:
            return None, [Problem("", f"the body is not valid JSON: {exc}")]
        if not op.body_ref:
            return body, [Problem("", "this operation takes no request body")]
        return body, self.check(op.body_ref, body)

    # -- schemas ---------------------------------------------------------------------------------

    def check(self, schema: str | dict[str, Any], instance: Any) -> list[Problem]:
        """Problems of `instance` against a component (by name) or an inline schema."""
        validator = self.validator(schema)
        problems = []
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            where = ".".join(str(p) for p in error.absolute_path)
            message = error.message
            if error.validator == "required":
                missing = re.match(r"'(.+)' is a required property", message)
                if missing:
                    where = f"{where}.{missing.group(1)}" if where else missing.group(1)
                    message = "This value should not be blank."
            problems.append(Problem(where, message[:300]))
        return problems

    def validator(self, schema: str | dict[str, Any]) -> jsonschema.protocols.Validator:
        key = schema if isinstance(schema, str) else json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            root = {"$ref": SCHEMAS + schema} if isinstance(schema, str) else dict(schema)
            # Refs in the file are "#/components/schemas/X": give the root schema the components.
            root["components"] = self.document["components"]
            validator = jsonschema.Draft4Validator(root, format_checker=FORMATS)
            self._validators[key] = validator
        return validator

    def response_schema(self, op: Operation, body: Any) -> str | dict[str, Any] | None:
        """The schema a 200 body of `op` should meet, with our substitutes for collapsed ones."""
        ref = op.response_ref
        if ref is None:
            return None
        if ref == "List_Members_2":
            if isinstance(body, dict) and "members" in body and "email_address" not in body:
                return {
                    "type": "object",
                    "properties": {"members": {"type": "array", "items": MEMBER}},
                }
            return MEMBER
        if ref == "List_Webhooks":
            if isinstance(body, dict) and "webhooks" in body:
                return {
                    "type": "object",
                    "properties": {"webhooks": {"type": "array", "items": WEBHOOK}},
                }
            return WEBHOOK
        if ref in REPORT_COLLECTIONS:
            key = REPORT_COLLECTIONS[ref]
            item = REPORT_ITEMS[ref]
            if isinstance(body, dict) and key in body:
                return {
                    "type": "object",
                    "required": [key, "campaign_id", "total_items"],
                    "properties": {
                        key: {"type": "array", "items": item},
                        "campaign_id": {"type": "string"},
                        "total_items": {"type": "integer"},
                    },
                }
            return item
        if ref in COLLAPSED:
            return None
        return ref


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref[len(SCHEMAS) :] if ref and ref.startswith(SCHEMAS) else None


def _relax_merge_fields(schemas: dict[str, Any]) -> None:
    """Defect 2: `merge_fields` values are declared objects; real ones are strings, numbers..."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict) and isinstance(props.get("merge_fields"), dict):
                merge = props["merge_fields"]
                if isinstance(merge.get("additionalProperties"), dict):
                    merge["additionalProperties"] = {}
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schemas)


def _is_datetime(value: object) -> bool:
    # The real API writes "" for a time not set (an unsent campaign's send_time, timestamp_opt).
    if not isinstance(value, str) or value == "":
        return True
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value or " " in value


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("date-time")(_is_datetime)


def _check_query_value(schema: dict[str, Any], value: str) -> str | None:
    kind = schema.get("type")
    if kind == "array":
        item = schema.get("items", {})
        for part in value.split(","):
            message = _check_query_value(item, part)
            if message:
                return message
        return None
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            return f"{value!r} is not an integer"
        number = int(value)
        if "maximum" in schema and number > schema["maximum"]:
            return f"{number} is greater than the maximum of {schema['maximum']}"
        if "minimum" in schema and number < schema["minimum"]:
            return f"{number} is less than the minimum of {schema['minimum']}"
    elif kind == "number":
        try:
            float(value)
        except ValueError:
            return f"{value!r} is not a number"
    elif kind == "boolean" and value not in ("true", "false", "True", "False", "1", "0"):
        # The SDK sends Python's str(True) and str(False): accepted (ENDPOINTS.md, SDK notes).
        return f"{value!r} is not a boolean"
    if "enum" in schema and value not in schema["enum"]:
        return f"{value!r} is not one of {', '.join(map(str, schema['enum']))}"
    if schema.get("format") == "date-time" and not _is_datetime(value):
        return f"{value!r} is not an ISO 8601 date-time"
    return None


def query_bool(value: str | None) -> bool:
    return value in ("true", "True", "1")


@functools.cache
def load_spec() -> Spec:
    """Parse and index the spec once per process (a test session)."""
    with SPEC_PATH.open("rb") as handle:
        return Spec(json.load(handle))


def load_time() -> float:
    """Seconds to parse and index the spec from scratch (for the report and a test)."""
    start = time.perf_counter()
    with SPEC_PATH.open("rb") as handle:
        Spec(json.load(handle))
    return time.perf_counter() - start


# Substitutes for the collapsed schemas (defect 1). Ours, not Mailchimp's: written from the fields
# the API documents for a single member and a single webhook. Only types and enums are checked.
_STATUS = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional", "archived"]
MEMBER: dict[str, Any] = {
    "type": "object",
    "required": ["id", "email_address", "status", "list_id"],
    "properties": {
        "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        "email_address": {"type": "string"},
        "unique_email_id": {"type": "string"},
        "contact_id": {"type": "string"},
        "full_name": {"type": "string"},
        "web_id": {"type": "integer"},
        "email_type": {"type": "string"},
        "status": {"type": "string", "enum": _STATUS},
        "unsubscribe_reason": {"type": "string"},
        "merge_fields": {"type": "object"},
        "interests": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "language": {"type": "string"},
        "vip": {"type": "boolean"},
        "timestamp_signup": {"type": "string"},
        "timestamp_opt": {"type": "string"},
        "last_changed": {"type": "string", "format": "date-time"},
        "tags_count": {"type": "integer"},
        "tags": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
        },
        "list_id": {"type": "string"},
    },
}
WEBHOOK: dict[str, Any] = {
    "type": "object",
    "required": ["id", "url", "list_id"],
    "properties": {
        "id": {"type": "string"},
        "url": {"type": "string"},
        "events": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "sources": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "list_id": {"type": "string"},
    },
}


# The items of the report collections (defect 1 again), from the fields Mailchimp documents for
# each: ours, not Mailchimp's; types and enums only.
_RECIPIENT: dict[str, Any] = {
    "email_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
    "email_address": {"type": "string"},
    "campaign_id": {"type": "string"},
    "list_id": {"type": "string"},
    "list_is_active": {"type": "boolean"},
    "_links": {"type": "array"},
}
_WITH_MERGE_FIELDS: dict[str, Any] = {
    **_RECIPIENT,
    "merge_fields": {"type": "object"},
    "vip": {"type": "boolean"},
}
REPORT_ITEMS: dict[str, dict[str, Any]] = {
    "Click_Detail_Report": {
        "type": "object",
        "required": ["id", "url", "total_clicks", "unique_clicks"],
        "properties": {
            "id": {"type": "string"},
            "url": {"type": "string"},
            "total_clicks": {"type": "integer", "minimum": 0},
            "click_percentage": {"type": "number"},
            "unique_clicks": {"type": "integer", "minimum": 0},
            "unique_click_percentage": {"type": "number"},
            "last_click": {"type": "string", "format": "date-time"},
            "ab_split": {"type": "object"},
            "campaign_id": {"type": "string"},
            "_links": {"type": "array"},
        },
    },
    "Email_Activity": {
        "type": "object",
        "required": ["email_id", "activity"],
        "properties": {
            **_RECIPIENT,
            "activity": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["action", "timestamp"],
                    "properties": {
                        "action": {"type": "string", "enum": ["open", "click", "bounce"]},
                        "type": {"type": "string"},
                        "timestamp": {"type": "string", "format": "date-time"},
                        "url": {"type": "string"},
                        "ip": {"type": "string"},
                    },
                },
            },
        },
    },
    "Sent_To": {
        "type": "object",
        "required": ["email_id", "status"],
        "properties": {
            **_WITH_MERGE_FIELDS,
            "status": {"type": "string", "enum": ["sent", "hard", "soft"]},
            "open_count": {"type": "integer", "minimum": 0},
            "last_open": {"type": "string", "format": "date-time"},
            "absplit_group": {"type": "string"},
            "gmt_offset": {"type": "integer"},
        },
    },
    "Unsubscribes": {
        "type": "object",
        "required": ["email_id"],
        "properties": {
            **_WITH_MERGE_FIELDS,
            "timestamp": {"type": "string", "format": "date-time"},
            "reason": {"type": "string"},
        },
    },
}
