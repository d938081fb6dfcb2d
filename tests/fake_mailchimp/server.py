"""The fake Mailchimp's HTTP side: a threaded server on 127.0.0.1 serving /3.0, with auth, spec
checks, fault injection and a log of every request.

Each request goes: log it -> match it to an operation of the spec -> check its query and body
against the spec -> injected fault, if any -> HTTP Basic auth -> the endpoint (under one lock) ->
answer. A request the real API would reject is answered 400 (as the API would) and recorded in
`violations`; the pytest fixture fails the test if any were recorded, so a bad call fails a test
even when the code swallows the 400.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import (  # noqa: F401 (endpoints)
    actions,
    batches,
    campaigns,
    files,
    interests,
    lists,
    members,
    reports,
    tags,
    webhooks,
)
from .api import ROUTES, Call, project
from .errors import FIELD_DETAIL, ApiError, not_found, unmodelled
from .faults import FAULTS, Injection, fault_answer
from .spec import Spec, load_spec
from .state import Audience, Member, State, subscriber_hash

API_KEY = "0123456789abcdef0123456789abcdef-us19"
# The real limit depends on the plan: "Free plan ... Tests can include up to six addresses at once.
# Paid users ... up to 20 addresses at once" (mailchimp.com/help/about-test-email-sending-limits/).
# Default to the free plan's 6, the strictest, so code that passes here passes on any plan.
TEST_EMAIL_LIMIT = 6


@dataclass
class RequestRecord:
    method: str
    path: str  # after /3.0, e.g. /campaigns/abc/actions/schedule
    query: dict[str, str]
    body: Any
    status: int | None = None  # None when the connection was dropped before an answer
    fault: str | None = None
    operation: str = ""  # the spec's path template, e.g. /campaigns/{campaign_id}


@dataclass
class Violation:
    # spec: not a valid request; rule: refused by the service; unmodelled: the fake cannot say;
    # response: an answer of the fake that breaks the spec; fake: the fake crashed.
    kind: str
    message: str
    method: str = ""
    path: str = ""

    def __str__(self) -> str:
        where = f"{self.method} {self.path}: " if self.method else ""
        return f"[{self.kind}] {where}{self.message}"


class FakeMailchimp:
    """A running fake of the Mailchimp Marketing API v3.0: a context manager, or start()/stop()."""

    def __init__(
        self,
        api_key: str = API_KEY,
        *,
        test_email_limit: int = TEST_EMAIL_LIMIT,
        clock: Any = None,
        check_responses: bool = False,
        verify_webhooks: bool = False,
        port: int = 0,
    ) -> None:
        self.api_key = api_key
        self.test_email_limit = test_email_limit
        self.check_responses = check_responses
        self.verify_webhooks = verify_webhooks
        self.spec: Spec = load_spec()
        self.state = State(clock)
        self.lock = threading.RLock()
        self.requests: list[RequestRecord] = []
        self.violations: list[Violation] = []
        self.faults: list[Injection] = []
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.fake = self
        self._thread: threading.Thread | None = None
        self.on_request: Callable[[RequestRecord], None] | None = None  # e.g. a log line

    # -- life -------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/3.0"

    def start(self) -> FakeMailchimp:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeMailchimp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests use ---------------------------------------------------------------------------

    def client(self, timeout: float = 10) -> Any:
        """The official SDK (mailchimp_marketing.Client), pointed at this fake."""
        import mailchimp_marketing

        client = mailchimp_marketing.Client()
        client.set_config(
            {"api_key": self.api_key, "server": self.api_key.rpartition("-")[2], "timeout": timeout}
        )
        client.api_client.host = self.url
        return client

    def inject(
        self,
        path_regex: str,
        method: str | None = None,
        times: int | None = 1,
        fault: str = "500",
        *,
        retry_after: int = 1,
        delay: float = 1.0,
        body: str | None = None,
    ) -> Injection:
        """Make the next `times` requests whose path (after /3.0) matches `path_regex` fail.

        Faults: "429" (with Retry-After: retry_after seconds), "500", "503", "drop" (read the
        request, close the connection without an answer), "slow" (wait `delay` seconds, then
        answer), "after" (do what was asked, then close the connection without an answer).
        """
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}")
        injection = Injection(
            re.compile(path_regex),
            method and method.upper(),
            times,
            fault,
            retry_after,
            delay,
            body,
        )
        with self.lock:
            self.faults.append(injection)
        return injection

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def write_calls(self) -> int:
        """How many requests were not GETs (whatever their answer)."""
        with self.lock:
            return sum(1 for r in self.requests if r.method != "GET")

    def calls(
        self, method: str | None = None, path_regex: str | None = None
    ) -> list[RequestRecord]:
        with self.lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (path_regex is None or re.search(path_regex, r.path))
            ]

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    def record_violation(self, kind: str, message: str, method: str = "", path: str = "") -> None:
        with self.lock:
            self.violations.append(Violation(kind, message, method, path))

    def take_violations(self) -> list[Violation]:
        """Acknowledge the violations so far (for a test that provokes a rejection on purpose)."""
        with self.lock:
            taken, self.violations = self.violations, []
            return taken

    def assert_no_violations(self) -> None:
        with self.lock:
            if self.violations:
                lines = "\n  ".join(str(v) for v in self.violations)
                raise AssertionError(
                    f"fake Mailchimp: {len(self.violations)} violation(s): requests the real API "
                    f"would reject, or that the fake cannot answer faithfully:\n  {lines}"
                )

    def now(self) -> datetime:
        return self.state.now()

    def set_now(self, moment: datetime) -> None:
        """Freeze the fake's clock (schedules are judged against it and come due by it)."""
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        with self.lock:
            self.state.clock = lambda: moment
            self.state.tick()

    def advance(self, **delta: float) -> None:
        """Move the clock on, e.g. advance(hours=2): scheduled campaigns that come due are sent."""
        self.set_now(self.now() + timedelta(**delta))

    def seed_list(self, name: str = "Partners", **kwargs: Any) -> Audience:
        """An audience with members, merge fields, groups and tags (see State.add_list)."""
        with self.lock:
            return self.state.add_list(name, **kwargs)

    def set_activity(self, campaign_id: str, **activity: Any) -> Any:
        """What the readers of a sent campaign did, exactly (see reports.set_activity)."""
        return reports.set_activity(self, campaign_id, **activity)

    def generate_activity(self, campaign_id: str, **rates: Any) -> Any:
        """Plausible activity for every reader of a sent campaign (see reports.py)."""
        return reports.generate_activity(self, campaign_id, **rates)

    def sent_at(self, campaign_id: str, moment: datetime) -> None:
        """Date a sent campaign's send back, as if sent then."""
        reports.sent_at(self, campaign_id, moment if moment.tzinfo else moment.replace(tzinfo=UTC))

    def member(self, list_id: str, email: str) -> Member | None:
        with self.lock:
            return self.state.lists[list_id].members.get(subscriber_hash(email))

    def interest_id(self, list_id: str, category: str, group: str) -> str:
        with self.lock:
            for cat in self.state.lists[list_id].categories.values():
                if cat.title == category:
                    for interest in cat.interests.values():
                        if interest.name == group:
                            return interest.id
        raise KeyError(f"{category}/{group}")

    # -- serving ----------------------------------------------------------------------------------

    def _serve(self, handler: _Handler, raw: bytes) -> None:
        method = handler.command
        split = urlsplit(handler.path)
        query_lists = parse_qs(split.query, keep_blank_values=True)
        query = {k: v[-1] for k, v in query_lists.items()}
        path = split.path
        if method == "GET" and path.startswith(batches.RESULTS_PREFIX):
            self._serve_results(handler, path.removeprefix(batches.RESULTS_PREFIX))
            return
        api_path = path[len("/3.0") :] if path == "/3.0" or path.startswith("/3.0/") else None
        record = RequestRecord(
            method, api_path if api_path is not None else path, query, _loads(raw)
        )
        with self.lock:
            self.requests.append(record)
            injection = self._take_fault(method, record.path)

        status, headers, body = self._answer(
            handler, method, api_path, query, query_lists, raw, record, injection
        )
        try:
            if status is None or (injection and injection.fault == "after"):
                handler.close_connection = True  # no answer at all: the socket just closes
                return
            record.status = status
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if body:
                handler.wfile.write(body)
        finally:
            if self.on_request is not None:
                self.on_request(record)

    def _serve_results(self, handler: _Handler, name: str) -> None:
        """A finished batch's results archive: no auth, as a pre-signed storage link."""
        with self.lock:
            batch = self.state.batches.get(name.removesuffix(".tar.gz"))
            body = batch.archive if batch is not None else b""
        handler.send_response(200 if body else 404)
        handler.send_header("Content-Type", "application/gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _take_fault(self, method: str, path: str) -> Injection | None:
        for injection in self.faults:
            if injection.method not in (None, method) or not injection.pattern.search(path):
                continue
            if injection.times is not None:
                if injection.times <= 0:
                    continue
                injection.times -= 1
            injection.hits += 1
            return injection
        return None

    def _answer(
        self,
        handler: _Handler,
        method: str,
        api_path: str | None,
        query: dict[str, str],
        query_lists: dict[str, list[str]],
        raw: bytes,
        record: RequestRecord,
        injection: Injection | None,
    ) -> tuple[int | None, dict[str, str], bytes]:
        try:
            if api_path is None:
                self.record_violation("spec", "not under /3.0", method, record.path)
                raise not_found()
            op, params, path_known = self.spec.match(method, api_path)
            if op is None:
                if path_known:
                    self.record_violation(
                        "spec", "the spec has no such method on this path", method, api_path
                    )
                    raise ApiError(
                        405,
                        "Method Not Allowed",
                        f"The requested method and resource are not compatible: {method} "
                        f"{api_path}",
                    )
                self.record_violation("spec", "no such path in the spec", method, api_path)
                raise not_found()
            record.operation = op.template
            problems = self.spec.check_query(op, query_lists)
            body, body_problems = self.spec.check_body(op, raw)
            problems += body_problems
            for problem in problems:
                self.record_violation(
                    "spec", f"{problem.field or 'body'}: {problem.message}", method, api_path
                )

            if injection is not None:
                record.fault = injection.fault
                if injection.fault == "drop":
                    return None, {}, b""
                if injection.fault == "slow":
                    self._stopping.wait(injection.delay)
                elif injection.fault in ("429", "500", "503"):
                    return fault_answer(injection, self.state.instance())

            self._authenticate(handler.headers.get("Authorization"))
            if problems:
                raise ApiError(
                    400,
                    "Invalid Resource",
                    FIELD_DETAIL,
                    errors=[{"field": p.field, "message": p.message} for p in problems],
                )
            endpoint = ROUTES.get((method, op.template))
            if endpoint is None:
                raise unmodelled(f"{method} {op.template}")
            params = {k: unquote(v) for k, v in params.items()}
            with self.lock:
                self.state.tick()
                call = Call(op, params, query, body, self.state, self)
                result = endpoint(call)
                if result is None:
                    return 204, {}, b""
                if self.check_responses:
                    self._check_response(op, result, method, api_path)
                result = project(result, query.get("fields"), query.get("exclude_fields"))
            return 200, {"Content-Type": "application/json; charset=utf-8"}, _dumps(result)
        except ApiError as error:
            if error.violation:
                self.record_violation(
                    error.violation,
                    f"{error.status} {error.title}: {error.detail}",
                    method,
                    record.path,
                )
            answer = error.body(self.state.instance())
            return (
                error.status,
                {"Content-Type": "application/problem+json; charset=utf-8"},
                _dumps(answer),
            )
        except Exception:  # a bug in the fake: answer 500 and fail the test with the traceback
            self.record_violation("fake", traceback.format_exc(), method, record.path)
            crash = ApiError(500, "Internal Server Error", "fake_mailchimp crashed").body("")
            return 500, {"Content-Type": "application/problem+json; charset=utf-8"}, _dumps(crash)

    def _authenticate(self, header: str | None) -> None:
        if not header:
            raise ApiError(401, "API Key Missing", "Your request did not include an API key.")
        scheme, _, value = header.partition(" ")
        key = ""
        if scheme.lower() == "basic":
            try:
                key = base64.b64decode(value).decode("utf-8").partition(":")[2]
            except ValueError:
                key = ""
        if key != self.api_key:
            raise ApiError(
                401,
                "API Key Invalid",
                "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
            )

    def _check_response(self, op: Any, result: Any, method: str, path: str) -> None:
        schema = self.spec.response_schema(op, result)
        if schema is None:
            return
        for problem in self.spec.check(schema, result):
            self.violations.append(
                Violation(
                    "response",
                    f"answer does not match the spec: {problem.field}: {problem.message}",
                    method,
                    path,
                )
            )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeMailchimp


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        self.server.fake._serve(self, raw)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", errors="replace")


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


@contextmanager
def running(**kwargs: Any) -> Iterator[FakeMailchimp]:
    """A started fake, stopped afterwards; AssertionError if a violation was left untaken."""
    fake = FakeMailchimp(**kwargs).start()
    try:
        yield fake
    finally:
        fake.stop()
    fake.assert_no_violations()
