"""The message shortcut: save any message to your plan as a win or as feedback
(onboarding first for someone who has not onboarded)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.conversation import save_message_modal
from bot.blocks.onboarding import onboarding_modal
from bot.db.session import Database
from bot.ids import Shortcut
from bot.listeners.running import Registrar
from bot.usecases import plans
from bot.usecases.common import Actor

log = logging.getLogger(__name__)


def register(on: Registrar) -> None:
    on.shortcut(Shortcut.SAVE_TO_PLAN.value, save_to_plan)


def save_to_plan(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, db: Database, actor: Actor
) -> None:
    ack()
    if plans.open_save_message(db, actor=actor) is not None:
        client.views_open(
            trigger_id=shortcut["trigger_id"], view=onboarding_modal(manager=None, channel=None)
        )
        return
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
