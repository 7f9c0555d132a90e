"""Slack calls over kept-alive connections, with slack_sdk's own answers and retries."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.app import make_client
from bot.config import Settings
from bot.slack_http import PooledWebClient
from tests.slack_emulator import RateLimits, SlackEmulator


@pytest.fixture
def slack() -> Iterator[SlackEmulator]:
    """Slack without its pace: what is counted here is connections, not waits
    (a 429 is scripted where one is wanted)."""
    emulator = SlackEmulator(limits=RateLimits(enabled=False))
    emulator.add_channel("CTEAM", "sales-team")
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


def pooled_client(slack: SlackEmulator) -> WebClient:
    return make_client(Settings(slack_bot_token=slack.bot_token, slack_api_url=slack.api_url))


def urllib_client(slack: SlackEmulator) -> WebClient:
    """slack_sdk's own transport, a connection per call: what the pool must match."""
    return WebClient(
        token=slack.bot_token,
        base_url=slack.api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def test_calls_one_after_another_share_one_connection(slack: SlackEmulator) -> None:
    client = pooled_client(slack)
    assert isinstance(client, PooledWebClient)
    for n in range(20):
        assert client.chat_postMessage(channel="CTEAM", text=f"message {n}")["ok"]
    assert len(slack.channel_messages("CTEAM")) == 20
    assert slack.connections == 1


def test_slack_sdks_own_transport_opens_one_a_call(slack: SlackEmulator) -> None:
    """The baseline the pool improves on (and proof the counter counts)."""
    client = urllib_client(slack)
    for n in range(5):
        client.chat_postMessage(channel="CTEAM", text=f"message {n}")
    assert slack.connections == 5


Make = Callable[[SlackEmulator], WebClient]


@pytest.mark.parametrize("make", [pooled_client, urllib_client], ids=["pooled", "urllib"])
def test_a_429_waits_retry_after_then_succeeds(slack: SlackEmulator, make: Make) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    assert make(slack).chat_postMessage(channel="CTEAM", text="after the limit")["ok"]
    assert time.monotonic() - started >= 1.0
    statuses = [call.status for call in slack.calls if call.method == "chat.postMessage"]
    assert statuses == [429, 200]


@pytest.mark.parametrize("make", [pooled_client, urllib_client], ids=["pooled", "urllib"])
def test_a_dropped_connection_is_retried_once(slack: SlackEmulator, make: Make) -> None:
    client = make(slack)
    client.chat_postMessage(channel="CTEAM", text="opens the connection")
    slack.fail_next("chat.postMessage", drop=True)
    assert client.chat_postMessage(channel="CTEAM", text="after the drop")["ok"]
    assert [m.text for m in slack.channel_messages("CTEAM")] == [
        "opens the connection",
        "after the drop",
    ]


@pytest.mark.parametrize(
    ("fault", "status", "error"),
    [
        ({"error": "channel_not_found"}, 200, "channel_not_found"),
        ({"status": 500, "times": 3}, 500, None),
    ],
)
def test_errors_are_the_same_as_slack_sdks_own(
    slack: SlackEmulator, fault: dict[str, object], status: int, error: str | None
) -> None:
    answers = []
    for make in (pooled_client, urllib_client):
        slack.fail_next("chat.postMessage", **fault)  # type: ignore[arg-type]
        with pytest.raises(SlackApiError) as raised:
            make(slack).chat_postMessage(channel="CTEAM", text="refused")
        response = raised.value.response
        answers.append((response.status_code, response.get("error") if response.data else None))
    assert answers[0] == answers[1]
    assert answers[0][0] == status
    if error is not None:
        assert answers[0][1] == error


def test_a_forked_process_opens_its_own_connection(slack: SlackEmulator) -> None:
    """gunicorn forks its workers after startup has called auth.test: a worker
    must not share its parent's socket (two processes reading one answer)."""
    import os

    client = pooled_client(slack)
    client.auth_test()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports by its exit code
        ok = client.chat_postMessage(channel="CTEAM", text="from the child")["ok"]
        os._exit(0 if ok else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert client.chat_postMessage(channel="CTEAM", text="from the parent")["ok"]
    assert slack.connections == 2
    assert [m.text for m in slack.channel_messages("CTEAM")] == [
        "from the child",
        "from the parent",
    ]
