"""Forged modals and buttons: always an answer, never a 404 or a traceback
(issue 14, finding 6). Each request is signed: only its content is hostile."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.blocks import builder
from bot.domain.content import PlanInput
from bot.domain.keys import ID_MAX
from bot.listeners.routing import OUTDATED
from tests.scenarios.conftest import Bot
from tests.scenarios.test_surfaces import member_with_plan
from tests.slack_emulator import wait_until

HUGE = 10**20  # too large for an integer column: OverflowError on SQLite


def submit(
    bot: Bot,
    user: str,
    *,
    callback_id: str,
    metadata: Any,
    values: dict[str, Any],
    blocks: list[dict[str, Any]] | None = None,
) -> Any:
    """A signed view_submission as a modified client would send it."""
    view = {
        "id": "VFORGED",
        "type": "modal",
        "hash": "1.2",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "state": {"values": values},
        "blocks": blocks or [],
    }
    return bot.driver.post_payload(
        {
            "type": "view_submission",
            "team": {"id": bot.slack.team_id},
            "user": {"id": user, "team_id": bot.slack.team_id},
            "api_app_id": bot.slack.app_id,
            "trigger_id": bot.slack.issue_trigger(user),
            "view": view,
        }
    )


def answered(ack: Any) -> dict[str, str]:
    """The answer a refused modal got: its field errors, or the view put in its place."""
    assert ack.status == 200, (ack.status, ack.body)
    data = ack.json
    assert data["response_action"] in ("errors", "update"), data
    if data["response_action"] == "update":
        return {"view": json.dumps(data["view"])}
    return dict(data["errors"])


def quiet(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], caplog.text


def text_value(text: Any) -> dict[str, Any]:
    return {"input": {"type": "plain_text_input", "value": text}}


BUILDER_BLOCKS = builder.plan_builder_modal(
    plan_id=1, quarter_label="Q4", plan=PlanInput(), slots=1
)["blocks"]


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        7,
        "",
        "not json",
        "[1, 2]",
        '"a string"',
        json.dumps({"plan_id": None, "slots": 1}),
        json.dumps({"plan_id": HUGE, "slots": 1}),
        json.dumps({"plan_id": ID_MAX + 1, "slots": 1}),
        json.dumps({"plan_id": -3, "slots": 1}),
        json.dumps({"plan_id": "12abc", "slots": 1}),
        json.dumps({"plan_id": True, "slots": 1}),
        json.dumps({"plan_id": 1, "slots": None}),
        json.dumps({"plan_id": 1, "slots": 10**6}),
        json.dumps({"plan_id": 1, "slots": 1, "quarter": {"x": 1}}),
    ],
)
def test_forged_builder_metadata_is_refused_on_the_form(
    bot: Bot, caplog: pytest.LogCaptureFixture, metadata: Any
) -> None:
    member_with_plan(bot, "UOWNER")
    ack = submit(
        bot,
        "UOWNER",
        callback_id="plan_builder",
        metadata=metadata,
        values={"aspiration": text_value("Grow")},
        blocks=BUILDER_BLOCKS,
    )
    errors = answered(ack)
    assert any("out of date" in m or "can't see that plan" in m for m in errors.values()), errors
    quiet(caplog)


@pytest.mark.parametrize(
    "element",
    [
        {"type": "plain_text_input", "value": 5},
        {"type": "plain_text_input", "value": {"a": 1}},
        {"type": "plain_text_input", "value": ["x"]},
        {"type": "static_select", "selected_option": "private"},
        {"type": "static_select", "selected_option": {"value": 3}},
        {"type": "static_select", "selected_options": {"value": "x"}},
        {"type": "datepicker", "selected_date": 20261201},
    ],
)
def test_state_values_of_the_wrong_type_are_refused(
    bot: Bot, caplog: pytest.LogCaptureFixture, element: dict[str, Any]
) -> None:
    _, plan_id = member_with_plan(bot, "UOWNER")
    ack = submit(
        bot,
        "UOWNER",
        callback_id="plan_builder",
        metadata=json.dumps({"plan_id": plan_id, "slots": 1, "quarter": "Q4"}),
        values={"aspiration": text_value("Grow"), "commitment_0_baseline": {"input": element}},
        blocks=BUILDER_BLOCKS,
    )
    assert "out of date" in " ".join(answered(ack).values())
    quiet(caplog)


@pytest.mark.parametrize(
    ("metadata", "values"),
    [
        (None, {}),
        (json.dumps({"plan_id": None, "monday": "2026-11-23"}), {}),
        (json.dumps({"plan_id": HUGE, "monday": "2026-11-23"}), {}),
        (json.dumps({"plan_id": 1, "monday": None}), {}),
        (json.dumps({"plan_id": 1, "monday": "2026-13-45"}), {}),
        (json.dumps({"plan_id": 1, "monday": "2026-11-23"}), {f"value_{HUGE}": text_value("3")}),
        (json.dumps({"plan_id": 1, "monday": "2026-11-23"}), {"value_1": text_value(3.5)}),
        (json.dumps({"plan_id": 1, "monday": "2026-11-23"}), {"confidence": text_value("x")}),
    ],
)
def test_forged_checkins_are_refused(
    bot: Bot, caplog: pytest.LogCaptureFixture, metadata: Any, values: dict[str, Any]
) -> None:
    member_with_plan(bot, "UOWNER")
    blocks = [{"type": "input", "block_id": "confidence", "label": {}, "element": {}}]
    ack = submit(
        bot, "UOWNER", callback_id="checkin", metadata=metadata, values=values, blocks=blocks
    )
    assert answered(ack)
    quiet(caplog)


@pytest.mark.parametrize(
    ("callback_id", "metadata", "values"),
    [
        ("review", None, {}),
        ("review", json.dumps({"plan_id": HUGE}), {}),
        ("review", json.dumps({"plan_id": 1}), {f"baseline_{HUGE}": text_value("1")}),
        ("review", json.dumps({"plan_id": 1}), {"reflection": text_value(["a"])}),
        ("plan_comment", json.dumps({"plan_id": HUGE}), {"comment": text_value("Hi")}),
        ("plan_comment", "[]", {"comment": text_value("Hi")}),
        ("save_message", None, {"text": text_value("Hi")}),
        ("save_message", json.dumps({"link": "https://x/" + "a" * 600}), {}),
        ("save_message", json.dumps({"link": None, "author": "U" * 40}), {}),
        ("onboarding", "", {"manager": {"input": {"type": "users_select", "selected_user": 5}}}),
        (
            "onboarding",
            "",
            {"team_channel": {"input": {"type": "x", "selected_conversation": "C" * 40}}},
        ),
    ],
)
def test_every_modal_answers_a_forged_submission(
    bot: Bot,
    caplog: pytest.LogCaptureFixture,
    callback_id: str,
    metadata: Any,
    values: dict[str, Any],
) -> None:
    member_with_plan(bot, "UOWNER")
    blocks = [{"type": "input", "block_id": "first", "label": {}, "element": {}}]
    ack = submit(
        bot, "UOWNER", callback_id=callback_id, metadata=metadata, values=values, blocks=blocks
    )
    assert answered(ack)
    quiet(caplog)


def settings_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "fiscal_start_month": {
            "input": {"type": "static_select", "selected_option": {"value": "1"}}
        },
        "team_channel": {
            "input": {"type": "conversations_select", "selected_conversation": "CTEAM"}
        },
        "checkin_weekday": {"input": {"type": "static_select", "selected_option": {"value": "0"}}},
        "checkin_time": {"input": {"type": "timepicker", "selected_time": "09:00"}},
        "timezone": text_value("UTC"),
        "stretch": text_value("10"),
    }
    for block, element in changes.items():
        if element is None:
            values.pop(block)
        else:
            values[block] = {"input": element}
    return values


@pytest.mark.parametrize(
    ("changes", "block"),
    [
        ({"team_channel": None}, "team_channel"),
        ({"checkin_time": {"type": "timepicker", "selected_time": "09:00:00"}}, "checkin_time"),
        ({"checkin_time": {"type": "timepicker", "selected_time": "25:00"}}, "checkin_time"),
        (
            {"checkin_weekday": {"type": "static_select", "selected_option": {"value": "x"}}},
            "checkin_weekday",
        ),
        (
            {"fiscal_start_month": {"type": "static_select", "selected_option": {"value": "13"}}},
            "fiscal_start_month",
        ),
        ({"stretch": {"type": "plain_text_input", "value": "nan"}}, "stretch"),
        ({"timezone": {"type": "plain_text_input", "value": "Mars/Olympus"}}, "timezone"),
    ],
)
def test_a_settings_submission_names_the_field_that_is_wrong(
    bot: Bot, caplog: pytest.LogCaptureFixture, changes: dict[str, Any], block: str
) -> None:
    bot.services.members.ensure_member(
        slack_team_id=bot.slack.team_id, slack_user_id="ULEADER", is_slack_admin=True
    )
    ack = submit(
        bot, "ULEADER", callback_id="settings", metadata="", values=settings_values(**changes)
    )
    assert block in answered(ack)
    quiet(caplog)


@pytest.mark.parametrize(
    "value", [str(HUGE), str(ID_MAX + 1), "-1", "1e3", "\u0661", '{"plan": 1e400}']
)
def test_a_forged_button_id_is_refused_like_a_plan_one_may_not_see(
    bot: Bot, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    caplog.set_level(logging.INFO)
    bot.slack.limits.post_channel_burst = 5  # four refusals in a second, in one DM
    member_with_plan(bot, "UPEER")
    for action_id in ("plan_edit", "plan_propose", "plan_share", "plan_comment"):
        bot.driver.block_action(
            "UPEER",
            {
                "type": "button",
                "action_id": action_id,
                "value": value,
                "text": {"type": "plain_text", "text": "x"},
            },
        )
    wait_until(lambda: len(bot.slack.dms("UPEER")) >= 4, message="four refusals")
    bot.runner.wait_idle(5)
    assert all("can't see that plan" in m.text for m in bot.slack.dms("UPEER"))
    quiet(caplog)


def test_a_button_no_listener_knows_is_answered_not_404(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    member_with_plan(bot, "UPEER")
    ack = bot.driver.block_action(
        "UPEER",
        {
            "type": "button",
            "action_id": "plan_retired_in_an_older_version",
            "value": "1",
            "text": {"type": "plain_text", "text": "Old"},
        },
    )
    assert ack.status == 200, (ack.status, ack.body)
    wait_until(lambda: bot.slack.dms("UPEER"), message="the person told")
    bot.runner.wait_idle(5)
    assert [m.text for m in bot.slack.dms("UPEER")] == [OUTDATED]
    quiet(caplog)


def test_a_modal_no_listener_knows_is_refused_on_its_first_field(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    member_with_plan(bot, "UOWNER")
    blocks = [{"type": "input", "block_id": "first", "label": {}, "element": {}}]
    ack = submit(bot, "UOWNER", callback_id="retired_form", metadata="", values={}, blocks=blocks)
    assert answered(ack) == {"first": OUTDATED}
    quiet(caplog)


def test_an_event_no_listener_subscribes_to_is_acked(bot: Bot) -> None:
    ack = bot.driver.event({"type": "emoji_changed", "subtype": "add", "name": "x"})
    assert ack.status == 200, (ack.status, ack.body)
