"""Batch operations (`/batches`): many API operations in one request, run later.

Mailchimp answers POST /batches at once with status `pending` and runs the operations in its
own time; the fake runs them when the batch is next read, after `State.batch_polls` reads
answered `started` (1 by default: a client has to poll). Each operation goes through the same
checks as a request of its own (spec, rules, endpoint), so an operation the real API would refuse
is a violation here too. The results are a gzipped tar archive of JSON files, each a list of
`{status_code, operation_id, response}` (`response` a JSON string), served without auth at
`response_body_url`, as Mailchimp serves it from its own storage.
"""

from __future__ import annotations

import io
import json
import tarfile
from typing import Any

from .api import ROUTES, Call, route
from .errors import ApiError, invalid, not_found, unmodelled
from .state import Batch

RESULTS_PREFIX = "/batch-results/"  # outside /3.0, as the real archive is on another host


def batch_json(call: Call, batch: Batch) -> dict[str, Any]:
    finished = batch.status == "finished"
    return {
        "id": batch.id,
        "status": batch.status,
        "total_operations": len(batch.operations),
        "finished_operations": len(batch.results) if finished else 0,
        "errored_operations": sum(1 for r in batch.results if r["status_code"] >= 400),
        "submitted_at": batch.submitted_at,
        "completed_at": batch.completed_at,
        "response_body_url": (
            call.fake.url.removesuffix("/3.0") + RESULTS_PREFIX + f"{batch.id}.tar.gz"
            if finished
            else ""
        ),
    }


@route("POST", "/batches")
def start_batch(call: Call) -> dict[str, Any]:
    call.only()
    operations = call.body["operations"]
    for index, op in enumerate(operations):
        if not isinstance(op.get("body", ""), str):
            raise invalid(
                "The resource submitted could not be validated.",
                [{"field": f"operations.{index}.body", "message": "a JSON-encoded string"}],
            )
    batch = Batch(call.state.new_id(), operations, submitted_at=call.state.now().isoformat())
    call.state.batches[batch.id] = batch
    return batch_json(call, batch)


@route("GET", "/batches/{batch_id}")
def batch_status(call: Call) -> dict[str, Any]:
    call.only()
    batch = call.state.batches.get(call.params["batch_id"])
    if batch is None:
        raise not_found()
    if batch.status != "finished":
        batch.reads += 1
        if batch.reads > call.state.batch_polls:
            batch.results = [_run(call, index, op) for index, op in enumerate(batch.operations)]
            batch.status = "finished"
            batch.completed_at = call.state.now().isoformat()
            batch.archive = _archive(batch.results)
        else:
            batch.status = "started"
    return batch_json(call, batch)


def _run(call: Call, index: int, operation: dict[str, Any]) -> dict[str, Any]:
    """One operation, checked and answered as a request of its own would be."""
    fake = call.fake
    method, path = operation["method"], operation["path"]
    where = f"batch {index}: {method} {path}"
    try:
        op, params, _ = fake.spec.match(method, path)
        if op is None:
            fake.record_violation("spec", "no such operation", "POST", f"/batches ({where})")
            raise not_found()
        query = {k: str(v) for k, v in (operation.get("params") or {}).items()}
        problems = fake.spec.check_query(op, {k: [v] for k, v in query.items()})
        body, more = fake.spec.check_body(op, str(operation.get("body") or "").encode())
        problems += more
        for problem in problems:
            fake.record_violation(
                "spec",
                f"{problem.field or 'body'}: {problem.message}",
                "POST",
                f"/batches ({where})",
            )
        if problems:
            raise invalid(
                "Invalid Resource", [{"field": p.field, "message": p.message} for p in problems]
            )
        endpoint = ROUTES.get((method, op.template))
        if endpoint is None:
            raise unmodelled(f"{method} {op.template} in a batch")
        result = endpoint(Call(op, params, query, body, call.state, fake))
        status, answer = (204, "") if result is None else (200, json.dumps(result))
    except ApiError as error:
        if error.violation:
            fake.record_violation(error.violation, f"{error.status} {error.title}: {error.detail}",
                                  "POST", f"/batches ({where})")  # fmt: skip
        status, answer = error.status, json.dumps(error.body(call.state.instance()))
    return {
        "status_code": status,
        "operation_id": operation.get("operation_id"),
        "response": answer,
    }


def _archive(results: list[dict[str, Any]]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        data = json.dumps(results).encode()
        info = tarfile.TarInfo("results/0.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return out.getvalue()
