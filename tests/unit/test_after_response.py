"""The work behind an ack starts once the ack has been sent, not before: it
would otherwise take the GIL from the request's own thread while that thread
is still answering Slack."""

from __future__ import annotations

import io
import threading
import time
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier

from bot.edge import SlackEvents
from bot.listeners.running import ListenerRunner, Registrar

SECRET = "signing-secret"


def command_environ(text: str) -> dict[str, Any]:
    body = urlencode(
        {
            "command": "/myplan",
            "team_id": "T0001",
            "user_id": "U0001",
            "channel_id": "C0001",
            "trigger_id": "1.2.abc",
            "response_url": "https://hooks.slack.invalid/commands/1",
            "text": text,
        }
    ).encode()
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body)
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp,
        "HTTP_X_SLACK_SIGNATURE": signature,
        "wsgi.input": io.BytesIO(body),
    }


def authorized(**_: Any) -> AuthorizeResult:
    return AuthorizeResult(
        enterprise_id=None, team_id="T0001", bot_token="xoxb-test", bot_user_id="UB", bot_id="B1"
    )


def edge_with_command(*, started: threading.Event) -> SlackEvents:
    app = App(signing_secret=SECRET, authorize=authorized, process_before_response=True)

    def listener(ack: Any) -> None:
        started.set()

    Registrar(app, ListenerRunner()).command("/myplan", listener)
    return SlackEvents(app, signing_secret=SECRET)


def test_a_commands_work_starts_when_the_server_closes_the_sent_response() -> None:
    started = threading.Event()
    edge = edge_with_command(started=started)
    statuses: list[str] = []
    body = edge(command_environ("checkin"), lambda status, headers: statuses.append(status))
    assert statuses == ["200 OK"]
    assert b"".join(body) == b""  # the ack: sent while nothing else runs
    assert not started.wait(0.2)
    assert hasattr(body, "close")
    body.close()  # PEP 3333: the server closes the body once it is sent
    assert started.wait(2)


def test_a_refused_request_leaves_no_work_behind() -> None:
    started = threading.Event()
    edge = edge_with_command(started=started)
    environ = command_environ("checkin")
    environ["HTTP_X_SLACK_SIGNATURE"] = "v0=" + "0" * 64
    statuses: list[str] = []
    body = edge(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["401 Unauthorized"]
    assert not hasattr(body, "close")
    assert not started.wait(0.1)
