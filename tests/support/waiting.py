"""Waiting on an event itself (the fake's state, its request log), never on a guessed delay."""

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], object], timeout: float = 30.0, what: str = "") -> None:
    """Poll `condition` until it is true; fail the test if it is not within `timeout` seconds.

    The timeout only bounds a broken run: a busy machine makes the wait longer, never red.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout:.0f} s: {what or condition}")
        time.sleep(0.02)
