"""The Mailchimp client: configuration from the environment, retries where safe, one-line errors."""

import pytest

from bulletin.errors import BulletinError
from bulletin.mailchimp.client import Config, Mailchimp, MailchimpError, describe

KEY = "0123456789abcdef0123456789abcdef-us19"


def client_for(fake, **kwargs) -> Mailchimp:
    delays: list[float] = []
    mc = Mailchimp(
        Config.from_env({"MAILCHIMP_API_KEY": fake.api_key, "MAILCHIMP_BASE_URL": fake.url}),
        sleep=delays.append,
        **kwargs,
    )
    mc.delays = delays  # type: ignore[attr-defined]
    return mc


def test_config_reads_key_data_centre_and_base_url():
    config = Config.from_env(
        {"MAILCHIMP_API_KEY": KEY, "MAILCHIMP_BASE_URL": "http://127.0.0.1:9/3.0/"}
    )
    assert (config.server, config.base_url) == ("us19", "http://127.0.0.1:9/3.0")
    assert KEY not in repr(config)


@pytest.mark.parametrize("env", [{}, {"MAILCHIMP_API_KEY": "  "}, {"MAILCHIMP_API_KEY": "nope"}])
def test_a_missing_or_malformed_key_is_one_clear_line(env):
    with pytest.raises(BulletinError) as info:
        Config.from_env(env)
    message = str(info.value)
    assert message.startswith("MAILCHIMP_API_KEY")
    assert "\n" not in message
    assert "nope" not in message


def test_ping(fake_mailchimp):
    mc = client_for(fake_mailchimp)
    assert mc.call(mc.client.ping.get, retry=True)["health_status"] == "Everything's Chimpy!"


def test_a_wrong_key_is_401_and_never_shown(fake_mailchimp):
    wrong = "f" * 32 + "-us19"
    mc = Mailchimp(
        Config.from_env({"MAILCHIMP_API_KEY": wrong, "MAILCHIMP_BASE_URL": fake_mailchimp.url})
    )
    with pytest.raises(MailchimpError) as info:
        mc.call(mc.client.ping.get, retry=True)
    assert info.value.status == 401
    assert wrong not in str(info.value)
    assert str(info.value).startswith("Mailchimp said 401: ")
    fake_mailchimp.take_violations()


def test_safe_calls_retry_honouring_retry_after(fake_mailchimp):
    fake_mailchimp.inject(r"^/ping$", times=2, fault="429", retry_after=7)
    mc = client_for(fake_mailchimp)
    assert mc.call(mc.client.ping.get, retry=True)
    assert mc.delays == [7, 7]
    assert mc.calls == 3


@pytest.mark.parametrize("fault", ["500", "503", "drop"])
def test_safe_calls_retry_server_errors_and_dropped_connections(fake_mailchimp, fault):
    fake_mailchimp.inject(r"^/ping$", times=2, fault=fault)
    mc = client_for(fake_mailchimp)
    assert mc.call(mc.client.ping.get, retry=True)
    assert len(mc.delays) == 2
    assert all(0 <= d <= 30 for d in mc.delays)


def test_retries_are_bounded(fake_mailchimp):
    fake_mailchimp.inject(r"^/ping$", times=None, fault="503")
    mc = client_for(fake_mailchimp, max_attempts=3)
    with pytest.raises(MailchimpError) as info:
        mc.call(mc.client.ping.get, retry=True)
    assert info.value.status == 503
    assert mc.calls == 3


def test_unsafe_calls_are_never_repeated(fake_mailchimp):
    fake_mailchimp.inject(r"^/ping$", times=1, fault="drop")
    mc = client_for(fake_mailchimp)
    with pytest.raises(MailchimpError) as info:
        mc.call(mc.client.ping.get, retry=False)
    assert info.value.unreachable
    assert mc.calls == 1


def test_a_slow_answer_times_out(fake_mailchimp):
    fake_mailchimp.inject(r"^/ping$", times=1, fault="slow", delay=2.0)
    mc = Mailchimp(
        Config(fake_mailchimp.api_key, "us19", fake_mailchimp.url, timeout=0.5),
        sleep=lambda s: None,
    )
    with pytest.raises(MailchimpError) as info:
        mc.call(mc.client.ping.get, retry=False)
    assert info.value.unreachable


def test_a_slow_answer_times_out_and_is_retried(fake_mailchimp):
    fake_mailchimp.inject(r"^/ping$", times=1, fault="slow", delay=2.0)
    delays: list[float] = []
    mc = Mailchimp(
        Config(fake_mailchimp.api_key, "us19", fake_mailchimp.url, timeout=0.5),
        sleep=delays.append,
    )
    assert mc.call(mc.client.ping.get, retry=True)["health_status"]
    pings = fake_mailchimp.calls("GET", r"^/ping$")
    assert [r.fault for r in pings] == ["slow", None]  # the first timed out, the second answered
    assert (mc.calls, len(delays)) == (2, 1)


def test_the_default_bound_is_five_attempts(fake_mailchimp):
    fake_mailchimp.inject(r"^/ping$", times=None, fault="503")
    mc = client_for(fake_mailchimp)
    with pytest.raises(MailchimpError) as info:
        mc.call(mc.client.ping.get, retry=True)
    assert info.value.status == 503
    assert (mc.calls, len(mc.delays)) == (5, 4)
    assert len(fake_mailchimp.calls("GET", r"^/ping$")) == 5


def test_problem_documents_read_as_one_line():
    text = (
        '{"type": "x", "title": "Invalid Resource", "status": 400, "detail": "Bad data.",'
        ' "instance": "1", "errors": [{"field": "reply_to", "message": "not an address"}]}'
    )
    assert describe(text) == "Invalid Resource: Bad data. (reply_to: not an address)"
    assert describe("") == "no detail"
