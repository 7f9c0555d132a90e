"""The loopback Slack's Socket Mode side: apps.connections.open, hello, envelopes
and their acks, a refused bot token, and a dropped connection reconnected."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.emulator.test_round_trip import build_app
from tests.slack_emulator import SlackDriver, SlackEmulator, connect_socket_mode, wait_until


def api(slack: SlackEmulator, token: str) -> WebClient:
    return WebClient(token=token, base_url=slack.api_url)


@pytest.fixture
def socket_app(slack: SlackEmulator) -> Iterator[SocketModeHandler]:
    # A short ping interval, so a socket that dies silently is noticed quickly.
    with connect_socket_mode(build_app(slack), slack, ping_interval=1) as handler:
        yield handler


def test_connections_open_needs_the_app_token_and_its_scope(slack: SlackEmulator) -> None:
    with pytest.raises(SlackApiError) as refused:
        api(slack, slack.bot_token).apps_connections_open(app_token=slack.bot_token)
    assert refused.value.response["error"] == "not_allowed_token_type"
    # ...and the app-level token is refused where the bot token belongs.
    with pytest.raises(SlackApiError) as wrong_way:
        api(slack, slack.app_token).chat_postMessage(channel="CTEAM", text="hi")
    assert wrong_way.value.response["error"] == "not_allowed_token_type"

    slack.grant([], token=slack.app_token)
    with pytest.raises(SlackApiError) as unscoped:
        api(slack, slack.app_token).apps_connections_open(app_token=slack.app_token)
    assert unscoped.value.response["error"] == "missing_scope"
    assert unscoped.value.response["needed"] == "connections:write"

    slack.grant(["connections:write"], token=slack.app_token)
    url = api(slack, slack.app_token).apps_connections_open(app_token=slack.app_token)["url"]
    assert url.startswith(f"ws://127.0.0.1:{slack.socket_mode.port}/link/?ticket=")


def test_hello_then_an_envelope_acked_by_its_id(slack: SlackEmulator) -> None:
    url = api(slack, slack.app_token).apps_connections_open(app_token=slack.app_token)["url"]
    with connect(url) as websocket:
        hello = json.loads(websocket.recv(timeout=5))
        assert hello["type"] == "hello"
        assert hello["num_connections"] == 1
        assert hello["connection_info"] == {"app_id": slack.app_id}

        result: dict[str, object] = {}
        sending = threading.Thread(
            target=lambda: result.update(
                delivery=slack.socket_mode.deliver(
                    "interactive", {"type": "view_submission"}, timeout=5
                )
            )
        )
        sending.start()
        envelope = json.loads(websocket.recv(timeout=5))
        assert envelope["type"] == "interactive"
        assert envelope["accepts_response_payload"] is True
        assert envelope["payload"] == {"type": "view_submission"}
        websocket.send(json.dumps({"envelope_id": "not-this-one"}))
        answer = {"response_action": "errors", "errors": {"calls": "A number, please."}}
        websocket.send(json.dumps({"envelope_id": envelope["envelope_id"], "payload": answer}))
        sending.join(5)
    delivery = result["delivery"]
    assert delivery.acked.is_set()  # type: ignore[attr-defined]
    assert delivery.response == answer  # type: ignore[attr-defined]


def test_a_connection_url_works_once(slack: SlackEmulator) -> None:
    url = api(slack, slack.app_token).apps_connections_open(app_token=slack.app_token)["url"]
    with connect(url):
        pass
    with pytest.raises(InvalidStatus, match="401"):
        connect(url)
    with pytest.raises(InvalidStatus, match="401"):
        connect(url.replace("ticket=", "ticket=forged"))


def test_a_bolt_app_over_socket_mode(slack: SlackEmulator, socket_app: SocketModeHandler) -> None:
    driver = SlackDriver(slack, transport="socket_mode")
    assert len(slack.calls_to("apps.connections.open")) == 1
    assert slack.calls_to("apps.connections.open")[0].token == slack.app_token

    assert driver.slash_command("UOWNER", command="/goal").status == 200
    wait_until(lambda: slack.open_modal("UOWNER"), message="the modal")
    refused = driver.submit_view("UOWNER", {"Calls this week": "lots", "kind": "Activity"})
    assert refused.errors == {"calls": "Enter a whole number of calls."}
    assert slack.open_modal("UOWNER") is not None
    accepted = driver.submit_view("UOWNER", {"Calls this week": "25", "kind": "activity"})
    assert (accepted.status, accepted.body) == (200, "")
    assert slack.open_modal("UOWNER") is None
    wait_until(lambda: slack.dms("UOWNER"), message="the confirmation DM")

    driver.click_button("UOWNER", "Raise it")
    wait_until(lambda: len(slack.dms("UOWNER")) == 2, message="the button's reply")
    assert driver.open_app_home("UPEER").status == 200
    wait_until(lambda: slack.home.get("UPEER"), message="the home view")

    kinds = [d.type for d in slack.socket_mode.deliveries.values()]
    assert kinds == ["slash_commands", "interactive", "interactive", "interactive", "events_api"]
    assert all(d.acked.is_set() for d in slack.socket_mode.deliveries.values())
    assert all(ack.seconds < 3 for ack in driver.acks)


def test_asked_to_reconnect_the_client_opens_a_new_connection(
    slack: SlackEmulator, socket_app: SocketModeHandler
) -> None:
    first, second = slack.socket_mode.ask_to_reconnect()
    assert second is not first
    assert first.closed.is_set()  # Slack closed it once the new one was up
    assert slack.socket_mode.live() == [second]
    assert len(slack.calls_to("apps.connections.open")) == 2  # a new URL, not the old one
    driver = SlackDriver(slack, transport="socket_mode")
    assert driver.slash_command("UOWNER", command="/goal").status == 200
    wait_until(lambda: slack.open_modal("UOWNER"), message="the modal, on the new connection")


def test_a_dropped_connection_is_reconnected(
    slack: SlackEmulator, socket_app: SocketModeHandler
) -> None:
    dropped = slack.socket_mode.drop()
    assert dropped.closed.is_set()
    again = slack.socket_mode.wait_connected(count=2)
    assert again is not dropped
    assert len(slack.calls_to("apps.connections.open")) == 2
    assert SlackDriver(slack, transport="socket_mode").open_app_home("UPEER").status == 200
    wait_until(lambda: slack.home.get("UPEER"), message="the home view, after reconnecting")


def test_no_ack_is_reported(slack: SlackEmulator) -> None:
    url = api(slack, slack.app_token).apps_connections_open(app_token=slack.app_token)["url"]
    with connect(url) as websocket:
        websocket.recv(timeout=5)  # hello, and then silence
        delivery = slack.socket_mode.deliver("events_api", {"type": "event_callback"}, timeout=0.2)
    assert not delivery.acked.is_set()
    assert delivery.response is None
