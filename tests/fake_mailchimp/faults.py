"""Injected faults: what a test can make the fake do instead of answering normally."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .errors import ApiError

FAULTS = ("429", "500", "503", "drop", "slow", "after")


@dataclass
class Injection:
    pattern: re.Pattern[str]
    method: str | None
    times: int | None  # None: every matching request
    fault: str
    retry_after: int = 1
    delay: float = 1.0
    body: str | None = None  # for 429/500/503: None gives a problem+json body, "" an empty one
    hits: int = 0


def fault_answer(injection: Injection, instance: str) -> tuple[int, dict[str, str], bytes]:
    status = int(injection.fault)
    headers = {}
    if status == 429:
        headers["Retry-After"] = str(injection.retry_after)
    if injection.body is not None:
        if injection.body:
            headers["Content-Type"] = "text/html"
        return status, headers, injection.body.encode()
    title, detail = {
        429: (
            "Too Many Requests",
            "You have exceeded the limit of 10 simultaneous connections.",
        ),
        500: (
            "Internal Server Error",
            "An unexpected internal error has occurred. Please contact Support.",
        ),
        503: (
            "Service Unavailable",
            "The service is temporarily unavailable. Please try again later.",
        ),
    }[status]
    headers["Content-Type"] = "application/problem+json; charset=utf-8"
    problem = ApiError(status, title, detail).body(instance)
    return status, headers, json.dumps(problem).encode("utf-8")
