"""The message shortcut: save any message to your plan as a win or as feedback."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.conversation import save_message_modal
from bot.ids import Shortcut
from bot.listeners.running import Registrar

log = logging.getLogger(__name__)


def register(on: Registrar) -> None:
    on.shortcut(Shortcut.SAVE_TO_PLAN.value, save_to_plan)


def save_to_plan(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
    ack()
    message = shortcut.get("message", {})
    channel = shortcut.get("channel", {}).get("id")
    link = None
    try:
        link = client.chat_getPermalink(channel=channel, message_ts=message["ts"])["permalink"]
    except (SlackApiError, KeyError):
        log.info("no permalink for the shortcut's message", exc_info=True)
    client.views_open(
        trigger_id=shortcut["trigger_id"],
        view=save_message_modal(
            text=(message.get("text") or "")[:3000], link=link, author=message.get("user")
        ),
    )
