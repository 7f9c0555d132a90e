"""A small Bolt app, served over HTTP, driven through the loopback Slack."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from tests.slack_emulator import AckTooSlow, SlackDriver, SlackEmulator, serve_wsgi, wait_until

GOAL_MODAL = {
    "type": "modal",
    "callback_id": "goal",
    "title": {"type": "plain_text", "text": "Weekly goal"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "calls",
            "label": {"type": "plain_text", "text": "Calls this week"},
            "element": {"type": "plain_text_input", "action_id": "value", "initial_value": "10"},
        },
        {
            "type": "input",
            "block_id": "kind",
            "label": {"type": "plain_text", "text": "Kind"},
            "element": {
                "type": "static_select",
                "action_id": "choice",
                "options": [
                    {"text": {"type": "plain_text", "text": "Activity"}, "value": "activity"},
                    {"text": {"type": "plain_text", "text": "Result"}, "value": "result"},
                ],
            },
        },
    ],
}


def build_app(slack: SlackEmulator, *, slow_ack: bool = False) -> App:
    app = App(
        client=WebClient(token=slack.bot_token, base_url=slack.api_url),
        signing_secret=slack.signing_secret,
    )

    @app.command("/goal")
    def open_goal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        if slow_ack:
            time.sleep(3.2)
            ack()
            return
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=GOAL_MODAL)

    @app.view("goal")
    def save_goal(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        raw = view["state"]["values"]["calls"]["value"]["value"]
        if not raw.isdigit():
            ack(response_action="errors", errors={"calls": "Enter a whole number of calls."})
            return
        ack()
        kind = view["state"]["values"]["kind"]["choice"]["selected_option"]["value"]
        client.chat_postMessage(
            channel=body["user"]["id"],
            text=f"Saved: {raw} calls ({kind})",
            blocks=[
                {"type": "section", "text": {"type": "mrkdwn", "text": f"Saved: *{raw}* calls"}},
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "raise",
                            "text": {"type": "plain_text", "text": "Raise it"},
                            "value": raw,
                        }
                    ],
                },
            ],
        )

    @app.action("raise")
    def raise_goal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_postMessage(
            channel=body["user"]["id"], text=f"Raised from {body['actions'][0]['value']}"
        )

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Your plan"}}],
            },
        )

    return app


@pytest.fixture
def driver(slack: SlackEmulator) -> Iterator[SlackDriver]:
    with serve_wsgi(SlackRequestHandler(build_app(slack))) as url:
        yield SlackDriver(slack, url)


def test_command_modal_errors_submit_and_button(slack: SlackEmulator, driver: SlackDriver) -> None:
    assert driver.slash_command("UOWNER", command="/goal").status == 200
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the modal")
    assert modal.view["callback_id"] == "goal"

    refused = driver.submit_view("UOWNER", {"Calls this week": "lots", "kind": "Activity"})
    assert refused.errors == {"calls": "Enter a whole number of calls."}
    assert slack.open_modal("UOWNER") is not None  # still open, as Slack keeps it

    accepted = driver.submit_view("UOWNER", {"Calls this week": "25", "kind": "activity"})
    assert accepted.status == 200
    assert slack.open_modal("UOWNER") is None
    wait_until(lambda: slack.dms("UOWNER"), message="the confirmation DM")
    assert slack.dms("UOWNER")[0].text == "Saved: 25 calls (activity)"

    driver.click_button("UOWNER", "Raise it")
    wait_until(lambda: len(slack.dms("UOWNER")) == 2, message="the button's reply")
    assert slack.dms("UOWNER")[1].text == "Raised from 25"
    assert all(ack.seconds < 3 for ack in driver.acks)


def test_initial_values_are_submitted_when_untouched(
    slack: SlackEmulator, driver: SlackDriver
) -> None:
    driver.slash_command("UOWNER", command="/goal")
    wait_until(lambda: slack.open_modal("UOWNER"))
    driver.submit_view("UOWNER", {"kind": "result"})
    wait_until(lambda: slack.dms("UOWNER"))
    assert slack.dms("UOWNER")[0].text == "Saved: 10 calls (result)"


def test_the_driver_refuses_an_input_the_view_does_not_have(
    slack: SlackEmulator, driver: SlackDriver
) -> None:
    driver.slash_command("UOWNER", command="/goal")
    wait_until(lambda: slack.open_modal("UOWNER"))
    with pytest.raises(AssertionError, match="no input"):
        driver.submit_view("UOWNER", {"Nonexistent": "x"})


def test_app_home(slack: SlackEmulator, driver: SlackDriver) -> None:
    driver.open_app_home("UPEER")
    home = wait_until(lambda: slack.home.get("UPEER"), message="the home view")
    assert home["blocks"][0]["text"]["text"] == "Your plan"


def test_url_verification(driver: SlackDriver) -> None:
    ack = driver.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert ack.json == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_forged_unsigned_and_replayed_requests_get_401(
    slack: SlackEmulator, driver: SlackDriver
) -> None:
    body = "command=%2Fgoal&user_id=UOWNER&trigger_id=1.2.3"
    assert (
        driver.post(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64).status
        == 401
    )
    assert driver.post(body, "application/x-www-form-urlencoded", sign=False).status == 401
    replayed = driver.post(
        body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 600
    )
    assert replayed.status == 401
    assert slack.calls_to("views.open") == []


def test_a_slow_ack_fails_the_scenario(slack: SlackEmulator) -> None:
    slow = SlackRequestHandler(build_app(slack, slow_ack=True))
    with serve_wsgi(slow) as url, pytest.raises(AckTooSlow, match="3s"):
        SlackDriver(slack, url).slash_command("UOWNER", command="/goal")
