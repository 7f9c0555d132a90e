"""The request edge: unsigned garbage gets 401, signed garbage 400, and the
log one line for each, never a traceback (issue 14, finding 7)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest

from tests.scenarios.conftest import Bot
from tests.slack_emulator import wait_until

FORM = "application/x-www-form-urlencoded"


def assert_one_quiet_line(caplog: pytest.LogCaptureFixture, words: str) -> None:
    """The refusal was logged once, in one line, and nothing logged a traceback."""
    assert not [r for r in caplog.records if r.exc_info], caplog.text
    assert "Traceback" not in caplog.text
    lines = [r.getMessage() for r in caplog.records if words in r.getMessage()]
    assert len(lines) == 1, caplog.text
    assert "\n" not in lines[0]


@pytest.mark.parametrize(
    ("body", "content_type", "headers"),
    [
        ("payload=not-json", FORM, {}),
        ("[1, 2, 3]", "application/json", {}),
        ("payload=%7B%7D", FORM, {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=x"}),
        ("payload=%7B%7D", FORM, {"X-Slack-Request-Timestamp": "-1", "X-Slack-Signature": "v0=x"}),
        ("token=x", FORM, {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=abc"}),
    ],
)
def test_unsigned_garbage_is_refused_401_in_one_line(
    bot: Bot,
    caplog: pytest.LogCaptureFixture,
    body: str,
    content_type: str,
    headers: dict[str, str],
) -> None:
    caplog.set_level(logging.INFO)
    ack = bot.driver.post(body, content_type, sign=False, extra_headers=headers)
    assert ack.status == 401
    assert ack.json == {"error": "invalid_signature"}
    assert_one_quiet_line(caplog, "signature")


def test_a_stale_signature_is_refused(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    ack = bot.driver.post("payload=%7B%7D", FORM, timestamp=int(time.time()) - 600)
    assert ack.status == 401
    assert_one_quiet_line(caplog, "signature")


def interaction(bot: Bot, **fields: Any) -> dict[str, Any]:
    return {
        "team": {"id": bot.slack.team_id},
        "user": {"id": "UOWNER"},
        "api_app_id": bot.slack.app_id,
        "trigger_id": "1.2.3",
        **fields,
    }


def command(bot: Bot, **without: Any) -> dict[str, str]:
    fields = {
        "command": "/myplan",
        "team_id": bot.slack.team_id,
        "user_id": "UOWNER",
        "channel_id": "CTEAM",
        "text": "help",
        "trigger_id": "1.2.3",
        "response_url": "https://hooks.example/1",
    }
    return {k: v for k, v in fields.items() if k not in without}


MALFORMED: list[tuple[str, Any]] = [
    ("not json", "not-json"),
    ("a JSON array", [1, 2]),
    ("a JSON string", "just text"),
    ("no type", {"user": {"id": "UOWNER"}}),
    ("an unknown type", {"type": "dialog_submission"}),
    ("block_actions with no actions", {"type": "block_actions", "actions": []}),
    ("block_actions whose action is a string", {"type": "block_actions", "actions": ["x"]}),
    ("a view with no type", {"type": "view_submission", "view": {"id": "V1", "state": {}}}),
    (
        "a view whose state is a list",
        {"type": "view_submission", "view": {"id": "V1", "type": "modal", "state": {"values": []}}},
    ),
    ("a user id that is a number", {"type": "view_submission", "user": {"id": 7}}),
    ("a user id too long for its column", {"type": "view_closed", "user": {"id": "U" * 40}}),
    (
        "a shortcut without message.ts",
        {
            "type": "message_action",
            "callback_id": "save_to_plan",
            "channel": {"id": "CTEAM"},
            "message": {"text": "hi"},
        },
    ),
]


@pytest.mark.parametrize(("what", "payload"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_signed_malformed_interaction_is_refused_400_in_one_line(
    bot: Bot, caplog: pytest.LogCaptureFixture, what: str, payload: Any
) -> None:
    if isinstance(payload, dict) and payload.get("type") in (
        "view_submission",
        "view_closed",
        "message_action",
        "block_actions",
    ):
        payload = {**interaction(bot), **payload}
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    ack = bot.driver.post_form({"payload": raw})
    assert ack.status == 400, what
    assert ack.json == {"error": "malformed_payload"}
    assert_one_quiet_line(caplog, "malformed")


@pytest.mark.parametrize("missing", ["trigger_id", "response_url", "user_id", "team_id"])
def test_a_command_without_what_answering_needs_is_refused_400(
    bot: Bot, caplog: pytest.LogCaptureFixture, missing: str
) -> None:
    ack = bot.driver.post_form(command(bot, **{missing: None}))
    assert ack.status == 400
    assert_one_quiet_line(caplog, "malformed")


def test_signed_json_events_of_the_wrong_shape_are_refused_400(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    for body in ("[1]", "{", json.dumps({"type": "event_callback", "event": "x"})):
        caplog.clear()
        ack = bot.driver.post(body, "application/json")
        assert ack.status == 400
        assert_one_quiet_line(caplog, "malformed")


def test_a_command_whose_text_says_payload_is_still_a_command(bot: Bot) -> None:
    """Bolt alone reads any form with "payload" in its text as an interaction."""
    ack = bot.driver.slash_command("UOWNER", "help with the payload")
    assert ack.status == 200
    assert wait_until(lambda: bot.slack.responses, message="the help reply")
