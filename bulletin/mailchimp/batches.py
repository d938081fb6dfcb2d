"""Many operations in one call: Mailchimp's batch endpoint, its wait, and each operation's answer.

A batch is accepted at once and run by Mailchimp later: its status is read until `finished`,
waiting a little longer each time, then the results archive (a gzipped tar of JSON lists of
`{status_code, operation_id, response}`) is fetched from the link Mailchimp gives. That link is
pre-signed storage, so the API key is never sent there.
"""

from __future__ import annotations

import io
import json
import tarfile
from dataclasses import dataclass
from typing import Any

from bulletin.mailchimp.client import Mailchimp, MailchimpError

FIRST_WAIT = 0.2  # seconds before the first status read; doubled each time, up to MAX_WAIT
MAX_WAIT = 20.0
MAX_POLLS = 60  # about 17 minutes in all: beyond that, say so rather than wait forever


@dataclass
class Result:
    operation_id: str
    status_code: int
    response: Any  # the operation's JSON answer, or None


def run(mc: Mailchimp, operations: list[dict[str, Any]]) -> dict[str, Result]:
    """Run `operations` (method, path, body as an object, operation_id) as one batch; each
    one's result by operation id. Not retried: a batch sent twice would run twice."""
    body = {
        "operations": [
            {
                "method": op["method"],
                "path": op["path"],
                "operation_id": op["operation_id"],
                "body": json.dumps(op["body"]),
            }
            for op in operations
        ]
    }
    batch = mc.call_once(mc.client.batches.start, body)
    wait = FIRST_WAIT
    for _ in range(MAX_POLLS):
        if batch.get("status") == "finished":
            return _results(mc, str(batch.get("response_body_url") or ""))
        mc.sleep(wait)
        wait = min(wait * 2, MAX_WAIT)
        batch = mc.call(mc.client.batches.status, batch["id"], retry=True)
    raise MailchimpError(
        f"Mailchimp has not finished batch {batch['id']} yet: its status is {batch.get('status')}"
    )


def _results(mc: Mailchimp, url: str) -> dict[str, Result]:
    import requests

    mc.calls += 1
    try:
        answer = requests.get(url, timeout=mc.config.timeout)
        answer.raise_for_status()
    except requests.RequestException as err:
        raise MailchimpError(f"the results of a batch could not be fetched: {err}") from None
    found: dict[str, Result] = {}
    with tarfile.open(fileobj=io.BytesIO(answer.content), mode="r:gz") as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member) if member.isfile() else None
            if handle is None:
                continue
            for item in json.loads(handle.read() or b"[]"):
                text = item.get("response") or ""
                found[str(item.get("operation_id"))] = Result(
                    str(item.get("operation_id")),
                    int(item.get("status_code") or 0),
                    json.loads(text) if text else None,
                )
    return found
