"""A faithful fake of the Mailchimp Marketing API v3.0 for tests: a real HTTP server on 127.0.0.1.

    with running() as fake:                  # or the `fake_mailchimp` pytest fixture
        audience = fake.seed_list("Partners", members=["a@example.org"])
        client = fake.client()               # the official SDK, with api_client.host = fake.url
        fake.inject(r"/actions/schedule$", "POST", fault="after")

By hand: `.venv/bin/python tests/fake_mailchimp --audiences audiences.yaml` (see __main__.py).

Modules: server.py (the request pipeline, faults, the log), spec.py (checks against the OpenAPI
file), state.py (what it holds), rules.py (members' status), campaigns.py and actions.py (the
campaign state machine), lists.py, members.py, interests.py, tags.py, webhooks.py, segments.py,
reports.py (reports of sent campaigns, from activity tests set or generate).
"""

from .errors import ApiError
from .faults import Injection
from .server import API_KEY, FakeMailchimp, RequestRecord, Violation, running
from .state import subscriber_hash

__all__ = [
    "API_KEY",
    "ApiError",
    "FakeMailchimp",
    "Injection",
    "RequestRecord",
    "Violation",
    "running",
    "subscriber_hash",
]
