"""The door to Mailchimp: the official `mailchimp-marketing` SDK, wrapped.

The SDK has no retries, a 120 s timeout and errors whose `str()` is empty; this wraps it so
that every call has a timeout, calls that are safe to repeat are retried with backoff and
jitter (honouring Retry-After), calls that are not are made once, and every failure is one
readable line. The API key comes from the environment and never appears in a message.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bulletin.errors import BulletinError

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
PAGE = 1000  # the API's largest `count`
_DATA_CENTRE = re.compile(r"^[0-9a-f]{32}-(us\d{1,3})$")


class MailchimpError(BulletinError):
    """Mailchimp refused a call or could not be reached; the message is safe to show."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

    @property
    def unreachable(self) -> bool:
        """No answer at all: the call may or may not have happened."""
        return self.status is None


@dataclass(frozen=True)
class Config:
    api_key: str = field(repr=False)
    server: str
    base_url: str | None = None
    timeout: float = 20.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        """`MAILCHIMP_API_KEY` (its `-us19` suffix names the data centre), `MAILCHIMP_BASE_URL`."""
        env = os.environ if environ is None else environ
        key = env.get("MAILCHIMP_API_KEY", "").strip()
        if not key:
            raise BulletinError(
                "MAILCHIMP_API_KEY is not set: create a key in Mailchimp (Account > Extras > "
                "API keys) and export it"
            )
        match = _DATA_CENTRE.match(key)
        if not match:
            raise BulletinError(
                "MAILCHIMP_API_KEY does not look like a Mailchimp key (32 hex characters, "
                "a dash and the data centre, like ...-us19)"
            )
        base_url = env.get("MAILCHIMP_BASE_URL", "").strip().rstrip("/") or None
        return cls(key, match[1], base_url, _timeout(env.get("MAILCHIMP_TIMEOUT", "")))


def _timeout(text: str) -> float:
    """`MAILCHIMP_TIMEOUT`: seconds, more than 0 and at most 600; 20 when not set."""
    if not text.strip():
        return 20.0
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 600:  # also refuses nan and inf
        raise BulletinError(
            f"MAILCHIMP_TIMEOUT must be a number of seconds, more than 0 and at most 600, "
            f"like 20 ({text!r})"
        )
    return seconds


@dataclass
class Mailchimp:
    """An SDK client with timeouts, bounded retries for safe calls, and one-line errors."""

    config: Config
    max_attempts: int = 5
    max_delay: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    calls: int = 0  # HTTP calls made, for the benchmarks
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def __post_init__(self) -> None:
        import mailchimp_marketing

        self.client = mailchimp_marketing.Client()
        self.client.set_config(
            {
                "api_key": self.config.api_key,
                "server": self.config.server,
                "timeout": self.config.timeout,
            }
        )
        if self.config.base_url:
            self.client.api_client.host = self.config.base_url
        send = self.client.api_client.request

        def request(*args: Any, **kwargs: Any) -> Any:
            """Keep the raw answer: the SDK drops its headers (Retry-After) on errors."""
            self.calls += 1
            self._local.response = None
            response = send(*args, **kwargs)
            self._local.response = response
            return response

        self.client.api_client.request = request

    def call(self, operation: Callable[..., Any], *args: Any, retry: bool, **kwargs: Any) -> Any:
        """Run one SDK operation; `retry` only where repeating it cannot do anything twice."""
        attempt = 1
        while True:
            try:
                return self._once(operation, *args, **kwargs)
            except MailchimpError as err:
                retryable = err.unreachable or err.status in RETRYABLE_STATUSES
                if not (retry and retryable) or attempt >= self.max_attempts:
                    raise
                self.sleep(self._delay(attempt, err.retry_after))
                attempt += 1

    def call_once(self, operation: Callable[..., Any], *args: Any) -> Any:
        """Call once; repeat only after a 429, which Mailchimp answers before doing anything.

        For calls that must not happen twice (create, send, schedule, a test send): after no
        answer or a server error the caller reads back what happened instead.
        """
        attempt = 1
        while True:
            try:
                return self.call(operation, *args, retry=False)
            except MailchimpError as err:
                if err.status != 429 or attempt >= self.max_attempts:
                    raise
                self.sleep(min(err.retry_after or 1.0, self.max_delay))
                attempt += 1

    def pages(
        self,
        operation: Callable[..., Any],
        key: str,
        *args: Any,
        page_size: int = PAGE,
        **query: Any,
    ) -> Iterator[dict[str, Any]]:
        """Every item of a collection, reading page after page until `total_items` are seen."""
        offset = 0
        while True:
            answer = self.call(
                operation, *args, count=page_size, offset=offset, retry=True, **query
            )
            items = answer.get(key) or []
            yield from items
            offset += len(items)
            if not items or offset >= int(answer.get("total_items") or 0):
                return

    def _once(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        from mailchimp_marketing.api_client import ApiClientError

        try:
            result = operation(*args, **kwargs)
        except ApiClientError as err:
            raise self._error(err.status_code, err.text) from None
        status = getattr(result, "status_code", None)
        if status is not None and status >= 400:  # the SDK returns, not raises, on empty bodies
            raise self._error(status, getattr(result, "text", ""))
        return None if status is not None else result

    def _error(self, status: int | None, text: Any) -> MailchimpError:
        response = getattr(self._local, "response", None)
        retry_after = (
            _seconds(response.headers.get("Retry-After")) if response is not None else None
        )
        if status is None:
            reason = type(text).__name__ if isinstance(text, Exception) else "no answer"
            message = f"Mailchimp did not answer ({reason})"
        else:
            message = f"Mailchimp said {status}: {describe(text)}"
        return MailchimpError(self._redact(message), status, retry_after)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with full jitter, or what Retry-After asks, within the cap."""
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        return random.uniform(0, min(self.max_delay, 0.5 * 2**attempt))

    def _redact(self, message: str) -> str:
        return message.replace(self.config.api_key, "***")


def describe(text: Any) -> str:
    """Mailchimp's problem document as one line: title, detail, and the fields at fault."""
    body = text
    if isinstance(text, str):
        try:
            body = json.loads(text)
        except ValueError:
            return text.strip().splitlines()[0][:200] if text.strip() else "no detail"
    if not isinstance(body, dict):
        return str(body)[:200]
    parts = [str(body.get("title") or ""), str(body.get("detail") or "")]
    line = ": ".join(p for p in parts if p) or "no detail"
    fields = [
        f"{e.get('field') or '?'}: {e.get('message')}"
        for e in body.get("errors") or []
        if isinstance(e, dict)
    ]
    return line + (f" ({'; '.join(fields)})" if fields else "")


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def ambiguous(err: MailchimpError) -> bool:
    """No answer, or a server error: the call may or may not have been carried out."""
    return err.unreachable or (err.status or 0) >= 500
