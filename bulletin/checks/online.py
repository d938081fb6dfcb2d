"""Fetching links to see that they work, for `bulletin check --online`.

Each address is asked for with HEAD (GET where a server refuses HEAD), redirects followed,
a few at a time in threads, each with a timeout. Only the standard library: one request per
link needs no HTTP client dependency.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

TIMEOUT = 10.0  # seconds for each request
WORKERS = 8  # requests at once: enough to be quick, few enough not to look like an attack
# Browsers' agent strings get fewer refusals than Python's own from sites behind bot filters.
_USER_AGENT = "Mozilla/5.0 (compatible; bulletin-link-check)"
_HEAD_REFUSED = frozenset({403, 405, 501})  # servers that answer GET but not HEAD say these
UNANSWERED = ("cannot connect", "no answer")  # how a problem starts when no server answered


def fetch_all(
    urls: Iterable[str], *, timeout: float = TIMEOUT, workers: int = WORKERS
) -> dict[str, str | None]:
    """Each distinct URL mapped to what is wrong with it ('HTTP 404 Not Found'), or None."""
    distinct = list(dict.fromkeys(urls))
    if not distinct:
        return {}
    with ThreadPoolExecutor(max_workers=min(workers, len(distinct))) as pool:
        return dict(
            zip(distinct, pool.map(lambda url: problem(url, timeout), distinct), strict=True)
        )


def problem(url: str, timeout: float = TIMEOUT) -> str | None:
    """What is wrong with fetching `url`, or None if it answers with a success."""
    try:
        status = _status(url, "HEAD", timeout)
        if status in _HEAD_REFUSED:
            status = _status(url, "GET", timeout)
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            return f"no answer within {timeout:g} s"
        return f"cannot connect ({err.reason})"
    except (http.client.HTTPException, OSError, ValueError) as err:
        return f"cannot connect ({err or type(err).__name__})"
    if status < 300:
        return None
    if status < 400:  # urllib follows redirects, so one left over loops or leads nowhere
        return f"HTTP {status}: the redirects loop or lead nowhere"
    return f"HTTP {status} {_phrase(status)}".rstrip()


def _status(url: str, method: str, timeout: float) -> int:
    """The final status of `url` after redirects; the body is never read."""
    opener = urllib.request.build_opener(_KeepMethod)
    request = urllib.request.Request(url, method=method, headers={"User-Agent": _USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        err.close()
        return err.code


class _KeepMethod(urllib.request.HTTPRedirectHandler):
    """Follow a redirect with the same method: Python 3.11 turns HEAD into GET."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]
        if new is not None:
            new.method = req.get_method()
        return new


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
