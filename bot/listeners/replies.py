"""Answering the person who acted: privately where they acted, or in a DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


def tell(
    *,
    respond: Any,
    client: WebClient | None,
    slack_user_id: str | None,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    replace_original: bool = False,
) -> None:
    """Answer the person privately: where they acted if Slack gave us a
    response_url (in place of what they clicked, with ``replace_original``),
    else in the app's DM with them."""
    # App Home buttons and modals come with no response_url: a DM then.
    if respond is not None and not (isinstance(respond, Respond) and not respond.response_url):
        try:
            respond(
                text=text,
                blocks=blocks,
                replace_original=replace_original,
                response_type="ephemeral",
            )
            return
        except Exception as error:  # expired or used up: Slack allows 5 in 30 minutes
            log.info("could not answer on the response_url (%s); sending a DM", error)
    if client is not None and slack_user_id:
        dm(client, slack_user_id, text=text, blocks=blocks)


def dm(
    client: WebClient,
    user_id: str,
    *,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> str | None:
    """Post in the app's DM with a person; posting to a user id costs one call, not two.
    ``metadata`` marks a DM about someone else (bot/outbox/erasure.py:about_metadata)."""
    try:
        response = client.chat_postMessage(
            channel=user_id, text=text, blocks=blocks, metadata=metadata
        )
    except SlackApiError:
        log.exception("could not DM %s", user_id)
        return None
    return str(response["ts"])
